import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connect, type Connection } from '../../src/db';
import { withDatabase } from './backend';

export interface TestDatabase extends Connection {
  /** `pglite` or `postgres`, for the few tests that only make sense on one of them. */
  readonly backend: Connection['backend'];
}

/**
 * A database of its own for one test file: a copy of the migrated template (or, with
 * `{ migrated: false }`, an empty database: a fresh cluster, as initdb or CREATE DATABASE leaves
 * it). Close it in `afterAll`.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const backend = inject('testBackend');
  const migrated = options.migrated ?? true;
  if (backend.kind === 'pglite') {
    const dump = readFileSync(migrated ? backend.dumpPath : backend.emptyDumpPath);
    return connect({ embedded: true, loadDataDir: new Blob([dump]) });
  }
  const name = `therapy_db_test_${process.ppid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(backend.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(migrated ? `create database ${name} template ${backend.template}` : `create database ${name}`);
  await admin.end();
  const database = await connect({ url: withDatabase(backend.adminUrl, name), max: 10 });
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = postgres(backend.adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
