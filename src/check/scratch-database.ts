import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connect, redact, type Connection } from '../db';
import type { Logger } from '../log';

/** An empty database for the replay, removed again by `close()`. */
export interface ScratchDatabase {
  readonly sql: postgres.Sql;
  /** For messages: `embedded PGlite` or `therapy_db_check_1a2b3c4d on postgres://…`. */
  readonly label: string;
  /** The connection as `connect()` made it (what the seed needs: backend, URL, the PGlite instance). */
  readonly database: Pick<Connection, 'sql' | 'backend' | 'embedded' | 'url'>;
  close(): Promise<void>;
}

/** `therapy_db_check_<random>`: the scratch databases the check creates on a server. */
export const SCRATCH_PREFIX = 'therapy_db_check_';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A freshly initialised embedded cluster, dumped by the first scratch database of the process:
 * PGlite's initdb takes seconds of WebAssembly, loading the dump about one, and one check opens up
 * to three scratch databases (replay, sql-drift, trace). The dump is the data directory as initdb
 * left it, so a database loaded from it is the same empty database.
 */
let emptyCluster: Promise<Blob | File | undefined> | undefined;

async function openEmbedded(): Promise<Connection> {
  const dump = await emptyCluster;
  if (dump) return connect({ embedded: true, loadDataDir: dump });
  const database = await connect({ embedded: true });
  // A failed dump only costs the next database its initdb.
  emptyCluster ??= database.embedded!.pglite.dumpDataDir('none').catch(() => undefined);
  await emptyCluster;
  return database;
}

/**
 * With `url`: creates `therapy_db_check_<random>` on that server (the user needs CREATEDB) and
 * drops it on `close()`. Without: an in-memory embedded PGlite.
 */
export async function openScratchDatabase(options: { readonly url?: string; readonly log: Logger }): Promise<ScratchDatabase> {
  if (!options.url) {
    const database = await openEmbedded();
    return { sql: database.sql, label: 'embedded PGlite (in memory)', database, close: () => database.close() };
  }
  const url = options.url;
  const name = `${SCRATCH_PREFIX}${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'therapy-db check' } });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    throw new Error(`cannot create the scratch database ${name} on ${redact(url)}: ${(error as Error).message} (the user needs CREATEDB)`, { cause: error });
  } finally {
    await admin.end({ timeout: 5 });
  }
  const database = await connect({ url: withDatabase(url, name), max: 1 });
  options.log(`replay: created scratch database ${name} on ${redact(url)}`);
  return {
    sql: database.sql,
    label: `${name} on ${redact(url)}`,
    database,
    async close() {
      await database.close();
      const cleanup = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
        options.log(`replay: dropped scratch database ${name}`);
      } finally {
        await cleanup.end({ timeout: 5 });
      }
    },
  };
}
