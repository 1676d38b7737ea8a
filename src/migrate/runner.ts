import { basename } from 'node:path';
import type postgres from 'postgres';
import { connect } from '../db';
import { silentLogger, type Logger } from '../log';
import { applySupabaseShim, hasSupabasePlatform } from '../platform';
import { MigrationError } from './errors';
import { unlistedMigrationFiles, type MigrationFile } from './journal';
import { readMigrationLayers, type MigrationsFolders } from './layers';
import { ensureSupabaseLedger, readSupabaseLedger, recordInSupabaseLedger, SUPABASE_LEDGER, supabaseNamesOfLayers, type SupabaseMigrationName } from './supabase-ledger';
import { preflight } from './preflight';

export interface MigrateOptions {
  /** A connection URL (else `client`, else `DATABASE_URL`, else a throwaway embedded database). */
  readonly url?: string;
  /** An open postgres.js client; it is not closed. */
  readonly client?: postgres.Sql;
  /**
   * The migrations: one folder, or the layers of an app applied in order, e.g.
   * `[defaultMigrationsFolder(), './migrations']` (the package's, then the app's; drizzle-kit or
   * Supabase-format folders). Defaults to the migrations shipped in the package (`drizzle/`).
   */
  readonly migrationsFolder?: MigrationsFolders;
  /**
   * `auto` (default): apply the Supabase platform shim when the database lacks Supabase's `auth`
   * schema; `never`: fail instead (for production, where the platform must be the real one).
   */
  readonly shim?: 'auto' | 'never';
  /**
   * Keep the Supabase CLI's ledger (`supabase_migrations.schema_migrations`) in step (default true):
   * a migration it lists is treated as applied and recorded here, and every migration recorded here is
   * recorded there too (created as `supabase db push` creates it), under the version
   * `therapy-db export supabase` names its file with. So `supabase db push` and `migrate` can take
   * turns on one database without applying anything twice (docs/supabase.md).
   */
  readonly supabaseLedger?: boolean;
  /** Progress lines (`applied 0003_x.sql in 41 ms`); the library is silent without one (the CLI passes stderr). */
  readonly log?: Logger;
  /**
   * Stop after this migration (its tag, e.g. `0002_init_objects`): the database is brought to that
   * point and no further, e.g. to the last migration of a release (`releases.json`). An unknown
   * tag is an error before anything runs.
   */
  readonly to?: string;
}

export interface MigrateResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
  /** Of `alreadyApplied`: the migrations the Supabase CLI had applied, now recorded in this ledger too. */
  readonly adoptedFromSupabase: readonly string[];
  readonly shimCreated: readonly string[];
  /**
   * Migrations the database records as applied that no folder given lists: it was migrated by a
   * newer version of the package (or app), or a journal entry was lost. Logged as a warning.
   */
  readonly unknownApplied: readonly string[];
}

const LEDGER = 'therapy_db.schema_migrations';

/**
 * Applies the migrations in order, each file in its own transaction, recording each in
 * `therapy_db.schema_migrations`. Re-running is a no-op. A failing file is rolled back whole and
 * reported with its file, statement and SQLSTATE (`MigrationError`). Concurrent runs are serialised
 * with an advisory lock.
 */
export async function migrate(options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? silentLogger;
  if (options.client) return migrateWith(options.client, options, log);
  const database = await connect({ ...(options.url ? { url: options.url } : {}), max: 1, log });
  try {
    return await migrateWith(database.sql, options, log);
  } finally {
    await database.close();
  }
}

const LOCK_KEY = `pg_catalog.hashtext('therapy-db:migrate')`;

type Connection = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

/** How long a migrator waits for the lock before it says who holds it. */
const LOCK_REPORT_AFTER_MS = 1_000;

/**
 * Takes the advisory lock that serialises migrators: for the transaction (`xact`, released at its
 * end) or the session (released by `unlockMigrations`). A migrator that waits more than a second
 * logs who holds the lock (pid, application, user, client, since when, what it runs), then waits
 * its turn; it logs again when it gets the lock.
 */
