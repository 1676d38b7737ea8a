import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/check';
import { SCRATCH_PREFIX } from '../../src/check/scratch-database';
import { sqlFile, tempDir, writeMigrations } from './support';

const tmp = tempDir('replay');
afterAll(() => tmp.remove());

const good = [
  {
    tag: '0000_init',
    sql: sqlFile(
      'CREATE TABLE "widgets" ("id" uuid PRIMARY KEY NOT NULL, "owner" uuid)',
      'ALTER TABLE "widgets" ENABLE ROW LEVEL SECURITY',
      'REVOKE ALL ON "widgets" FROM anon, authenticated',
    ),
  },
];

function folder(name: string, migrations: { tag: string; sql: string }[]): string {
  const dir = join(tmp.dir, name);
  writeMigrations(dir, migrations);
  return dir;
}

const serverUrl = process.env.DATABASE_URL;

describe('replay: every migration applies to an empty database', () => {
  it('passes a folder that applies, and runs the catalogue checks on the result', async () => {
    const report = await runChecks({ migrationsFolder: folder('good', good) });
    const status = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
    expect(status).toMatchObject({ drift: 'skipped', integrity: 'passed', replay: 'passed', 'rls-enabled': 'passed', 'primary-keys': 'passed', safety: 'skipped' });
    expect(report.results.find((r) => r.id === 'drift')!.summary).toContain("not therapy-db's own");
    expect(report.ok).toBe(true);
  });

  it('fails naming the file, the line and the Postgres error of a migration that does not apply', async () => {
    const broken = [
      ...good,
      {
        tag: '0001_broken',
        sql: sqlFile('ALTER TABLE "widgets" ADD COLUMN "name" text', 'CREATE INDEX "gadgets_idx" ON "gadgets" ("id")'),
      },
    ];
    const dir = folder('broken', broken);
    const report = await runChecks({ migrationsFolder: dir });
    const replay = report.results.find((r) => r.id === 'replay')!;
    expect(replay.status).toBe('failed');
    expect(replay.findings[0]).toMatchObject({ object: '0001_broken', file: join(dir, '0001_broken.sql'), line: 2 });
    expect(replay.findings[0]!.message).toMatch(/0001_broken\.sql fails at statement 2 \(SQLSTATE 42P01\): relation "gadgets" does not exist/);
    expect(report.results.find((r) => r.id === 'rls-enabled')).toMatchObject({ status: 'skipped', summary: 'the replay failed, so there is no database to inspect' });
    expect(report.ok).toBe(false);
  });

  it('fails, not throws, when the server cannot be reached', async () => {
    const report = await runChecks({ migrationsFolder: folder('unreachable', good), url: 'postgres://nobody:secret@127.0.0.1:1/postgres' });
    const replay = report.results.find((r) => r.id === 'replay')!;
    expect(replay.status).toBe('failed');
    expect(replay.findings[0]!.message).toContain('cannot create the scratch database');
    expect(replay.findings[0]!.message).not.toContain('secret');
    expect(report.results.find((r) => r.id === 'primary-keys')!.status).toBe('skipped');
  });

  it.skipIf(!serverUrl)('on a server, replays into a scratch database and drops it afterwards', async () => {
    const lines: string[] = [];
    const report = await runChecks({ migrationsFolder: folder('server', good), url: serverUrl!, log: (line) => lines.push(line) });
    const replay = report.results.find((r) => r.id === 'replay')!;
    expect(replay.status).toBe('passed');
    const name = new RegExp(`${SCRATCH_PREFIX}[0-9a-f]{8}`).exec(replay.summary)?.[0];
    expect(name).toBeDefined();
    expect(lines).toContain(`replay: dropped scratch database ${name}`);
    const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    try {
      expect(await admin`select 1 from pg_database where datname = ${name!}`).toHaveLength(0);
    } finally {
      await admin.end();
    }
  });
});
