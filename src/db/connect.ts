import postgres from 'postgres';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { startEmbedded, type EmbeddedServer } from './embedded';

export type Backend = 'postgres' | 'pglite';

export interface Connection {
  /** postgres.js client: the one driver for every backend. */
  readonly sql: postgres.Sql;
  readonly url: string;
  readonly backend: Backend;
  /** The embedded server, when `backend` is `pglite` (for `dumpDataDir`). */
  readonly embedded?: EmbeddedServer;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Any PostgreSQL ≥ 15 (a Supabase project, a local server). Defaults to `DATABASE_URL`. */
  readonly url?: string;
  /** Use the embedded database even when `DATABASE_URL` is set. */
  readonly embedded?: boolean;
  /** Embedded only: persist to this data directory; in memory when omitted. */
  readonly dataDir?: string;
  /** Embedded only: start from a `dumpDataDir()` tarball. */
  readonly loadDataDir?: Blob | File;
  /** Pool size for a server; the embedded database always uses one connection. */
  readonly max?: number;
  readonly log?: Logger;
}

const clientOptions = { onnotice: () => {}, connection: { application_name: 'therapy-db' } } as const;

/**
 * The one way to get a database: `url` (or `DATABASE_URL`) when given, otherwise embedded PGlite.
 */
export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const log = options.log ?? silentLogger;
  const url = options.embedded ? undefined : (options.url ?? process.env.DATABASE_URL);
  if (url) {
    const sql = postgres(url, { ...clientOptions, max: options.max ?? 10 });
    log(`database: ${redact(url)}`);
    return { sql, url, backend: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  const embedded = await startEmbedded({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  log(`database: embedded PGlite ${options.dataDir ? `in ${options.dataDir}` : 'in memory'}`);
  const sql = postgres(embedded.url, { ...clientOptions, max: 1 });
  return {
    sql,
    url: embedded.url,
    backend: 'pglite',
    embedded,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}

/** The URL with its password hidden, for log lines. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
