import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';
import { RELEASE_MANIFEST, releaseMigrations } from '../migrate';
import { packageRoot } from '../paths';

/**
 * `therapy-db release [--version V]` in this repository: freezes the migrations not yet released as
 * release V (package.json's version by default) in `drizzle/releases.json`.
 */
export function releaseCommand(options: { readonly version?: string; readonly log: Logger }): void {
  const root = packageRoot();
  const version = options.version ?? (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const { added } = releaseMigrations({ folder: join(root, 'drizzle'), version });
  for (const m of added) options.log(`released ${m.tag}.sql (sha256 ${m.sha256.slice(0, 12)}…)`);
  options.log(`release ${version}: ${added.length} migration(s) frozen in drizzle/${RELEASE_MANIFEST}`);
}
