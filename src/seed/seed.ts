import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import net from 'node:net';
import postgres from 'postgres';
import type { Connection } from '../db';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { copyRows, pgliteSink, serverSink, tableName, type CopySink } from './copy';
import { seedGlobals, seedOrganization, type GlobalIds, type Loader } from './generate';
import { planTotals, SLOTS_PER_WEEK, WEEKS_AHEAD, WEEKS_PAST, type SeedPlan } from './plan';
import { formatCount, progressBar } from './progress';

export interface SeedOptions {
  readonly database: Pick<Connection, 'sql' | 'backend' | 'embedded' | 'url'>;
  readonly plan: SeedPlan;
  /** Organisations loaded concurrently (server only; PGlite is one session). Default 2 on a server. */
  readonly jobs?: number;
  /** `vacuum (analyze)` after loading, so the planner has statistics (default true). */
  readonly vacuum?: boolean;
  readonly log?: Logger;
  /** Draw the progress bar on stderr (default true). */
  readonly progress?: boolean;
  /**
   * Keep the side-effect triggers (audit log, realtime broadcast, webhook outbox) firing during the
   * load (default false: they are paused, see `pauseSideEffectTriggers`).
   */
  readonly sideEffects?: boolean;
  /**
   * Check foreign keys row by row during the load (default false: they are dropped for the load and
   * re-added afterwards, which makes Postgres validate every row in one set-based pass).
   */
  readonly rowByRowForeignKeys?: boolean;
}

export interface SeedResult {
  readonly seed: string;
  readonly scale: number;
  readonly anchor: string;
  readonly backend: Connection['backend'];
  /** Rows the generator wrote, per table. */
  readonly rows: Readonly<Record<string, number>>;
  readonly totalRows: number;
  /** Rows the database's own triggers wrote meanwhile (audit.audit_log). */
  readonly triggerRows: number;
  readonly loadMs: number;
  readonly vacuumMs: number;
  /** Generator rows per second of load time (COPY + signing updates, triggers and constraints on). */
  readonly rowsPerSecond: number;
  readonly jobs: number;
  /** Side-effect triggers paused during the load (`table.trigger`), empty with `sideEffects`. */
  readonly pausedTriggers: readonly string[];
  /** Foreign keys dropped for the load and re-added (validated) after it. */
  readonly deferredForeignKeys: number;
  /** How long re-adding (validating) them took. */
  readonly validateMs: number;
}

/** Where a seeded database remembers what it holds (outside the library's schemas). */
export const DATASET_TABLE = 'therapy_bench.dataset';

export class SeedError extends Error {}

export interface DatasetInfo {
  readonly seed: string;
  readonly scale: number;
  readonly anchor: string;
  readonly result: SeedResult;
}

/** The data set recorded in the database by a completed seed, if any. */
export async function readDataset(sql: postgres.Sql): Promise<DatasetInfo | null> {
  const [exists] = await sql<{ present: boolean }[]>`select to_regclass(${DATASET_TABLE}) is not null as present`;
  if (!exists?.present) return null;
  const [row] = await sql<{ seed: string; scale: string; anchor: string; result: SeedResult }[]>`
    select seed, scale::text as scale, anchor::text as anchor, result from therapy_bench.dataset limit 1`;
  return row ? { seed: row.seed, scale: Number(row.scale), anchor: row.anchor, result: row.result } : null;
}

async function ensureBenchSchema(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`create schema if not exists therapy_bench;
revoke all on schema therapy_bench from public;
create table if not exists therapy_bench.paused_triggers (
  table_name text not null,
  trigger_name text not null,
  primary key (table_name, trigger_name)
);
create table if not exists therapy_bench.dropped_constraints (
  table_name text not null,
  name text not null,
  definition text not null,
  primary key (table_name, name)
);
create table if not exists ${DATASET_TABLE} (
  seed text not null,
  scale numeric not null,
  anchor date not null,
  seeded_at timestamptz not null default now(),
  result jsonb not null
);
comment on table ${DATASET_TABLE} is 'The generated data set this database holds (npm run seed); not part of the therapy-db schema.'`);
}

async function recordDataset(sql: postgres.Sql, result: SeedResult): Promise<void> {
  await ensureBenchSchema(sql);
  await sql`delete from therapy_bench.dataset`;
  await sql`insert into therapy_bench.dataset (seed, scale, anchor, result)
    values (${result.seed}, ${result.scale}, ${result.anchor}, ${sql.json(result as unknown as postgres.JSONValue)})`;
}

