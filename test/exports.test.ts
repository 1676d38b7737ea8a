/**
 * README.md's subpath table is the package's contract: every subpath it lists is in package.json's
 * exports and tsup's entries, and the root export has exactly what its row names (plus the tables).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as root from '../src';
import * as schema from '../src/schema';

const repo = resolve(__dirname, '..');
const readme = readFileSync(resolve(repo, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
/** The rows of the table under "Using it from an app": `| \`subpath\` | what |`. */
const rows = [...readme.matchAll(/^\| `(therapy-db[^`]*)` \| (.+) \|$/gm)].map(([, subpath, what]) => ({ subpath: subpath!, what: what! }));

describe("README's subpath table", () => {
  it('lists every exported subpath, and only those', () => {
    const documented = rows.map((r) => r.subpath.replace(/^therapy-db/, '.'));
    const exported = Object.keys(manifest.exports).filter((key) => key !== './package.json');
    expect(documented.sort()).toEqual(exported.sort());
  });

  it('the root export has exactly what its row names, besides every table of therapy-db/schema', () => {
    const row = rows.find((r) => r.subpath === 'therapy-db')!;
    const named = [...row.what.matchAll(/`([A-Za-z]\w*)(?:\(\))?`/g)].map(([, name]) => name!);
    const schemaNames = new Set(Object.keys(schema));
    const rootOnly = Object.keys(root).filter((name) => !schemaNames.has(name));
    expect(rootOnly.sort()).toEqual(named.sort());
    for (const name of schemaNames) expect(root, name).toHaveProperty(name);
  });
});
