import type postgres from 'postgres';
import { readJournalEntries, SUPABASE_MIGRATION_FILE } from './journal';
import type { MigrationLayer } from './layers';

/**
 * The Supabase CLI's view of the migrations: each file of `supabase/migrations` is
 * `<version>_<name>.sql`, and `supabase db push` records it in `supabase_migrations.schema_migrations`
 * (version, name, statements). therapy-db names its migrations by drizzle-kit's tag and records them in
 * `therapy_db.schema_migrations`; this module maps one onto the other, so either tool can apply a
 * migration and the other treats it as applied.
 */

/** One migration as the Supabase CLI sees it. */
export interface SupabaseMigrationName {
  /** The tag `therapy_db.schema_migrations` records: drizzle-kit's (`0001_init`), or a Supabase file's name without `.sql`. */
  readonly tag: string;
  /** The CLI's `version`: for the package's migrations 14 digits, `YYYYMMDDHHMMSS` (UTC). */
  readonly version: string;
  /** The CLI's `name`: drizzle-kit's tag, or what follows the version in a Supabase file's name. */
  readonly name: string;
  /** `<version>_<name>.sql`, the file name in `supabase/migrations`. */
  readonly fileName: string;
}

export const SUPABASE_LEDGER = 'supabase_migrations.schema_migrations';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYYMMDDHHMMSS` (UTC) of a time in whole seconds since the epoch. */
function formatVersion(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/**
 * The Supabase CLI's version of every migration in `folder`, in journal order: the second drizzle-kit
 * generated it (the journal's `when`, UTC), so the names are the same on every machine and run, and a
 * migration generated later sorts later. Two migrations generated within one second (or a journal whose
 * clock went backwards) get the next free second, so versions always increase in journal order.
 */
export function supabaseMigrationNames(folder: string): SupabaseMigrationName[] {
  const entries = readJournalEntries(folder);
  if (!entries) throw new Error(`no migrations journal in ${folder}/meta/_journal.json; is ${folder} a drizzle-kit migrations folder?`);
  let previous = -Infinity;
  return entries.map((entry) => {
    if (!Number.isFinite(entry.when)) throw new Error(`${folder}/meta/_journal.json: entry ${entry.tag} has no "when" timestamp`);
    const seconds = Math.max(Math.floor(entry.when / 1000), previous + 1);
    previous = seconds;
    const version = formatVersion(seconds);
    return { tag: entry.tag, version, name: entry.tag, fileName: `${version}_${entry.tag}.sql` };
  });
}

/**
 * The CLI's names of every migration of the layers, by tag: a drizzle-kit layer's from its journal, a
 * Supabase layer's from its file names. A Supabase layer may hold the package's migrations as
 * `therapy-db export supabase` wrote them: a file with the version and text of an earlier layer's
 * migration is that migration (`copies`: copy's tag → original's tag), applied once. The same version
 * with another text is refused.
 */
export function supabaseNamesOfLayers(layers: readonly MigrationLayer[]): {
  readonly names: ReadonlyMap<string, SupabaseMigrationName>;
  readonly copies: ReadonlyMap<string, string>;
} {
  const names = new Map<string, SupabaseMigrationName>();
  const byVersion = new Map<string, { tag: string; hash: string; folder: string }>();
  const copies = new Map<string, string>();
  for (const layer of layers) {
    const layerNames =
      layer.format === 'drizzle-kit'
        ? supabaseMigrationNames(layer.folder)
        : layer.migrations.map((m) => {
            const [, version, name] = SUPABASE_MIGRATION_FILE.exec(`${m.tag}.sql`)!;
            return { tag: m.tag, version: version!, name: name!, fileName: `${m.tag}.sql` };
          });
    const hashes = new Map(layer.migrations.map((m) => [m.tag, m.hash]));
    for (const name of layerNames) {
      const hash = hashes.get(name.tag)!;
      const first = byVersion.get(name.version);
      if (first !== undefined) {
        if (first.hash !== hash) {
          throw new Error(
            `${name.fileName} in ${layer.folder} has version ${name.version}, like ${first.tag} in ${first.folder}, but not its text: ` +
              'an edited copy of a migration, or two migrations with one timestamp',
          );
        }
        copies.set(name.tag, first.tag);
        continue;
      }
      byVersion.set(name.version, { tag: name.tag, hash, folder: layer.folder });
      names.set(name.tag, name);
    }
  }
  return { names, copies };
}

type Sql = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

/**
 * Creates the CLI's ledger if it is missing, with the statements `supabase db push` runs (so the CLI
 * finds the table it expects): a schema, a table keyed by version, the statements and name columns.
 */
export async function ensureSupabaseLedger(sql: Sql): Promise<void> {
  await sql.unsafe(`create schema if not exists supabase_migrations;
create table if not exists ${SUPABASE_LEDGER} (version text not null primary key);
alter table ${SUPABASE_LEDGER} add column if not exists statements text[];
alter table ${SUPABASE_LEDGER} add column if not exists name text;`);
}

/** Whether the database has the CLI's ledger (a project that has seen `supabase db push`, or `migrate`). */
export async function hasSupabaseLedger(sql: Sql): Promise<boolean> {
  const [row] = await sql.unsafe<{ present: boolean }[]>(`select pg_catalog.to_regclass('${SUPABASE_LEDGER}') is not null as present`);
  return row?.present === true;
}

/** The rows of the CLI's ledger: version → name. */
export async function readSupabaseLedger(sql: Sql): Promise<Map<string, string>> {
  if (!(await hasSupabaseLedger(sql))) return new Map();
  const rows = await sql.unsafe<{ version: string; name: string | null }[]>(`select version, coalesce(name, '') as name from ${SUPABASE_LEDGER}`);
  return new Map(rows.map((r) => [r.version, r.name ?? '']));
}

/** Records a migration the way `supabase db push` does (nothing when the version is already there). */
export async function recordInSupabaseLedger(sql: Sql, name: SupabaseMigrationName, statements: readonly string[]): Promise<void> {
  await sql.unsafe(`insert into ${SUPABASE_LEDGER} (version, name, statements) values ($1, $2, $3::text[]) on conflict (version) do nothing`, [
    name.version,
    name.name,
    toTextArrayLiteral(statements),
  ]);
}

/** A `text[]` literal (`{"a","b"}`), so the statements travel as one untyped parameter on every driver. */
function toTextArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