/**
 * The triggers whose only effect is to write *other* rows — the audit log (`app.audit_row`), the
 * realtime broadcast (`app.broadcast_*`, one subtransaction and one realtime.messages row per
 * message) and the webhook outbox (`app.outbox_*`) — are paused during a bulk load: they validate
 * nothing, and replaying millions of historical rows through them would more than double the load.
 * Every constraint and every validating trigger (consent, capacity, status machine, signed notes,
 * charge eligibility, membership, updated_at) stays on. Paused triggers are recorded in
 * `therapy_bench.paused_triggers` first, so a crashed load is repaired by the next one.
 */
const SIDE_EFFECT_TRIGGERS = `
select pg_catalog.format('%I.%I', n.nspname, c.relname) as table_name, t.tgname as trigger_name
  from pg_catalog.pg_trigger t
  join pg_catalog.pg_class c on c.oid = t.tgrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_proc p on p.oid = t.tgfoid
  join pg_catalog.pg_namespace pn on pn.oid = p.pronamespace
 where not t.tgisinternal and t.tgenabled <> 'D' and n.nspname = 'public' and pn.nspname = 'app'
   and (p.proname = 'audit_row' or p.proname like 'broadcast\\_%' or p.proname like 'outbox\\_%')
 order by 1, 2`;

async function pauseSideEffectTriggers(sql: postgres.Sql): Promise<string[]> {
  await ensureBenchSchema(sql);
  return sql.begin(async (tx) => {
    const rows = await tx.unsafe<{ table_name: string; trigger_name: string }[]>(SIDE_EFFECT_TRIGGERS);
    for (const r of rows) {
      await tx`insert into therapy_bench.paused_triggers (table_name, trigger_name) values (${r.table_name}, ${r.trigger_name}) on conflict do nothing`;
      await tx.unsafe(`alter table ${r.table_name} disable trigger "${r.trigger_name.replace(/"/g, '""')}"`);
    }
    return rows.map((r) => `${r.table_name.replace(/^public\./, '')}.${r.trigger_name}`);
  }) as Promise<string[]>;
}

/** Re-enables every trigger a load paused (this one's, or a crashed one's). */
export async function resumePausedTriggers(sql: postgres.Sql): Promise<number> {
  const [exists] = await sql<{ present: boolean }[]>`select to_regclass('therapy_bench.paused_triggers') is not null as present`;
  if (!exists?.present) return 0;
  return sql.begin(async (tx) => {
    const rows = await tx<{ table_name: string; trigger_name: string }[]>`select table_name, trigger_name from therapy_bench.paused_triggers`;
    for (const r of rows) await tx.unsafe(`alter table ${r.table_name} enable trigger "${r.trigger_name.replace(/"/g, '""')}"`);
    await tx`delete from therapy_bench.paused_triggers`;
    return rows.length;
  }) as Promise<number>;
}

/**
 * Foreign keys are checked one row at a time during COPY: a few index probes and a row lock per
 * key and row, the biggest single cost of the load. Instead the load drops the foreign keys of the
 * public schema (recording their definitions in `therapy_bench.dropped_constraints` first) and
 * re-adds every one of them afterwards with `alter table … add constraint`, which validates all
 * rows in one set-based pass and fails the seed on the first orphan. The schema ends up exactly as
 * migrated; the data is checked by Postgres either way.
 */
const FOREIGN_KEYS = `
select c.conrelid::regclass::text as table_name, c.conname as name, pg_catalog.pg_get_constraintdef(c.oid) as definition
  from pg_catalog.pg_constraint c
  join pg_catalog.pg_namespace n on n.oid = c.connamespace
 where c.contype = 'f' and n.nspname = 'public'
 order by 1, 2`;

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function dropForeignKeys(sql: postgres.Sql): Promise<number> {
  await ensureBenchSchema(sql);
  return sql.begin(async (tx) => {
    const rows = await tx.unsafe<{ table_name: string; name: string; definition: string }[]>(FOREIGN_KEYS);
    for (const r of rows) {
      await tx`insert into therapy_bench.dropped_constraints (table_name, name, definition) values (${r.table_name}, ${r.name}, ${r.definition})`;
      await tx.unsafe(`alter table ${r.table_name} drop constraint ${quoteName(r.name)}`);
    }
    return rows.length;
  }) as Promise<number>;
}

/** Re-adds (and so validates) every foreign key a load dropped; all or nothing. */
export async function restoreForeignKeys(sql: postgres.Sql): Promise<number> {
  const [exists] = await sql<{ present: boolean }[]>`select to_regclass('therapy_bench.dropped_constraints') is not null as present`;
  if (!exists?.present) return 0;
  return sql.begin(async (tx) => {
    const rows = await tx<{ table_name: string; name: string; definition: string }[]>`
      select table_name, name, definition from therapy_bench.dropped_constraints order by table_name, name`;
    for (const r of rows) await tx.unsafe(`alter table ${r.table_name} add constraint ${quoteName(r.name)} ${r.definition}`);
    await tx`delete from therapy_bench.dropped_constraints`;
    return rows.length;
  }) as Promise<number>;
}

