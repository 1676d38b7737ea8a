/**
 * The part of a PGlite instance the library uses (structural, so the public types do not name
 * `@electric-sql/pglite`, an optional peer dependency an app may not have installed).
 */
export interface EmbeddedPGlite {
  query<T = Record<string, unknown>>(query: string, params?: unknown[], options?: { readonly blob?: Blob | File }): Promise<{ readonly rows: T[] }>;
  /** A tarball of the data directory, to start another instance from (`loadDataDir`). */
  dumpDataDir(compression?: 'auto' | 'gzip' | 'none'): Promise<File | Blob>;
  close(): Promise<void>;
}

export interface EmbeddedServer {
  /** A `postgres://` URL any PostgreSQL driver can use while the server runs. */
  readonly url: string;
  readonly pglite: EmbeddedPGlite;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** A data directory to persist into (e.g. `./.therapy-db`); in memory when omitted. */
  readonly dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (a migrated template), in memory. */
  readonly loadDataDir?: Blob | File;
}

/** The packages the embedded database needs, with the versions this release is tested with. */
export const EMBEDDED_PACKAGES = ['@electric-sql/pglite@0.5.14', '@electric-sql/pglite-socket@0.2.17'] as const;

/**
 * The embedded database was asked for (no `url`, no `DATABASE_URL`) where PGlite is not installed:
 * it is an optional peer dependency, so apps that only use a server do not carry its WebAssembly.
 */
export class EmbeddedDatabaseUnavailableError extends Error {
  override readonly name = 'EmbeddedDatabaseUnavailableError';
  constructor(cause: unknown) {
    super(`the embedded database needs PGlite: npm install ${EMBEDDED_PACKAGES.join(' ')} (or pass a url / set DATABASE_URL)`, { cause });
  }
}

function isMissingPackage(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && /@electric-sql\/pglite/.test(e.message ?? '');
}

/** PGlite, its two extensions and the socket server, loaded on demand. */
async function loadPGlite() {
  try {
    const [{ PGlite }, { btree_gist }, { pgcrypto }, { PGLiteSocketServer }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/btree_gist'),
      import('@electric-sql/pglite/contrib/pgcrypto'),
      import('@electric-sql/pglite-socket'),
    ]);
    return { PGlite, btree_gist, pgcrypto, PGLiteSocketServer };
  } catch (error) {
    if (isMissingPackage(error)) throw new EmbeddedDatabaseUnavailableError(error);
    throw error;
  }
}

/**
 * Real PostgreSQL compiled to WebAssembly (PGlite), served over the wire protocol on a loopback
 * port, so the same driver (postgres.js), the same migrations and the same queries serve every
 * backend. PGlite is single-session: clients must use one connection (`max: 1`). Throws
 * `EmbeddedDatabaseUnavailableError` when PGlite is not installed.
 */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const { PGlite, btree_gist, pgcrypto, PGLiteSocketServer } = await loadPGlite();
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