async function lockMigrations(sql: Connection, scope: 'xact' | 'session', log: Logger): Promise<void> {
  const infix = scope === 'xact' ? '_xact' : '';
  const tryLock = async () => (await sql.unsafe<{ locked: boolean }[]>(`select pg_catalog.pg_try_advisory${infix}_lock(${LOCK_KEY}) as locked`))[0]!.locked;
  const started = performance.now();
  while (performance.now() - started < LOCK_REPORT_AFTER_MS) {
    if (await tryLock()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`migrate: waiting for the migration lock, held by ${await lockHolder(sql)}`);
  await sql.unsafe(`select pg_catalog.pg_advisory${infix}_lock(${LOCK_KEY})`);
  log(`migrate: got the migration lock after ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Who holds the migration lock, as far as this role may see (pg_stat_activity hides other users' details). */
async function lockHolder(sql: Connection): Promise<string> {
  const rows = await sql.unsafe<
    { pid: number; application_name: string | null; usename: string | null; client_addr: string | null; state: string | null; seconds: number | null; query: string | null }[]
  >(`select a.pid, nullif(a.application_name, '') as application_name, a.usename::text, a.client_addr::text, a.state,
       greatest(0, extract(epoch from pg_catalog.clock_timestamp() - coalesce(a.xact_start, a.backend_start)))::int as seconds, pg_catalog.left(a.query, 120) as query
  from pg_catalog.pg_locks l join pg_catalog.pg_stat_activity a on a.pid = l.pid
 where l.locktype = 'advisory' and l.granted and l.objsubid = 1
   -- advisory locks are per database: a migrate of another database on the server is not the holder
   and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database())
   and l.classid::bigint = ((${LOCK_KEY})::bigint >> 32) & 4294967295
   and l.objid::bigint = (${LOCK_KEY})::bigint & 4294967295`);
  const holder = rows[0];
  if (!holder) return 'another session (it is not visible to this role)';
  const details = [
    holder.application_name ? `application ${holder.application_name}` : undefined,
    holder.usename ? `user ${holder.usename}` : undefined,
    holder.client_addr ? `from ${holder.client_addr}` : undefined,
    holder.seconds !== null ? `for ${holder.seconds} s` : undefined,
    holder.state ? `${holder.state}${holder.query ? `: ${holder.query.replace(/\s+/g, ' ')}` : ''}` : undefined,
  ].filter(Boolean);
  return `pid ${holder.pid}${details.length ? ` (${details.join(', ')})` : ''}: another migrate is running`;
}

async function runStatements(sql: Connection, migration: MigrationFile): Promise<void> {
  for (const [index, statement] of migration.statements.entries()) {
    try {
      await sql.unsafe(statement);
    } catch (error) {
      throw new MigrationError(basename(migration.file), index + 1, statement, (error as { code?: string }).code, error);
    }
  }
}

/** The Supabase CLI's name of each migration, when its ledger is kept in step. */
type SupabaseNames = ReadonlyMap<string, SupabaseMigrationName> | undefined;

async function record(sql: Connection, migration: MigrationFile, started: number, supabase: SupabaseNames): Promise<void> {
  await sql.unsafe(`insert into ${LEDGER} (tag, hash, duration_ms) values ($1, $2, $3)`, [migration.tag, migration.hash, Math.round(performance.now() - started)]);
  const name = supabase?.get(migration.tag);
  if (name) await recordInSupabaseLedger(sql, name, migration.statements);
}

/**
 * The file in one transaction, under a lock that serialises concurrent migrators; the ledger is
 * read again under the lock in case another migrator applied this file meanwhile.
 */
async function applyInTransaction(sql: postgres.Sql, migration: MigrationFile, started: number, log: Logger, supabase: SupabaseNames): Promise<boolean> {
  return sql.begin(async (tx) => {
    await lockMigrations(tx, 'xact', log);
    if ((await tx.unsafe(`select 1 from ${LEDGER} where tag = $1`, [migration.tag])).length > 0) return false;
    await runStatements(tx, migration);
    await record(tx, migration, started, supabase);
    return true;
  });
}

/**
 * A `no-transaction` file, statement by statement on one connection holding a session lock. A
 * failure cannot be rolled back: the error names the statement, and the statements before it stay
 * applied (write such files idempotently: `create index concurrently if not exists`).
 */
async function applyWithoutTransaction(sql: postgres.Sql, migration: MigrationFile, started: number, log: Logger, supabase: SupabaseNames): Promise<boolean> {
  const connection = await sql.reserve();
  try {
    await lockMigrations(connection, 'session', log);
    try {
      if ((await connection.unsafe(`select 1 from ${LEDGER} where tag = $1`, [migration.tag])).length > 0) return false;
      await runStatements(connection, migration);
      await record(connection, migration, started, supabase);
      return true;
    } finally {
      await connection.unsafe(`select pg_catalog.pg_advisory_unlock(${LOCK_KEY})`);
    }
  } finally {
    connection.release();
  }
}

async function migrateWith(sql: postgres.Sql, options: MigrateOptions, log: Logger): Promise<MigrateResult> {
  // Read (and the layers' tags checked) before the database is touched.
  const layers = readMigrationLayers(options.migrationsFolder);
  // A Supabase-format layer may hold the package's migrations as exported (same version, same text):
  // each is one migration, applied once.
  const { names, copies } = supabaseNamesOfLayers(layers);
  for (const [copy, original] of copies) log(`${copy}.sql is the exported copy of ${original}.sql: applied once`);
  const all = layers.flatMap((layer) => layer.migrations).filter((m) => !copies.has(m.tag));
  const stop = options.to === undefined ? all.length : all.findIndex((m) => m.tag === options.to) + 1;
  if (stop === 0) throw new Error(`migrate: no migration ${options.to} (to); the last one is ${all.at(-1)?.tag ?? 'none'}`);
  const migrations = all.slice(0, stop);
  let shimCreated: readonly string[] = [];
  if (!(await hasSupabasePlatform(sql))) {
    if (options.shim === 'never') {
      throw new Error('the database has no Supabase auth schema and shim is "never": run against a Supabase project');
    }
    log('database lacks the Supabase platform (auth schema): applying the local shim first');
    shimCreated = (await applySupabaseShim(sql, log)).created;
  }
  await sql.begin(async (tx) => {
    await lockMigrations(tx, 'xact', log);
    await tx.unsafe(`create schema if not exists therapy_db;
create table if not exists ${LEDGER} (
  tag text primary key,
  hash text not null,
  applied_at timestamptz not null default now(),
  duration_ms integer not null
);
revoke all on schema therapy_db from public;`);
  });
  const supabase = options.supabaseLedger === false ? undefined : names;
  const adoptedFromSupabase = supabase ? await syncSupabaseLedger(sql, migrations, supabase, log) : [];
  const rows = await sql.unsafe<{ tag: string; hash: string }[]>(`select tag, hash from ${LEDGER} order by applied_at, tag`);
  const recorded = new Map(rows.map((r) => [r.tag, r.hash]));
  // Every file about to run is checked before the first one does.
  for (const migration of migrations) if (!recorded.has(migration.tag)) preflight(migration);
  const known = new Set(all.map((m) => m.tag));
  const unknownApplied = rows.map((r) => r.tag).filter((tag) => !known.has(tag));
  if (unknownApplied.length > 0) {
    log(
      `warning: the database has ${unknownApplied.length} applied migration${unknownApplied.length === 1 ? '' : 's'} that ${layers.length === 1 ? 'the migrations folder does' : 'no migrations folder given does'} not list ` +
        `(${unknownApplied.join(', ')}): it was migrated by a newer version, or the journal lost ${unknownApplied.length === 1 ? 'an entry' : 'entries'}; run \`therapy-db check\``,
    );
  }
  for (const layer of layers) {
    for (const file of unlistedMigrationFiles(layer.folder)) {
      log(`warning: ${file} is in ${layer.folder} but not in meta/_journal.json, so it is never applied; generate migrations with \`npm run db:generate\` (or drizzle-kit), which lists them`);
    }
  }
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const migration of migrations) {
    const previousHash = recorded.get(migration.tag);
    if (previousHash !== undefined) {
      if (previousHash !== migration.hash) {
        log(`warning: ${basename(migration.file)} was edited after it was applied (hash differs); run \`therapy-db check\``);
      }
      alreadyApplied.push(migration.tag);
      continue;
    }
    const started = performance.now();
    const ran = migration.noTransaction
      ? await applyWithoutTransaction(sql, migration, started, log, supabase)
      : await applyInTransaction(sql, migration, started, log, supabase);
    if (!ran) {
      alreadyApplied.push(migration.tag);
      continue;
    }
    log(`applied ${basename(migration.file)} in ${Math.round(performance.now() - started)} ms`);
    applied.push(migration.tag);
  }
  const unknown =
    (adoptedFromSupabase.length > 0 ? `; ${adoptedFromSupabase.length} of them applied by supabase db push` : '') +
    (unknownApplied.length > 0 ? `; the database also has ${unknownApplied.length} migration${unknownApplied.length === 1 ? '' : 's'} not listed here` : '');
  log(
    applied.length === 0
      ? `migrations: up to date (${alreadyApplied.length} applied before${unknown})`
      : `migrations: ${applied.length} applied, ${alreadyApplied.length} already up to date${unknown}`,
  );
  return { applied, alreadyApplied, adoptedFromSupabase, shimCreated, unknownApplied };
}

