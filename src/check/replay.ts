import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type postgres from 'postgres';
import type { Logger } from '../log';
import { migrate, MigrationError } from '../migrate';
import { lineAt } from './migrations';
import type { Check, Finding } from './model';

export interface ReplayContext {
  /** An empty database. */
  readonly sql: postgres.Sql;
  readonly label: string;
  readonly migrationsFolder: string;
  readonly log: Logger;
}

/** Where a failing statement starts in its file (the runner reports the statement, not the line). */
function statementLine(file: string, statement: string): number | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const offset = text.indexOf(statement);
    return offset === -1 ? undefined : lineAt(text, offset);
  } catch {
    return undefined;
  }
}

/**
 * Replay: every migration applies, in journal order, to an empty database (with the Supabase
 * platform shim where the database lacks it), and a second run applies nothing.
 */
export const replayCheck: Check<ReplayContext> = {
  id: 'replay',
  title: 'every migration applies to an empty database',
  async run({ sql, label, migrationsFolder, log }) {
    const findings: Finding[] = [];
    log(`replay: applying ${migrationsFolder} to ${label}…`);
    const started = performance.now();
    try {
      const first = await migrate({ client: sql, migrationsFolder, log: (line) => log(`replay: ${line}`) });
      const second = await migrate({ client: sql, migrationsFolder, log: () => {} });
      if (second.applied.length > 0) {
        findings.push({ message: `a second run applied ${second.applied.join(', ')} again: the ledger did not record them`, object: second.applied.join(', ') });
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const again = findings.length === 0 ? '; a second run applied nothing' : '';
      return { findings, checked: `${first.applied.length} migrations applied to ${label} in ${seconds} s${again}` };
    } catch (error) {
      if (error instanceof MigrationError) {
        const file = join(migrationsFolder, error.file);
        const line = statementLine(file, error.statement);
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