/** Expected generator rows of one organisation, for the progress bar only. */
function expectedRows(plan: SeedPlan, index: number): number {
  const o = plan.organizations[index]!;
  return o.therapists * SLOTS_PER_WEEK * (WEEKS_PAST + WEEKS_AHEAD) * 4.6 + o.messages + o.students * 14;
}

/**
 * Writes the plan's data set into a migrated, empty database: organisations one transaction each
 * (a failed organisation leaves nothing behind), then `vacuum (analyze)`, then the data set record.
 */
export async function seed(options: SeedOptions): Promise<SeedResult> {
  const { database, plan } = options;
  const log = options.log ?? silentLogger;
  const { sql, backend } = database;
  const jobs = backend === 'pglite' ? 1 : Math.max(1, options.jobs ?? 2);
  const [{ count } = { count: '0' }] = await sql<{ count: string }[]>`select count(*)::text as count from public.organizations`;
  if (Number(count) > 0) {
    throw new SeedError(`the database already holds ${count} organisations: seed an empty, migrated database (pass --fresh to recreate it)`);
  }
  const sinkFor = (tx: postgres.TransactionSql): CopySink => {
    if (backend === 'pglite') {
      if (!database.embedded) throw new SeedError('embedded backend without its PGlite instance');
      return pgliteSink(database.embedded.pglite);
    }
    return serverSink(tx);
  };
  const rows: Record<string, number> = {};
  // The columns the database has: a release being upgraded from lacks the ones added since.
  const present = await tableColumns(sql);
  const omitted = new Set<string>();
  const totals = planTotals(plan);
  log(
    `seed: scale ${plan.scale} (seed "${plan.seed}", anchor ${plan.anchor.toISOString().slice(0, 10)}): ${formatCount(totals.organizations)} organisations, ` +
      `${formatCount(totals.therapists)} therapists, ${formatCount(totals.students)} students, ~${formatCount(totals.sessions)} sessions, ` +
      `${formatCount(totals.messages)} messages; ${jobs} job${jobs === 1 ? '' : 's'} on ${backend}`,
  );
  const totalExpected = plan.organizations.reduce((sum, _, i) => sum + expectedRows(plan, i), 0);
  const bar = progressBar('seed', totalExpected, process.stderr, options.progress ?? true);
  let written = 0;
  let doneExpected = 0;
  const partial = new Map<number, number>();
  const started = performance.now();
  const report = () => {
    const inFlight = [...partial.entries()].reduce((sum, [i, n]) => sum + Math.min(n, expectedRows(plan, i) * 0.99), 0);
    const seconds = (performance.now() - started) / 1000;
    bar.update(doneExpected + inFlight, `${formatCount(written)} rows, ${formatCount(written / Math.max(seconds, 0.001))} rows/s`);
  };
  const loaderFor = (tx: postgres.TransactionSql, orgIndex: number | null): Loader => {
    const sink = sinkFor(tx);
    return {
      sql: tx,
      async step(label, fn) {
        const t0 = performance.now();
        const result = await fn();
        if (process.env.SEED_TIMING) log(`\n  ${label}: ${Math.round(performance.now() - t0)} ms`);
        return result;
      },
      async copy<T extends PgTable>(table: T, batch: readonly T['$inferInsert'][]) {
        const t0 = performance.now();
        const name = tableName(table);
        const copied = await copyRows(sink, table, batch, present.get(qualifiedName(table)));
        const n = copied.rows;
        for (const column of copied.omitted) {
          if (omitted.has(`${name}.${column}`)) continue;
          omitted.add(`${name}.${column}`);
          log(`seed: ${name}.${column} is not in this database (an older schema): left out`);
        }
        if (process.env.SEED_TIMING) log(`\n  ${name}: ${n} rows in ${Math.round(performance.now() - t0)} ms`);
        rows[name] = (rows[name] ?? 0) + n;
        written += n;
        if (orgIndex !== null) partial.set(orgIndex, (partial.get(orgIndex) ?? 0) + n);
        report();
      },
    };
  };
  // On a server, load through a client of our own with Nagle's algorithm off: a COPY ends with two
  // small writes (last CopyData, CopyDone), which Nagle + delayed ACK would hold for ~40 ms each.
  const loadSql = backend === 'postgres' ? loadingClient(database.url, jobs) : sql;
  const begin = <T>(fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> =>
    loadSql.begin(async (tx) => {
      // Durability of a bulk load is the load's own business: a crash means seeding again.
      await tx`set local synchronous_commit = off`;
      return fn(tx);
    }) as Promise<T>;

  const auditBefore = await countAudit(sql);
  await resumePausedTriggers(sql);
  await restoreForeignKeys(sql);
  const pausedTriggers = options.sideEffects ? [] : await pauseSideEffectTriggers(sql);
  if (pausedTriggers.length > 0) log(`seed: paused ${pausedTriggers.length} side-effect triggers (audit, broadcast, outbox) for the load`);
  const deferredForeignKeys = options.rowByRowForeignKeys ? 0 : await dropForeignKeys(sql);
  if (deferredForeignKeys > 0) log(`seed: ${deferredForeignKeys} foreign keys dropped for the load; they are re-added (validated) after it`);
  let loadMs: number;
  let validateMs = 0;
  try {
    const globals: GlobalIds = await begin((tx) => seedGlobals(plan, loaderFor(tx, null)));
    let next = 0;
    const worker = async () => {
      while (next < plan.organizations.length) {
        const org = plan.organizations[next++]!;
        await begin((tx) => seedOrganization(plan, org, globals, loaderFor(tx, org.index)));
        partial.delete(org.index);
        doneExpected += expectedRows(plan, org.index);
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, plan.organizations.length) }, worker));
    if (deferredForeignKeys > 0) {
      bar.update(totalExpected * 0.999, `${formatCount(written)} rows; validating ${deferredForeignKeys} foreign keys…`);
      const t0 = performance.now();
      await restoreForeignKeys(sql);
      validateMs = performance.now() - t0;
    }
    loadMs = performance.now() - started;
  } finally {
    if (loadSql !== sql) await loadSql.end({ timeout: 5 });
    // After a failure: put the schema back (the organisations committed so far are complete).
    const restored = await restoreForeignKeys(sql).catch((error: unknown) => {
      log(`seed: could not re-add the dropped foreign keys (${(error as Error).message}); start again with --fresh`);
      return 0;
    });
    if (restored > 0) log(`seed: re-added ${restored} foreign keys after the failure`);
    const resumed = await resumePausedTriggers(sql);
    if (resumed > 0) log(`seed: resumed ${resumed} side-effect triggers`);
  }
  bar.finish(`${formatCount(written)} rows in ${(loadMs / 1000).toFixed(1)} s, ${formatCount(written / (loadMs / 1000))} rows/s`);
  if (deferredForeignKeys > 0) log(`seed: ${deferredForeignKeys} foreign keys re-added and validated in ${(validateMs / 1000).toFixed(1)} s`);
  const triggerRows = (await countAudit(sql)) - auditBefore;
  let vacuumMs = 0;
  if (options.vacuum ?? true) {
    log('seed: vacuum (analyze)…');
    const t0 = performance.now();
    await sql`vacuum (analyze)`;
    vacuumMs = performance.now() - t0;
    log(`seed: vacuum (analyze) in ${(vacuumMs / 1000).toFixed(1)} s`);
  }
  const result: SeedResult = {
    seed: plan.seed,
    scale: plan.scale,
    anchor: plan.anchor.toISOString().slice(0, 10),
    backend,
    rows: Object.fromEntries(Object.entries(rows).sort(([a], [b]) => a.localeCompare(b))),
    totalRows: written,
    triggerRows,
    loadMs: Math.round(loadMs),
    vacuumMs: Math.round(vacuumMs),
    rowsPerSecond: Math.round(written / (loadMs / 1000)),
    jobs,
    pausedTriggers,
    deferredForeignKeys,
    validateMs: Math.round(validateMs),
  };
  await recordDataset(sql, result);
  return result;
}

