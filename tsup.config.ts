import { defineConfig } from 'tsup';

/** ESM first, CJS for `require`, `.d.ts` for both; one entry per public subpath. */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    schema: 'src/schema/index.ts',
    policies: 'src/policies/index.ts',
    validators: 'src/validators/index.ts',
    migrate: 'src/migrate/index.ts',
    testing: 'src/testing/index.ts',
    integrations: 'src/integrations/index.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: ['src/index.ts', 'src/schema/index.ts', 'src/policies/index.ts', 'src/validators/index.ts', 'src/migrate/index.ts', 'src/testing/index.ts', 'src/integrations/index.ts'] },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: true,
  shims: true,
  // drizzle-kit is a development tool: the CLI loads it only for `generate` and the drift check.
  external: ['drizzle-kit', 'drizzle-kit/api'],
});
