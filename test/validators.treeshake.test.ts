/**
 * One table's validators in an app's bundle (issue 15): the package is built with its own tsup
 * configuration (every entry, ESM, as `dist/` has them; only the .d.ts are left out), installed into a throwaway app's
 * node_modules with its package.json (exports map, `sideEffects: false`), and esbuild bundles, for
 * every table, a page that imports that table's insert schema, the way an app does:
 * `import { therapySessionInsertSchema } from 'therapy-db/validators'`. Against zod alone, using the
 * zod functions the validators use, the table may add at most 15 KB gzipped, and no other table's
 * name may be in the bundle. The sizes are printed and recorded in docs/validators.md.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as bundle } from 'esbuild';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserBundle } from './support/browser-bundle';
import * as zod from 'zod';
import tsupConfig from '../tsup.config';
import { VALIDATOR_COLUMNS_PATH, validatorColumnsText } from '../src/typegen';
import { validatorsByTable } from '../src/validators';
import { embeddedPassOnly } from './support/backend';

const embeddedOnly = embeddedPassOnly('validators.treeshake.test.ts');

const repo = resolve(__dirname, '..');
const BUDGET = 15 * 1024;

/** `public.therapy_sessions` → `therapySession` (the prefix of its exports, as in src/validators/tables). */
const tableModules = readdirSync(join(repo, 'src/validators/tables'))
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .map((file) => {
    const source = readFileSync(join(repo, 'src/validators/tables', file), 'utf8');
    const prefix = /export const (\w+)Schemas = tableSchemas\(/.exec(source)?.[1];
    if (!prefix) throw new Error(`src/validators/tables/${file} defines no …Schemas`);
    return { subpath: file.slice(0, -3), prefix };
  });

/**
 * The zod functions the validators call (`z.strictObject(…)`, `z.superRefine<…>(…)`), read from
 * their source, so the baseline uses the same zod as they do and follows it when they change.
 */
function zodFunctionsUsed(): string[] {
  const used = new Set<string>();
  const dir = join(repo, 'src/validators');
  const files = [...readdirSync(dir).map((f) => join(dir, f)), ...readdirSync(join(dir, 'tables')).map((f) => join(dir, 'tables', f))];
  for (const file of files.filter((f) => f.endsWith('.ts'))) {
    // Calls only (`z.output<typeof …>` is a type): `z.name(` or `z.name<…>(`.
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/\bz\.([a-z]\w*)(?=\(|<[^;()]*>\()/g)) {
      if (typeof (zod as Record<string, unknown>)[name!] === 'function') used.add(name!);
    }
  }
  return [...used].sort();
}

let app: string;
beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'therapy-db-treeshake-'));
  const pkg = join(app, 'node_modules', 'therapy-db');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(repo, 'package.json'), join(pkg, 'package.json'));
  // Every entry, not only the validators': which modules share a chunk depends on all of them.
  await build({ ...(tsupConfig as Options), format: ['esm'], dts: false, outDir: join(pkg, 'dist'), silent: true, config: false });
}, 180_000);
afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

async function gzippedBundle(name: string, source: string): Promise<{ code: string; gzipped: number; file: string }> {
  const entry = join(app, `${name}.js`);
  writeFileSync(entry, source);
  const result = await bundle({
    ...browserBundle,
    entryPoints: [entry],
    // The app has zod, drizzle-orm, … installed: the repository's node_modules stand in for them.
    nodePaths: [join(repo, 'node_modules')],
  });
  const code = result.outputFiles[0]!.text;
  const file = join(app, `${name}.bundle.mjs`);
  writeFileSync(file, code);
  return { code, gzipped: gzipSync(code, { level: 9 }).length, file };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe.skipIf(embeddedOnly)('one table’s validators in an app bundle (esbuild, minified, gzipped)', () => {
  it(`each table's insert schema adds at most ${kb(BUDGET)} to zod, and no other table`, async () => {
    const features = zodFunctionsUsed();
    const zodAlone = await gzippedBundle('zod-alone', `import * as z from 'zod';\nconsole.log([${features.map((f) => `z.${f}`).join(', ')}]);\n`);
    const names = Object.keys(validatorsByTable);
    // A table is in a bundle by its qualified name (`public.therapy_sessions`) or its constraints'
    // names (`therapy_sessions_end_after_start_check`); a code value such as `guardians` is no table.
    const carries = (code: string, qualified: string) =>
      code.includes(qualified) || new RegExp(`\\b${qualified.split('.')[1]}_[a-z0-9_]+`).test(code);

    const rows: { table: string; via: string; gzipped: number; added: number; others: string[] }[] = [];
    for (const { subpath, prefix } of tableModules) {
      const schema = `${prefix}InsertSchema`;
      for (const [via, from] of [['therapy-db/validators', 'therapy-db/validators'], ['subpath', `therapy-db/validators/${subpath}`]] as const) {
        const page = await gzippedBundle(`${subpath}-${via === 'subpath' ? 'subpath' : 'root'}`, `export { ${schema} } from '${from}';\n`);
        const own = names.find((name) => page.code.includes(name)) ?? '?';
        // The bundle works: its schema is the table's insert schema, key for key, and refuses a stray key.
        const bundled = (await import(pathToFileURL(page.file).href)) as Record<string, zod.ZodObject>;
        expect(Object.keys(bundled[schema]!.shape), `${schema} (${via})`).toEqual(Object.keys(validatorsByTable[own]!.insert.shape));
        expect(bundled[schema]!.safeParse({ noSuchColumn: 1 }).success).toBe(false);
        const others = names.filter((name) => name !== own && carries(page.code, name));
        rows.push({ table: own, via, gzipped: page.gzipped, added: page.gzipped - zodAlone.gzipped, others });
      }
    }

    const max = rows.reduce((a, b) => (b.added > a.added ? b : a));
    console.log(
      [
        `zod alone (${features.join(', ')}): ${kb(zodAlone.gzipped)} gzipped`,
        ...rows.filter((r) => r.via !== 'subpath').map((r) => `  ${r.table.padEnd(34)} ${kb(r.gzipped).padStart(8)}  +${kb(r.added)}`),
        `max: ${max.table} (${max.via}) adds ${kb(max.added)} to zod (budget ${kb(BUDGET)})`,
      ].join('\n'),
    );
    expect(rows.map((r) => r.table).filter((t) => t === '?'), 'a bundle without its own table name').toEqual([]);
    expect(new Set(rows.map((r) => r.table)).size).toBe(names.length);
    expect(rows.filter((r) => r.others.length > 0).map((r) => `${r.table} (${r.via}) carries ${r.others.join(', ')}`)).toEqual([]);
    expect(rows.filter((r) => r.added > BUDGET).map((r) => `${r.table} (${r.via}) adds ${kb(r.added)}`)).toEqual([]);
  }, 300_000); // 65 esbuild bundles: minutes on a loaded 2-core machine, with a test file per core
});

describe.skipIf(embeddedOnly)('the tables as the validators read them', () => {
  it(`${VALIDATOR_COLUMNS_PATH} is regenerated from the Drizzle tables without a diff (npm run db:generate)`, () => {
    const committed = readFileSync(join(repo, VALIDATOR_COLUMNS_PATH), 'utf8');
    expect(validatorColumnsText() === committed, `${VALIDATOR_COLUMNS_PATH} is out of date: run npm run db:generate`).toBe(true);
  });
});
