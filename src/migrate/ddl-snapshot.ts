import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyDdlSnapshot, type DdlSnapshot } from '../ddl';

/**
 * `database-objects.json`, the migrations folder's record of the database objects (functions,
 * triggers, grants, comments) its migrations created: what the generator diffs the TypeScript
 * declarations against, as drizzle-kit diffs tables against its snapshots.
 */

/** Beside the migrations, not in `meta/`: drizzle-kit reads every JSON file there as its own snapshot. */
export const DDL_SNAPSHOT_FILE = 'database-objects.json';

export function readDdlSnapshot(folder: string): DdlSnapshot {
  const path = join(folder, DDL_SNAPSHOT_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DdlSnapshot) : emptyDdlSnapshot;
}

export function writeDdlSnapshot(folder: string, snapshot: DdlSnapshot): void {
  writeFileSync(join(folder, DDL_SNAPSHOT_FILE), `${JSON.stringify(snapshot, null, 2)}\n`);
}

