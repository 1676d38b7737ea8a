import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationFileError } from './errors';

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

/** A tag is a file name without `.sql`: no path separators, nothing that leaves the folder. */
const TAG = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function splitStatements(sql: string): string[] {
  return sql
    .split(STATEMENT_BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The migration tags of drizzle-kit's journal (`meta/_journal.json`) in order; undefined when there
 * is none. A journal that is not JSON, or not drizzle-kit's shape, is a `MigrationFileError` naming
 * the file and what is wrong with it.
 */
export function readJournalTags(folder: string): string[] | undefined {
  return readJournalEntries(folder)?.map((e) => e.tag);
}

/** One entry of drizzle-kit's journal: the migration's tag and when it was generated (ms since the epoch). */
export interface JournalEntry {
  readonly idx: number;
  readonly tag: string;
  readonly when: number;
}

/** The entries of drizzle-kit's journal in order (validated as `readJournalTags` says); undefined when there is none. */
export function readJournalEntries(folder: string): JournalEntry[] | undefined {
  const journalPath = join(folder, 'meta', '_journal.json');
  if (!existsSync(journalPath)) return undefined;
  let journal: unknown;
  try {
    journal = JSON.parse(readFileSync(journalPath, 'utf8'));
  } catch (error) {
    throw new MigrationFileError(journalPath, `not valid JSON (${(error as Error).message}); restore it from version control or regenerate it`);
  }
  const entries = (journal as { entries?: unknown } | null)?.entries;
  if (typeof journal !== 'object' || journal === null || !Array.isArray(entries)) {
    throw new MigrationFileError(journalPath, `expected drizzle-kit's journal, an object whose "entries" is an array of { "idx", "tag", … }`);
  }
  const seen = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const { idx, tag } = (entry ?? {}) as { idx?: unknown; tag?: unknown };
    if (typeof idx !== 'number' || !Number.isInteger(idx) || typeof tag !== 'string' || !TAG.test(tag)) {
      throw new MigrationFileError(journalPath, `entries[${index}] needs a whole-number "idx" and a "tag" naming a file of this folder (got ${JSON.stringify(entry)})`);
    }
    if (seen.has(tag)) throw new MigrationFileError(journalPath, `${tag} is listed twice`);
    seen.add(tag);
  });
  return [...(entries as JournalEntry[])].sort((a, b) => a.idx - b.idx);
}

/** The `.sql` files of a drizzle-kit folder that its journal does not list (never applied by anyone). */
export function unlistedMigrationFiles(folder: string): string[] {
  const tags = readJournalTags(folder);
  if (!tags) return [];
  const listed = new Set(tags);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.sql') && !listed.has(file.slice(0, -'.sql'.length)))
    .sort();
}

/**
 * How a folder lists its migrations: `drizzle-kit` (a journal, `meta/_journal.json`) or `supabase`
 * (the Supabase CLI's `supabase/migrations`: files `<version>_<name>.sql`, applied in file-name order,
 * no journal).
 */
export type MigrationFolderFormat = 'drizzle-kit' | 'supabase';

/** The Supabase CLI's migration file name (its `migrateFilePattern`): digits, `_`, a name. */
export const SUPABASE_MIGRATION_FILE = /^([0-9]+)_(.*)\.sql$/;

/** The folder's format; undefined when it is neither (no journal, no `<version>_<name>.sql` file). */
export function migrationFolderFormat(folder: string): MigrationFolderFormat | undefined {
  if (existsSync(join(folder, 'meta', '_journal.json'))) return 'drizzle-kit';
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
  return readdirSync(folder).some((file) => SUPABASE_MIGRATION_FILE.test(file)) ? 'supabase' : undefined;
}

/** A Supabase folder's migration tags (file names without `.sql`) in the CLI's order: by file name. */
function supabaseTags(folder: string): string[] {
  return readdirSync(folder)
    .filter((file) => SUPABASE_MIGRATION_FILE.test(file) && statSync(join(folder, file)).isFile())
    .sort()
    .map((file) => file.slice(0, -'.sql'.length));
}

/** The migration tags of a folder of either format, in the order they apply; undefined when it is neither. */
export function readMigrationTags(folder: string): string[] | undefined {
  const format = migrationFolderFormat(folder);
  if (format === undefined) return undefined;
  return format === 'drizzle-kit' ? readJournalTags(folder) : supabaseTags(folder);
}

/**
 * Reads the migrations in the order they apply: drizzle-kit's journal order, or a Supabase folder's
 * file-name order. A Supabase file has no statement breakpoints: it runs as one multi-statement
 * query (the simple protocol), in its own transaction like any other file.
 */
export function readMigrations(folder: string): MigrationFile[] {
  const tags = readMigrationTags(folder);
  if (!tags) {
    throw new Error(
      `${folder} is not a migrations folder: no drizzle-kit journal (${join('meta', '_journal.json')}) and no Supabase migration (<version>_<name>.sql)`,
    );
  }
  return tags.map((tag) => {
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
