import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the installed `therapy-db` package (or of this repository in development), found by
 * walking up from this module: the same answer from `src/` under tsx, from `dist/` and from a
 * consumer's `node_modules/therapy-db/dist/`.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'therapy-db') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('therapy-db: cannot find the package root (no package.json named therapy-db above this module)');
    dir = parent;
  }
}

/** The migrations shipped with the package. */
export function defaultMigrationsFolder(): string {
  return join(packageRoot(), 'drizzle');
}
