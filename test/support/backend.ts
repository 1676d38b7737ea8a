/**
 * Which real PostgreSQL the test suite runs on, decided once per run:
 *   1. DATABASE_URL, when set (any PostgreSQL ≥ 15; CI runs the suite on PostgreSQL 15 this way);
 *   2. a testcontainers PostgreSQL 15, when a Docker engine answers;
 *   3. embedded PGlite (real Postgres in WASM), in memory.
 */
export type TestBackend =
  | { readonly kind: 'server'; readonly adminUrl: string; readonly template: string; readonly label: string }
  | {
      readonly kind: 'pglite';
      /** `dumpDataDir()` of a freshly initialised cluster: `createTestDatabase({ migrated: false })` loads it (initdb once per run). */
      readonly emptyDumpPath: string;
      /** The same cluster with every migration applied: `createTestDatabase()` loads it (the migrations replayed once per run). */
      readonly dumpPath: string;
      readonly label: string;
    };

export const CONTAINER_IMAGE = 'postgres:15-alpine';

/** Replaces the database name of a connection URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Resolves when a Docker engine answers; rejects with the reason otherwise. */
export async function dockerReachable(): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  await getContainerRuntimeClient();
}

/**
 * For test files that use no database — bundles, the browser, usage errors, compilers, tsc, file
 * exports, lints — or only a PGlite of their own: CI runs the suite twice, embedded and then with
 * DATABASE_URL, and the second pass would only repeat them. True (skip) on the DATABASE_URL pass,
 * saying so once. A file that reaches the suite's database in any test must not use it.
 */
export function embeddedPassOnly(file: string): boolean {
  const serverPass = Boolean(process.env.DATABASE_URL);
  if (serverPass) console.log(`${file}: runs in the embedded pass only (it uses no database)`);
  return serverPass;
}