/** `schema.table` → its columns, for the schemas the seed writes. */
async function tableColumns(sql: postgres.Sql): Promise<Map<string, Set<string>>> {
  const rows = await sql<{ table_name: string; column_name: string }[]>`
    select table_schema || '.' || table_name as table_name, column_name from information_schema.columns
     where table_schema in ('public', 'audit', 'auth')`;
  const columns = new Map<string, Set<string>>();
  for (const r of rows) columns.set(r.table_name, (columns.get(r.table_name) ?? new Set()).add(r.column_name));
  return columns;
}

/** `schema.table` of a Drizzle table, unquoted. */
function qualifiedName(table: PgTable): string {
  const config = getTableConfig(table);
  return `${config.schema ?? 'public'}.${config.name}`;
}

function loadingClient(url: string, jobs: number): postgres.Sql {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname);
  const options = { max: jobs, onnotice: () => {}, connection: { application_name: 'therapy-db-seed' } } as const;
  if (!host || host.startsWith('/')) return postgres(url, options);
  const port = Number(parsed.port || 5432);
  // `socket` (a connected socket factory) is a postgres.js option its type declarations omit.
  return postgres(url, {
    ...options,
    socket: () =>
      new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect({ host, port });
        socket.setNoDelay(true);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }),
  } as postgres.Options<Record<string, never>>);
}

async function countAudit(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`select count(*)::text as n from audit.audit_log`;
  return Number(row?.n ?? 0);
}
