import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** `therapy-db/validators/<table>`: one entry per table module (src/validators/tables/<table>.ts). */
const tableValidators = Object.fromEntries(
  readdirSync('src/validators/tables')
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .map((file) => [`validators/${file.slice(0, -3)}`, `src/validators/tables/${file}`]),
);

/** ESM first, CJS for `require`, `.d.ts` for both; one entry per public subpath. */
const subpaths = {
  index: 'src/index.ts',
  schema: 'src/schema/index.ts',
  policies: 'src/policies/index.ts',
  validators: 'src/validators/index.ts',
  migrate: 'src/migrate/index.ts',
  rls: 'src/rls/index.ts',
  testing: 'src/testing/index.ts',
  integrations: 'src/integrations/index.ts',
  generate: 'src/generate/app.ts',
  supabase: 'src/supabase/index.ts',
  ...tableValidators,
};

export default defineConfig({
  entry: { ...subpaths, cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  // Named like the JS entries (dist/<name>.d.ts), which is where package.json's exports point.
  dts: { entry: subpaths },
  target: 'node20',
  platform: 'node',
  // No source maps in the package: they were a third of its size (issue 15's lean install), and
  // dist/ is unminified ESM/CJS that a stack trace can be read against.
  sourcemap: false,
  clean: true,
  splitting: true,
  shims: true,
  // drizzle-kit is a development tool: the CLI loads it only for `generate` and the drift check.
  external: ['drizzle-kit', 'drizzle-kit/api'],
});
