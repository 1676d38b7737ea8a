import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { connect, type ConnectOptions } from 'therapy-db';
import * as packageSchema from 'therapy-db/schema';
import * as appSchema from './schema.js';

/** The package's tables and the app's, for Drizzle's queries. */
export const schema = { ...packageSchema, ...appSchema };

/** Drizzle over the app's postgres.js client (3.x or 4.x: therapy-db takes the app's). */
export function appDatabase(sql: postgres.Sql) {
  return drizzle(sql, { schema });
}

/** Drizzle over `connect()`'s client: a server by URL (or DATABASE_URL), else the embedded database. */
export async function connectApp(options: ConnectOptions = {}) {
  const database = await connect(options);
  return { db: appDatabase(database.sql), close: () => database.close() };
}
