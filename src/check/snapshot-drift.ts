import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffDdl, type DdlChange, type DdlObject } from '../ddl';
import { readDdlSnapshot } from '../migrate';

export interface DriftReport {
  /** SQL drizzle-kit would generate for tables and policies (empty when in step). */
  readonly drizzleStatements: readonly string[];
  /** Database objects whose declaration differs from what the migrations created. */
  readonly objectChanges: readonly DdlChange[];
}

/** The newest drizzle-kit snapshot in `meta/`, i.e. the schema the migrations produce. */
function latestSnapshot(folder: string): Record<string, unknown> | undefined {
  const meta = join(folder, 'meta');
  if (!existsSync(meta)) return undefined;
  const latest = readdirSync(meta).filter((f) => /^\d{4}_snapshot\.json$/.test(f)).sort().at(-1);
  return latest ? (JSON.parse(readFileSync(join(meta, latest), 'utf8')) as Record<string, unknown>) : undefined;
}

/**
 * What `npm run db:generate` would write, without writing it: the TypeScript source (tables,
 * policies, functions, triggers, grants, comments) against the committed migrations. Needs
 * drizzle-kit (a development dependency), loaded on demand.
 */
export async function detectDrift(options: {
  readonly migrationsFolder: string;
  readonly imports: Record<string, unknown>;
  readonly objects: readonly DdlObject[];
}): Promise<DriftReport> {
  const kit = await import('drizzle-kit/api');
  const current = kit.generateDrizzleJson(options.imports);
  const previous = latestSnapshot(options.migrationsFolder) ?? kit.generateDrizzleJson({});
  const drizzleStatements = await kit.generateMigration(previous as never, current);
  const snapshot = readDdlSnapshot(options.migrationsFolder);
  const objectChanges = [
    ...diffDdl(snapshot.objects, options.objects, 'pre').changes,
    ...diffDdl(snapshot.objects, options.objects, 'post').changes,
  ];
  return { drizzleStatements, objectChanges };
}
