import { basename } from 'node:path';
import type postgres from 'postgres';
import { connect } from '../db';
import { silentLogger, type Logger } from '../log';
import { applySupabaseShim, hasSupabasePlatform } from '../platform';
import { MigrationError } from './errors';
import type { MigrationFile } from './journal';
import { readMigrationLayers, type MigrationsFolders } from './layers';

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
  readonly shimCreated: readonly string[];
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
const LOCK = `select pg_catalog.pg_advisory_xact_lock(${LOCK_KEY})`;

async function runStatements(sql: postgres.Sql | postgres.TransactionSql | postgres.ReservedSql, migration: MigrationFile): Promise<void> {
  for (const [index, statement] of migration.statements.entries()) {
    try {
      await sql.unsafe(statement);
    } catch (error) {
      throw new MigrationError(basename(migration.file), index + 1, statement, (error as { code?: string }).code, error);
    }
  }
}

const record = (sql: postgres.Sql | postgres.TransactionSql | postgres.ReservedSql, migration: MigrationFile, started: number) =>
  sql.unsafe(`insert into ${LEDGER} (tag, hash, duration_ms) values ($1, $2, $3)`, [migration.tag, migration.hash, Math.round(performance.now() - started)]);

/**
 * The file in one transaction, under a lock that serialises concurrent migrators; the ledger is
 * read again under the lock in case another migrator applied this file meanwhile.
 */
async function applyInTransaction(sql: postgres.Sql, migration: MigrationFile, started: number): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx.unsafe(LOCK);
    if ((await tx.unsafe(`select 1 from ${LEDGER} where tag = $1`, [migration.tag])).length > 0) return false;
    await runStatements(tx, migration);
    await record(tx, migration, started);
    return true;
  });
}

/**
 * A `no-transaction` file, statement by statement on one connection holding a session lock. A
 * failure cannot be rolled back: the error names the statement, and the statements before it stay
 * applied (write such files idempotently: `create index concurrently if not exists`).
 */
async function applyWithoutTransaction(sql: postgres.Sql, migration: MigrationFile, started: number): Promise<boolean> {
  const connection = await sql.reserve();
  try {
    await connection.unsafe(`select pg_catalog.pg_advisory_lock(${LOCK_KEY})`);
    try {
      if ((await connection.unsafe(`select 1 from ${LEDGER} where tag = $1`, [migration.tag])).length > 0) return false;
      await runStatements(connection, migration);
      await record(connection, migration, started);
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
  const all = readMigrationLayers(options.migrationsFolder).flatMap((layer) => layer.migrations);
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
    await tx.unsafe(LOCK);
    await tx.unsafe(`create schema if not exists therapy_db;
create table if not exists ${LEDGER} (
  tag text primary key,
  hash text not null,
  applied_at timestamptz not null default now(),
  duration_ms integer not null
);
revoke all on schema therapy_db from public;`);
  });
  const rows = await sql.unsafe<{ tag: string; hash: string }[]>(`select tag, hash from ${LEDGER}`);
  const recorded = new Map(rows.map((r) => [r.tag, r.hash]));
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
    const ran = migration.noTransaction ? await applyWithoutTransaction(sql, migration, started) : await applyInTransaction(sql, migration, started);
    if (!ran) {
      alreadyApplied.push(migration.tag);
      continue;
    }
    log(`applied ${basename(migration.file)} in ${Math.round(performance.now() - started)} ms`);
    applied.push(migration.tag);
  }
  log(
    applied.length === 0
      ? `migrations: up to date (${alreadyApplied.length} applied before)`
      : `migrations: ${applied.length} applied, ${alreadyApplied.length} already up to date`,
  );
  return { applied, alreadyApplied, shimCreated };
}
