import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { connect, type Connection } from '../src/db';
import { silentLogger } from '../src/log';
import { migrate } from '../src/migrate';
import { CONTAINER_IMAGE, dockerReachable, withDatabase, type TestBackend } from './support/backend';

declare module 'vitest' {
  export interface ProvidedContext {
    testBackend: TestBackend;
  }
}

/** Migrates a template database once; every test file then starts from a copy of it. */
async function prepareServer(adminUrl: string, label: string): Promise<{ backend: TestBackend; teardown: () => Promise<void> }> {
  const template = `therapy_db_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${template}`);
  await admin.unsafe(`create database ${template}`);
  await migrate({ url: withDatabase(adminUrl, template), log: silentLogger });
  await admin.end();
  return {
    backend: { kind: 'server', adminUrl, template, label },
    teardown: async () => {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      const leftovers = await cleanup<{ datname: string }[]>`select datname from pg_database where datname like ${`therapy_db_test_${process.pid}_%`} or datname = ${template}`;
      for (const { datname } of leftovers) await cleanup.unsafe(`drop database if exists ${datname} with (force)`);
      await cleanup.end();
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { backend, teardown } = await prepareServer(url, `PostgreSQL at DATABASE_URL`);
    console.log(`tests: running on ${backend.label}`);
    project.provide('testBackend', backend);
    return teardown;
  }
  try {
    await dockerReachable();
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(CONTAINER_IMAGE).start();
    const { backend, teardown } = await prepareServer(container.getConnectionUri(), `testcontainers ${CONTAINER_IMAGE}`);
    console.log(`tests: running on ${backend.label}`);
    project.provide('testBackend', backend);
    return async () => {
      await teardown();
      await container.stop();
    };
  } catch (error) {
    console.log(`tests: no Docker engine (${(error as Error).message.split('\n')[0]}); testcontainers skipped, using embedded PGlite`);
  }
  // Two data directories, dumped once per run into a temp dir: PGlite's initdb (seconds of
  // WebAssembly) and the replay of every migration then run once, not once per test file.
  const dir = mkdtempSync(join(tmpdir(), 'therapy-db-test-'));
  const save = async (database: Connection, name: string): Promise<string> => {
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(await (await database.embedded!.pglite.dumpDataDir('none')).arrayBuffer()));
    return path;
  };
  const database = await connect({ embedded: true });
  const emptyDumpPath = await save(database, 'empty.tar');
  await migrate({ client: database.sql, log: silentLogger });
  const dumpPath = await save(database, 'migrated.tar');
  await database.close();
  project.provide('testBackend', { kind: 'pglite', emptyDumpPath, dumpPath, label: 'embedded PGlite' });
  return async () => rmSync(dir, { recursive: true, force: true });
}
