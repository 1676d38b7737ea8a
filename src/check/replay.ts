import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type postgres from 'postgres';
import type { Logger } from '../log';
import { migrate, MigrationError, type MigrationsFolders } from '../migrate';
import { lineAt } from './migrations';
import type { Check, Finding } from './model';

export interface ReplayContext {
  /** An empty database. */
  readonly sql: postgres.Sql;
  readonly label: string;
  /** One folder, or the layers applied in order into the same database. */
  readonly migrationsFolders: MigrationsFolders;
  readonly log: Logger;
}

/**
 * Where a failure is in its file: the line of the failing statement (the runner reports the
 * statement, not the line), moved to the error's own line when Postgres gave a `position` in the
 * statement (a Supabase file runs as one multi-statement query).
 */
function failureLine(file: string, statement: string, position: number | undefined): number | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const offset = text.indexOf(statement);
    if (offset === -1) return undefined;
    const within = position !== undefined && position >= 1 && position <= statement.length ? position - 1 : 0;
    return lineAt(text, offset + within);
  } catch {
    return undefined;
  }
}

/** Postgres' 1-based character `position` of an error in the statement, when it gave one. */
function errorPosition(cause: unknown): number | undefined {
  const position = Number((cause as { position?: unknown } | undefined)?.position);
  return Number.isInteger(position) && position > 0 ? position : undefined;
}

/**
 * Replay: every migration applies, in journal order, to an empty database (with the Supabase
 * platform shim where the database lacks it), and a second run applies nothing.
 */
export const replayCheck: Check<ReplayContext> = {
  id: 'replay',
  title: 'every migration applies to an empty database',
  async run({ sql, label, migrationsFolders, log }) {
    const findings: Finding[] = [];
    const folders = typeof migrationsFolders === 'string' ? [migrationsFolders] : migrationsFolders;
    log(`replay: applying ${folders.join(', then ')} to ${label}…`);
    const started = performance.now();
    try {
      const first = await migrate({ client: sql, migrationsFolder: folders, log: (line) => log(`replay: ${line}`) });
      const second = await migrate({ client: sql, migrationsFolder: folders, log: () => {} });
      if (second.applied.length > 0) {
        findings.push({ message: `a second run applied ${second.applied.join(', ')} again: the ledger did not record them`, object: second.applied.join(', ') });
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const again = findings.length === 0 ? '; a second run applied nothing' : '';
      return { findings, checked: `${first.applied.length} migrations applied to ${label} in ${seconds} s${again}` };
    } catch (error) {
      if (error instanceof MigrationError) {
        // A tag is in one layer only (the runner refuses repeated ones).
        const file = folders.map((folder) => join(folder, error.file)).find((path) => existsSync(path)) ?? join(folders.at(-1)!, error.file);
        const line = failureLine(file, error.statement, errorPosition(error.cause));
        findings.push({
          message: `${basename(error.file)} fails at statement ${error.statementNumber} (SQLSTATE ${error.sqlState ?? 'unknown'}): ${(error.cause as Error | undefined)?.message ?? error.message}`,
          object: error.file.replace(/\.sql$/, ''),
          file,
          ...(line === undefined ? {} : { line }),
          fix: 'fix the migration (a new one, if this file was released) so it applies after the ones before it',
        });
        return { findings, checked: label };
      }
      throw error;
    }
  },
};
