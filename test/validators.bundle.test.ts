/**
 * `therapy-db/validators` in a browser bundle (issue #5): esbuild bundles `src/validators/index.ts`
 * for `platform: 'browser'`; any Node built-in, the database driver or drizzle-kit reaching the
 * bundle fails the test. The gzipped size is printed and recorded in docs/validators.md.
 */
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { browserBundle } from './support/browser-bundle';
import { embeddedPassOnly } from './support/backend';

const embeddedOnly = embeddedPassOnly('validators.bundle.test.ts');

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const serverOnlyPackages = /(^|\/)node_modules\/(postgres|drizzle-kit|@electric-sql|testcontainers|@testcontainers|esbuild|tsx)\//;

/** Records every import of a Node built-in (and keeps it out of the bundle) instead of failing at the first. */
function recordNodeBuiltins(found: string[]): Plugin {
  return {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (nodeBuiltins.has(args.path)) {
          found.push(`${args.path} (imported by ${args.importer})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

async function bundle(entry: string) {
  const builtins: string[] = [];
  const result = await build({
    ...browserBundle,
    entryPoints: [entry],
    metafile: true,
    plugins: [recordNodeBuiltins(builtins)],
  });
  const code = result.outputFiles[0]!.contents;
  return { builtins, inputs: Object.keys(result.metafile.inputs), bytes: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

describe.skipIf(embeddedOnly)('therapy-db/validators in a browser bundle', () => {
  it('bundles for the browser without Node built-ins, the driver or drizzle-kit', async () => {
    const validators = await bundle('src/validators/index.ts');
    expect(validators.builtins, 'Node built-ins in the browser bundle').toEqual([]);
    expect(validators.inputs.filter((input) => serverOnlyPackages.test(input))).toEqual([]);
    // Only the table modules and the code lists of the schema: never its Node-side index (rules, DDL, docs).
    const schemaModules = validators.inputs.filter((input) => input.startsWith('src/schema/'));
    expect(schemaModules).not.toContain('src/schema/index.ts');
    expect(schemaModules.filter((input) => input.startsWith('src/schema/rules/'))).toEqual([]);

    // For the record: what an app that already ships zod adds.
    const zodAlone = await bundle('node_modules/zod/index.js');
    console.log(
      `therapy-db/validators browser bundle: ${kb(validators.bytes)} minified, ${kb(validators.gzipped)} gzipped ` +
        `(zod alone: ${kb(zodAlone.gzipped)} gzipped; the validators add ${kb(validators.gzipped - zodAlone.gzipped)})`,
    );
    // A budget, so growth is a decision: docs/validators.md records the measured size.
    expect(validators.gzipped).toBeLessThan(160 * 1024);
  });
});
