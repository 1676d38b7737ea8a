import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readJournalTags } from '../migrate';
import { detectDrift, type DriftReport } from './snapshot-drift';
import type { DdlObject } from '../ddl';
import type { Check, Finding } from './model';

/** What the migrations are generated from: Drizzle tables and policies, and the database objects. */
export interface DriftSource {
  /** Modules whose exports drizzle-kit reads (tables, enums, policies, roles). */
  readonly imports: Record<string, unknown>;
  /** The objects drizzle-kit cannot express (`databaseObjects`). */
  readonly objects: readonly DdlObject[];
}

export interface DriftContext {
  readonly migrationsFolder: string;
  /** Loaded when the check runs. */
  readonly source: () => Promise<DriftSource>;
  /** The detector; `detectDrift` (drizzle-kit's programmatic API) unless a test replaces it. */
  readonly detect?: typeof detectDrift;
}

/** therapy-db's own source: `src/schema`, `src/policies` and `databaseObjects`. */
export async function packageDriftSource(): Promise<DriftSource> {
  const [schema, policies, { databaseObjects }] = await Promise.all([import('../schema'), import('../policies'), import('../objects')]);
  return { imports: { ...schema, ...policies }, objects: databaseObjects };
}

/** True for the error of importing a package that is not installed. */
export function isMissingModule(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && (e.message ?? '').includes(name);
}

function preview(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ').trim();
  return oneLine.length > 140 ? `${oneLine.slice(0, 140)}…` : oneLine;
}

/**
 * Drift: generating migrations from the TypeScript source (tables, policies, grants, functions,
 * triggers, comments) would write nothing. Needs drizzle-kit, a development dependency: skipped
 * where it is not installed (an app that installed the package).
 */
export const driftCheck: Check<DriftContext> = {
  id: 'drift',
  title: 'the TypeScript source and the committed migrations agree',
  async run({ migrationsFolder, source, detect = detectDrift }) {
    // The published package ships its migrations without drizzle-kit's snapshots (they only serve
    // generating): there is nothing to diff against, and sql-drift compares the SQL itself.
    const meta = join(migrationsFolder, 'meta');
    const hasMigrations = (readJournalTags(migrationsFolder)?.length ?? 0) > 0;
    if (hasMigrations && existsSync(meta) && !readdirSync(meta).some((f) => /^\d{4}_snapshot\.json$/.test(f))) {
      return { skipped: `${basename(migrationsFolder)}/ has no drizzle-kit snapshots (the published package ships without them): sql-drift compares its SQL with the source instead` };
    }
    let report: DriftReport;
    try {
      report = await detect({ migrationsFolder, ...(await source()) });
    } catch (error) {
      if (isMissingModule(error, 'drizzle-kit')) {
        return { skipped: 'drizzle-kit is not installed (a development dependency of therapy-db): the drift check is for the repository that owns the source' };
      }
      // Without a terminal, drizzle-kit refuses to ask whether a table or column was renamed.
      if (/Interactive prompts require a TTY/i.test((error as Error | undefined)?.message ?? '')) {
        return {
          findings: [
            {
              message: 'the source differs from the migrations: drizzle-kit would ask whether a table or column was renamed',
              file: migrationsFolder,
              fix: 'run `npm run db:generate -- --name <change>` in a terminal, answer its questions and commit the migration it writes',
            },
          ],
          checked: `tables, policies and database objects against ${basename(migrationsFolder)}/`,
        };
      }
      throw error;
    }
    const fix = 'run `npm run db:generate -- --name <change>` and commit the migration it writes (or undo the unintended source change)';
    const findings: Finding[] = [
      ...report.drizzleStatements.map((statement) => ({
        message: `the source differs from the migrations: generating would write \`${preview(statement)}\``,
        object: preview(statement),
        file: migrationsFolder,
        fix,
      })),
      ...report.objectChanges.map((change) => ({
        message: `the source differs from the migrations: generating would ${change.action} ${change.key}`,
        object: change.key,
        file: migrationsFolder,
        fix,
      })),
    ];
    return { findings, checked: `tables, policies and database objects against ${basename(migrationsFolder)}/` };
  },
};
