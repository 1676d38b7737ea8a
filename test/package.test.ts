import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type EmbeddedServer } from '../src/db';

/**
 * The package as a consumer gets it: `npm pack`, install the tarball into a throwaway project,
 * then use it from there through ESM, CJS, TypeScript and the bin; and the lean install an app
 * that only uses a server gets (no PGlite).
 */
const repo = resolve(__dirname, '..');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });
const npmInstall = (cwd: string, args: string[]) => run('npm', ['install', ...args, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], cwd);
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

// The package does not depend on the database backend: CI runs this once, in the embedded pass.
const onServer = Boolean(process.env.DATABASE_URL);
if (onServer) console.log('package test: runs in the embedded pass only (it does not use DATABASE_URL)');

// `.ci/run` packs the package once, right after its build, for this test and the example app, and
// names the tarball in THERAPY_DB_TARBALL. Without it the test packs the working tree itself
// (`npm pack`, whose prepack builds dist/).
const packed = process.env.THERAPY_DB_TARBALL;

let work: string;
let tarball: string;
beforeAll(() => {
  if (onServer) return;
  work = mkdtempSync(join(tmpdir(), 'therapy-db-pack-'));
  if (packed) {
    if (!existsSync(packed)) throw new Error(`THERAPY_DB_TARBALL=${packed}: no such file`);
    tarball = resolve(packed);
    return;
  }
  run('npm', ['pack', '--pack-destination', work, '--silent'], repo);
  const name = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!name) throw new Error('npm pack produced no tarball');
  tarball = join(work, name);
}, 300_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** An empty project (`type: module`) in the work folder. */
function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  return dir;
}

/** What a project's node_modules holds: packages (npm's hidden lockfile) and bytes on disk (apparent size). */
function footprint(dir: string): { packages: Set<string>; bytes: number } {
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const sizeOf = (path: string): number => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.size;
    return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
  };
  return { packages: new Set(Object.keys(lock.packages).filter((key) => key !== '')), bytes: sizeOf(join(dir, 'node_modules')) };
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

describe.skipIf(onServer)('the packed package, installed in a consumer project', () => {
  let consumer: string;
  beforeAll(() => {
    consumer = project('consumer');
    // The embedded database is an optional peer: a project that wants it installs it.
    npmInstall(consumer, [tarball, '@electric-sql/pglite@0.5.14', '@electric-sql/pglite-socket@0.2.17']);
  }, 300_000);

  it('imports every public subpath as ESM', () => {
    const out = run('node', ['--input-type=module', '-e', `
      import * as main from 'therapy-db';
      import * as schema from 'therapy-db/schema';
      import * as policies from 'therapy-db/policies';
      import * as validators from 'therapy-db/validators';
      import { therapySessionInsertSchema } from 'therapy-db/validators/therapy-sessions';
      import { migrate, MigrationError } from 'therapy-db/migrate';
      import { asUser } from 'therapy-db/testing';
      import { createRls, JwtRejectedError } from 'therapy-db/rls';
      console.log(JSON.stringify({
        main: typeof main.connect, migrate: typeof migrate, err: typeof MigrationError, asUser: typeof asUser,
        rls: typeof createRls, jwtError: typeof JwtRejectedError,
        table: typeof schema.therapySessions, policies: Object.keys(policies).length > 0, validators: Object.keys(validators).length > 0,
        oneTable: therapySessionInsertSchema.safeParse({ locaton: 'x' }).success,
      }));`], consumer);
    expect(JSON.parse(out)).toEqual({ main: 'function', migrate: 'function', err: 'function', asUser: 'function', rls: 'function', jwtError: 'function', table: 'object', policies: true, validators: true, oneTable: false });
  });

  it('requires every public subpath as CommonJS', () => {
    const out = run('node', ['-e', `
      const main = require('therapy-db');
      const { migrate } = require('therapy-db/migrate');
      const { therapySessions } = require('therapy-db/schema');
      const validators = require('therapy-db/validators');
      const { therapySessionInsertSchema } = require('therapy-db/validators/therapy-sessions');
      require('therapy-db/policies'); require('therapy-db/testing');
      const { jwtVerifier, bearerToken } = require('therapy-db/rls');
      const journal = require('therapy-db/drizzle/meta/_journal.json');
      console.log(JSON.stringify({ connect: typeof main.connect, migrate: typeof migrate, table: typeof therapySessions,
        validators: Object.keys(validators).length > 0, oneTable: therapySessionInsertSchema.safeParse({ locaton: 'x' }).success, migrations: journal.entries.length > 0,
        verifier: typeof jwtVerifier({ secret: 'a-secret-of-at-least-thirty-two-bytes!' }), bearer: bearerToken('Bearer a.b.c') }));`], consumer);
    expect(JSON.parse(out)).toEqual({ connect: 'function', migrate: 'function', table: 'object', validators: true, oneTable: false, migrations: true, verifier: 'function', bearer: 'a.b.c' });
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
      import { createRls, type RlsTransaction, type VerifiedClaims } from 'therapy-db/rls';
      import postgres from 'postgres';
      type Session = InferSelectModel<typeof therapySessions>;
      export const status: Session['status'] = 'scheduled';
      export const start: Session['startTime'] = new Date();
      // @ts-expect-error a session has no such column: the types are real, not any
      export const wrong: Session['noSuchColumn'] = 1;
      export const run: () => Promise<MigrateResult> = () => migrate({ url: 'postgres://localhost/x' });
      export const kind: string = describeDbError(new Error('x')).kind;
      // The server entry hands the callback a Drizzle transaction typed with the package's schema.
      const rls = createRls({ sql: postgres('postgres://localhost/x'), jwt: { jwks: 'https://x.supabase.co/auth/v1/.well-known/jwks.json' } });
      export const booked: (token: string) => Promise<Session[]> = (token) =>
        rls.transaction(token, (tx: RlsTransaction) => tx.select().from(therapySessions));
      export const typed = (tx: RlsTransaction) => tx.query.therapySessions.findFirst({ columns: { startTime: true } });
      // @ts-expect-error unverified claims are not VerifiedClaims
      export const unverified: VerifiedClaims = { sub: 'x', role: 'authenticated' };
      import { therapySessionInsertSchema, type TherapySessionInsertInput } from 'therapy-db/validators/therapy-sessions';
      export const draft: TherapySessionInsertInput['status'] = 'scheduled';
      export const checked: boolean = therapySessionInsertSchema.safeParse({ status: draft }).success;
      // @ts-expect-error one table's module types its columns: a session has no such column
      export const noSuchKey: TherapySessionInsertInput['noSuchColumn'] = 1;
      import type { Database, Tables } from 'therapy-db/supabase';
      export const sessionStatus: Database['public']['Tables']['therapy_sessions']['Row']['status'] = 'completed';
      // @ts-expect-error the supabase-js row type knows the code list
      export const badStatus: Tables<'therapy_sessions'>['status'] = 'done';
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
    // the generator's snapshots stay in the repository: each migration would add ~280 KB to every install
    const meta = readdirSync(join(consumer, 'node_modules', 'therapy-db', 'drizzle', 'meta'));
    expect(meta).toEqual(['_journal.json']);
  }, 120_000);
});

