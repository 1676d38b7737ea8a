import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedServer {
  /** A `postgres://` URL any PostgreSQL driver can use while the server runs. */
  readonly url: string;
  readonly pglite: PGlite;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** A data directory to persist into (e.g. `./.therapy-db`); in memory when omitted. */
  readonly dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (a migrated template), in memory. */
  readonly loadDataDir?: Blob | File;
}

/**
 * Real PostgreSQL compiled to WebAssembly (PGlite), served over the wire protocol on a loopback
 * port, so the same driver (postgres.js), the same migrations and the same queries serve every
 * backend. PGlite is single-session: clients must use one connection (`max: 1`).
 */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { btree_gist, pgcrypto },
  });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${server.getServerConn()}/postgres`,
    pglite,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
