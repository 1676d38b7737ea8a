import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a consumer gets it: `npm pack`, install the tarball into a throwaway project,
 * then use it from there through ESM, CJS, TypeScript and the bin.
 */
const repo = resolve(__dirname, '..');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });

// The package does not depend on the database backend: CI runs this once, in the embedded pass.
const onServer = Boolean(process.env.DATABASE_URL);
if (onServer) console.log('package test: runs in the embedded pass only (it does not use DATABASE_URL)');

describe.skipIf(onServer)('the packed package, installed in a consumer project', () => {
  let work: string;
  let consumer: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'therapy-db-pack-'));
    run('npm', ['pack', '--pack-destination', work, '--silent'], repo);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    consumer = join(work, 'consumer');
    run('mkdir', ['-p', consumer], work);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', join(work, tarball), '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], consumer);
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('imports every public subpath as ESM', () => {
    const out = run('node', ['--input-type=module', '-e', `
      import * as main from 'therapy-db';
      import * as schema from 'therapy-db/schema';
      import * as policies from 'therapy-db/policies';
      import * as validators from 'therapy-db/validators';
      import { migrate, MigrationError } from 'therapy-db/migrate';
      import { asUser } from 'therapy-db/testing';
      console.log(JSON.stringify({
        main: typeof main.connect, migrate: typeof migrate, err: typeof MigrationError, asUser: typeof asUser,
        table: typeof schema.therapySessions, policies: Object.keys(policies).length > 0, validators: Object.keys(validators).length > 0,
      }));`], consumer);
    expect(JSON.parse(out)).toEqual({ main: 'function', migrate: 'function', err: 'function', asUser: 'function', table: 'object', policies: true, validators: true });
  });

  it('requires every public subpath as CommonJS', () => {
    const out = run('node', ['-e', `
      const main = require('therapy-db');
      const { migrate } = require('therapy-db/migrate');
      const { therapySessions } = require('therapy-db/schema');
      const validators = require('therapy-db/validators');
      require('therapy-db/policies'); require('therapy-db/testing');
      const journal = require('therapy-db/drizzle/meta/_journal.json');
      console.log(JSON.stringify({ connect: typeof main.connect, migrate: typeof migrate, table: typeof therapySessions,
        validators: Object.keys(validators).length > 0, migrations: journal.entries.length > 0 }));`], consumer);
    expect(JSON.parse(out)).toEqual({ connect: 'function', migrate: 'function', table: 'object', validators: true, migrations: true });
  });

  it('type-checks a consumer file against the shipped .d.ts', () => {
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true, types: [] },
      files: ['consumer.ts'],
    }));
    writeFileSync(join(consumer, 'consumer.ts'), `
      import type { InferSelectModel } from 'drizzle-orm';
      import { therapySessions } from 'therapy-db/schema';
      import { migrate, type MigrateResult } from 'therapy-db/migrate';
      import { describeDbError } from 'therapy-db';
      type Session = InferSelectModel<typeof therapySessions>;
      export const status: Session['status'] = 'scheduled';
      export const start: Session['startTime'] = new Date();
      // @ts-expect-error a session has no such column: the types are real, not any
      export const wrong: Session['noSuchColumn'] = 1;
      export const run: () => Promise<MigrateResult> = () => migrate({ url: 'postgres://localhost/x' });
      export const kind: string = describeDbError(new Error('x')).kind;
    `);
    run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], consumer);
  });

  it('ships the bin and the migrations: `therapy-db migrate` runs them on an embedded database', () => {
    expect(run(join(consumer, 'node_modules', '.bin', 'therapy-db'), ['--help'], consumer)).toMatch(/therapy-db <command>/);
    const result = spawnSync(join(consumer, 'node_modules', '.bin', 'therapy-db'), ['migrate', '--data-dir', join(work, 'db')], {
      cwd: consumer, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/applying the local shim first/);
    expect(result.stderr).toMatch(/applied 0000_\w+\.sql in \d+ ms/);
  }, 120_000);
});