/**
 * The lean install (issue 15): an app that already has drizzle-orm, zod and postgres
 * installs the tarball without dev and optional dependencies. PGlite (an optional peer) stays out;
 * schema, validators and `migrate({ url })` work; the package adds at most 2 packages and 8 MB.
 */
describe.skipIf(onServer)('the lean install: an app with a server, without the embedded database', () => {
  let app: string;
  let before: ReturnType<typeof footprint>;
  let after: ReturnType<typeof footprint>;
  let server: EmbeddedServer;
  beforeAll(async () => {
    app = project('lean-app');
    const { dependencies } = manifest;
    // What such an app has before: the libraries therapy-db builds on, and today's postgres.js (4.x).
    npmInstall(app, [`drizzle-orm@${dependencies['drizzle-orm']}`, `zod@${dependencies.zod}`, 'postgres@^4']);
    before = footprint(app);
    npmInstall(app, [tarball, '--omit=dev', '--omit=optional']);
    after = footprint(app);
    // The app's server: an embedded PGlite of this repository's, reached by URL only.
    server = await startEmbedded();
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('adds at most 2 packages and 8 MB, and no PGlite', () => {
    const added = [...after.packages].filter((p) => !before.packages.has(p));
    const bytes = after.bytes - before.bytes;
    console.log(
      `lean install: ${before.packages.size} packages / ${mb(before.bytes)} MB before, ${after.packages.size} / ${mb(after.bytes)} MB after: ` +
        `therapy-db adds ${added.length} package(s) (${added.join(', ')}) and ${mb(bytes)} MB`,
    );
    expect(added).toContain('node_modules/therapy-db');
    expect(added.length).toBeLessThanOrEqual(2);
    expect(bytes).toBeLessThanOrEqual(8e6);
    expect([...after.packages].filter((p) => p.includes('@electric-sql'))).toEqual([]);
  });

  it('imports the schema and the validators and migrates a server by URL', async () => {
    writeFileSync(join(app, 'lean.mjs'), `
      import { therapySessions } from 'therapy-db/schema';
      import { therapySessionInsertSchema } from 'therapy-db/validators';
      import { migrate } from 'therapy-db/migrate';
      const refused = therapySessionInsertSchema.safeParse({ startTime: '2026-01-05T10:00:00Z', endTime: '2026-01-05T09:00:00Z' });
      const result = await migrate({ url: process.env.TARGET_URL });
      console.log(JSON.stringify({
        table: typeof therapySessions, refused: !refused.success,
        endTime: refused.error?.issues.find((i) => i.path[0] === 'endTime')?.message, applied: result.applied.length,
      }));`);
    // Asynchronously: the server runs in this process.
    const { stdout: out } = await promisify(execFile)('node', ['lean.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', TARGET_URL: server.url } });
    const shipped = (JSON.parse(readFileSync(join(repo, 'drizzle', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
    expect(JSON.parse(out)).toEqual({ table: 'object', refused: true, endTime: 'end_time must be after start_time', applied: shipped });
  }, 120_000);

  it('asking for the embedded database says in one line what to install', () => {
    writeFileSync(join(app, 'embedded.mjs'), `
      import { connect } from 'therapy-db';
      try { await connect(); } catch (error) { console.log(JSON.stringify({ name: error.name, message: error.message })); }`);
    const out = JSON.parse(execFileSync('node', ['embedded.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } })) as { name: string; message: string };
    expect(out.name).toBe('EmbeddedDatabaseUnavailableError');
    expect(out.message).toBe(
      'the embedded database needs PGlite: npm install @electric-sql/pglite@0.5.14 @electric-sql/pglite-socket@0.2.17 (or pass a url / set DATABASE_URL)',
    );
    const cli = spawnSync(join(app, 'node_modules', '.bin', 'therapy-db'), ['migrate'], { cwd: app, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toBe(`therapy-db: ${out.message}\n`);
  });
});
