import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The statement separator drizzle-kit writes between statements. */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

export interface MigrationFile {
  /** drizzle-kit's tag, the file name without `.sql`, e.g. `0003_scheduling`. */
  readonly tag: string;
  readonly file: string;
  readonly sql: string;
  /** sha256 of the file's text: an edited migration has a different hash. */
  readonly hash: string;
  readonly statements: readonly string[];
  /**
   * The file asked to run outside a transaction (a line `-- therapy-db: no-transaction`), for
   * statements Postgres refuses inside one, such as `create index concurrently`.
   */
  readonly noTransaction: boolean;
}

/** sha256 (hex) of a migration's text: what the ledger records and the release manifest freezes. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The marker line that makes a migration run statement by statement, outside a transaction. */
export const NO_TRANSACTION_MARKER = /^--\s*therapy-db:\s*no-transaction\b/m;

interface Journal {
  readonly entries: readonly { readonly idx: number; readonly tag: string; readonly when: number }[];
}

export function splitStatements(sql: string): string[] {
  return sql
    .split(STATEMENT_BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The migration tags of drizzle-kit's journal (`meta/_journal.json`) in order; undefined when there is none. */
export function readJournalTags(folder: string): string[] | undefined {
  const journalPath = join(folder, 'meta', '_journal.json');
  if (!existsSync(journalPath)) return undefined;
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Partial<Journal>;
  return [...(journal.entries ?? [])].sort((a, b) => a.idx - b.idx).map((e) => e.tag);
}

/** Reads the migrations in journal order (`meta/_journal.json`, as drizzle-kit writes it). */
export function readMigrations(folder: string): MigrationFile[] {
  const tags = readJournalTags(folder);
  if (!tags) {
    throw new Error(`no migrations journal at ${join(folder, 'meta', '_journal.json')}; is ${folder} a drizzle-kit migrations folder?`);
  }
  return tags
    .map((tag) => {
      const file = join(folder, `${tag}.sql`);
      if (!existsSync(file)) throw new Error(`migration ${tag} is in the journal but ${file} does not exist`);
      const sql = readFileSync(file, 'utf8');
      return {
        tag,
        file,
        sql,
        hash: sha256Hex(sql),
        statements: splitStatements(sql),
        noTransaction: NO_TRANSACTION_MARKER.test(sql),
      };
    });
}
