import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import postgres from 'postgres';
import { connect, type Connection } from '../src/db';
import { silentLogger } from '../src/log';
import { migrate } from '../src/migrate';

export interface Environment {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly backend: Connection['backend'];
  readonly postgres: string;
  readonly settings: Readonly<Record<string, string>>;
  /** 1-minute load average when the run started (the machine is shared). */
  readonly loadAverage: number;
  /** The migrations the database was built from (`therapy_db.schema_migrations`: tag and sha256 prefix). */
  readonly migrations: readonly string[];
}

export async function describeEnvironment(database: Pick<Connection, 'sql' | 'backend'>): Promise<Environment> {
  const { sql } = database;
  const [{ version } = { version: '?' }] = await sql<{ version: string }[]>`select version()`;
  const settings: Record<string, string> = {};
  for (const name of ['shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'max_parallel_workers_per_gather']) {
    const rows = await sql<{ setting: string }[]>`select current_setting(${name}, true) as setting`;
    if (rows[0]?.setting) settings[name] = rows[0].setting;
  }
  const ledger = await sql<{ tag: string; hash: string }[]>`
    select tag, left(hash, 12) as hash from therapy_db.schema_migrations order by tag`.catch(() => []);
  const cpu = cpus();
  return {
    migrations: ledger.map((m) => `${m.tag}@${m.hash}`),
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    backend: database.backend,
    postgres: version,
    settings,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export interface MigrationTiming {
  readonly backend: 'pglite' | 'postgres';
  /** Wall time of `migrate()` on an empty database, Supabase shim included, per run. */
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly migrations: number;
}

const medianOf = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Migrations applied from empty on a fresh in-memory PGlite, `runs` times. */
export async function timeMigrationsPglite(runs: number, migrationsFolder?: string): Promise<MigrationTiming> {
  const times: number[] = [];
  let migrations = 0;
  for (let i = 0; i < runs; i++) {
    const database = await connect({ embedded: true });
    try {
      const started = performance.now();
      const result = await migrate({ client: database.sql, log: silentLogger, ...(migrationsFolder ? { migrationsFolder } : {}) });
      times.push(performance.now() - started);
      migrations = result.applied.length;
    } finally {
      await database.close();
    }
  }
  return { backend: 'pglite', runsMs: times.map(Math.round), medianMs: Math.round(medianOf(times)), migrations };
}

/**
 * Migrations applied from empty on a server: a scratch database `therapy_bench_migrate_<pid>` is
 * created next to the bench database (through the maintenance database), migrated and dropped.
 */
export async function timeMigrationsServer(url: string, runs: number, migrationsFolder?: string): Promise<MigrationTiming> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const name = `therapy_bench_migrate_${process.pid}`;
  const target = new URL(url);
  target.pathname = `/${name}`;
  const times: number[] = [];
  let migrations = 0;
  const adminSql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < runs; i++) {
      await adminSql.unsafe(`drop database if exists ${name} with (force)`);
      await adminSql.unsafe(`create database ${name}`);
      const started = performance.now();
      const result = await migrate({ url: target.toString(), log: silentLogger, ...(migrationsFolder ? { migrationsFolder } : {}) });
      times.push(performance.now() - started);
      migrations = result.applied.length;
    }
  } finally {
    await adminSql.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await adminSql.end({ timeout: 5 });
  }
  return { backend: 'postgres', runsMs: times.map(Math.round), medianMs: Math.round(medianOf(times)), migrations };
}

export interface TestSuiteTiming {
  readonly command: string;
  readonly wallMs: number;
  readonly exitCode: number;
  readonly database: string;
}

/** Runs `npm test` once (output to stderr) and times it. */
export function timeTestSuite(env: NodeJS.ProcessEnv = process.env): Promise<TestSuiteTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['test'], { stdio: ['ignore', process.stderr, process.stderr], env });
    child.on('error', reject);
    child.on('exit', (code) =>
      resolve({
        command: 'npm test',
        wallMs: Math.round(performance.now() - started),
        exitCode: code ?? 1,
        database: env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : 'embedded PGlite (no DATABASE_URL)',
      }),
    );
  });
}