/**
 * Brings the two ledgers in step, under the migration lock: a migration the Supabase CLI applied
 * (its version and name in `supabase_migrations.schema_migrations`) is recorded here as applied, and
 * one recorded only here (applied by `migrate` before the CLI's ledger was kept) is recorded there.
 * Returns the tags taken over from the CLI.
 */
async function syncSupabaseLedger(sql: postgres.Sql, migrations: readonly MigrationFile[], names: ReadonlyMap<string, SupabaseMigrationName>, log: Logger): Promise<string[]> {
  return sql.begin(async (tx) => {
    await lockMigrations(tx, 'xact', log);
    await ensureSupabaseLedger(tx);
    const theirs = await readSupabaseLedger(tx);
    const ours = new Set((await tx.unsafe<{ tag: string }[]>(`select tag from ${LEDGER}`)).map((r) => r.tag));
    const adopted: string[] = [];
    for (const migration of migrations) {
      const name = names.get(migration.tag)!;
      // An old CLI recorded versions without names: the version alone identifies the file then.
      const theirName = theirs.get(name.version);
      if (theirName !== undefined && theirName !== '' && theirName !== name.name) {
        throw new Error(
          `${SUPABASE_LEDGER} lists version ${name.version} as "${theirName}", but that version is ${name.name} (${basename(migration.file)}): ` +
            'two migrations have the same timestamp; rename one (supabase migration repair) before migrating',
        );
      }
      if (ours.has(migration.tag) && theirName === undefined) {
        await recordInSupabaseLedger(tx, name, migration.statements);
      } else if (!ours.has(migration.tag) && theirName !== undefined) {
        await tx.unsafe(`insert into ${LEDGER} (tag, hash, duration_ms) values ($1, $2, 0)`, [migration.tag, migration.hash]);
        log(`recorded ${basename(migration.file)}: the Supabase CLI applied it (version ${name.version})`);
        adopted.push(migration.tag);
      }
    }
    return adopted;
  });
}
