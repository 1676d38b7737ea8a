import { existsSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { connect, redact, type Connection } from '../db';
import type { Logger } from '../log';
import { migrate } from '../migrate';

/** The embedded database the seed and bench commands use when no URL is given. */
export const DEFAULT_BENCH_DATA_DIR = './.therapy-db-bench';

export interface OpenOptions {
  /** A server URL (else DATABASE_URL, else the embedded database in `dataDir`). */
  readonly url?: string;
  readonly dataDir?: string;
  /** Start from an empty database: delete the data dir, or drop and recreate the server database. */
  readonly fresh?: boolean;
  /** Migrations to apply (default: the package's `drizzle/`). */
  readonly migrationsFolder?: string;
  readonly log: Logger;
}

export interface OpenedDatabase {
  readonly database: Connection;
  /** How long `migrate` took (0 when nothing was pending). */
  readonly migrateMs: number;
  readonly migrationsApplied: number;
}

/**
 * Drops and recreates the database named in `url`, through the server's maintenance database (only
 * to issue the two statements; nothing is written there).
 */
export async function recreateServerDatabase(url: string, log: Logger): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!name || ['postgres', 'template0', 'template1'].includes(name)) {
    throw new Error(`--fresh refuses to drop the database "${name || '(none)'}": name a dedicated database, e.g. …/therapy_bench`);
  }
  parsed.pathname = '/postgres';
  const admin = postgres(parsed.toString(), { max: 1, onnotice: () => {} });
  try {
    const ident = `"${name.replace(/"/g, '""')}"`;
    await admin.unsafe(`drop database if exists ${ident} with (force)`);
    await admin.unsafe(`create database ${ident}`);
    log(`database ${name} recreated on ${redact(url).replace(/\/[^/]*$/, '')}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Connects (embedded in `dataDir` unless a URL is given), optionally from empty, and migrates. */
export async function openBenchDatabase(options: OpenOptions): Promise<OpenedDatabase> {
  const url = options.url ?? process.env.DATABASE_URL;
  const dataDir = options.dataDir ?? DEFAULT_BENCH_DATA_DIR;
  if (options.fresh) {
    if (url) await recreateServerDatabase(url, options.log);
    else if (existsSync(dataDir)) {
      rmSync(dataDir, { recursive: true, force: true });
      options.log(`removed ${dataDir}`);
    }
  }
  const database = url ? await connect({ url, max: 4, log: options.log }) : await connect({ dataDir, log: options.log });
  try {
    const started = performance.now();
    const result = await migrate({ client: database.sql, log: options.log, ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}) });
    return { database, migrateMs: Math.round(performance.now() - started), migrationsApplied: result.applied.length };
  } catch (error) {
    await database.close();
    throw error;
  }
}
