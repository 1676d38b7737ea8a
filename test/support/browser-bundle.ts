import type { BuildOptions } from 'esbuild';

/**
 * How the bundle tests bundle a page for the browser, as an app's production build does: esbuild,
 * ESM, ES2022, minified, in memory (sizes are then gzipped at level 9).
 */
export const browserBundle = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  write: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;
