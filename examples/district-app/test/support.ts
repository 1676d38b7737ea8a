import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { connect } from 'therapy-db';
import { defaultMigrationsFolder, migrate } from 'therapy-db/migrate';

/** The migration layers, in the order they apply: the package's, then the app's. */
export const layers = [defaultMigrationsFolder(), fileURLToPath(new URL('../migrations', import.meta.url))];

export interface TestDatabase {
  /** The app's own postgres.js client (the app's version: 4.x here). */
  readonly sql: postgres.Sql;
  close(): Promise<void>;
}

const quiet = { onnotice: () => {} } as const;

/**
 * A database of this test file's own with both layers migrated: on the server `DATABASE_URL`
 * names (a new database, dropped afterwards), else an embedded PGlite (one connection).
 */
export async function migratedDatabase(): Promise<TestDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await connect({ embedded: true });
    const sql = postgres(embedded.url, { ...quiet, max: 1 });
    await migrate({ client: sql, migrationsFolder: layers });
    return {
      sql,
      async close() {
        await sql.end();
        await embedded.close();
      },
    };
  }
  const name = `district_app_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(server, { ...quiet, max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { ...quiet, max: 4 });
  await migrate({ client: sql, migrationsFolder: layers });
  return {
    sql,
    async close() {
      await sql.end();
      const cleanup = postgres(server, { ...quiet, max: 1 });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
