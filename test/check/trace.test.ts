import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckResult } from '../../src/check';
import { releaseMigrations } from '../../src/migrate';
import { sqlFile, tempDir } from './support';

const tmp = tempDir('trace');
afterAll(() => tmp.remove());

const serverUrl = process.env.DATABASE_URL;

/**
 * The project's migrations, all frozen as a release (so only what the test adds is new), plus
 * `added` (and `more`) as the next migrations.
 */
function releasedPlus(name: string, added: string, ...more: { tag: string; sql: string }[]): string {
  const folder = join(tmp.dir, name);
  cpSync(resolve(__dirname, '../../drizzle'), folder, { recursive: true });
  releaseMigrations({ folder, version: '99.0.0' });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  for (const m of [{ tag: name, sql: added }, ...more]) {
    const idx = journal.entries.length;
    const tag = `${String(idx).padStart(4, '0')}_${m.tag}`;
    journal.entries.push({ idx, version: '7', when: 1_900_000_000_000 + idx, tag, breakpoints: true } as never);
    writeFileSync(join(folder, `${tag}.sql`), m.sql);
  }
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  return folder;
}

async function trace(folder: string): Promise<CheckResult> {
  const report = await runChecks({
    migrationsFolder: folder,
    drift: false,
    trace: true,
    ...(serverUrl ? { url: serverUrl } : {}),
    skip: ['integrity', 'replay', 'sql-drift', 'rls-enabled', 'grants-have-policies', 'client-privileges', 'auth-calls-wrapped', 'foreign-keys-indexed', 'primary-keys', 'security-definer', 'duplicate-indexes', 'views-security-invoker', 'extensions-not-in-public', 'safety'].filter(
      (id) => id !== 'trace',
    ) as never,
  });
  return report.results.find((r) => r.id === 'trace')!;
}

describe('check --trace: each new migration applied statement by statement to a seeded database', () => {
  it('reports the rewrite and the ACCESS EXCLUSIVE lock, with its duration, of a column added with a volatile default; a validation under lock; a migration that fails on rows', async () => {
    const folder = releasedPlus(
      'volatile',
      sqlFile(
        "set local lock_timeout = '5s'",
        'ALTER TABLE "students" ADD COLUMN "badge" uuid DEFAULT gen_random_uuid()',
        'ALTER TABLE "guardians" ADD CONSTRAINT "guardians_first_name_short" CHECK (char_length(first_name) < 90)',
      ),
      { tag: 'not_null', sql: sqlFile('ALTER TABLE "guardians" ADD COLUMN "code" text NOT NULL') },
    );
    const result = await trace(folder);
    expect(result.status).toBe('failed');
    expect(result.summary).toMatch(/1 migration\(s\) added since release 99\.0\.0 on .*, seeded at scale 0\.01 \(\d+ rows\)/);
    expect(result.findings.map((f) => [f.rule, f.object, f.line])).toEqual([
      ['apply', expect.stringMatching(/_not_null$/), 1],
      ['rewrite', 'public.students', 2],
      ['scan-under-lock', 'public.guardians', 3],
    ]);
    const [apply, rewrite, scan] = result.findings;
    expect(rewrite!.message).toMatch(/0\d+_volatile\.sql:2 rewrote public\.students \(\d+ rows; public\.students, public\.students_pkey, .*\) under ACCESS EXCLUSIVE held [\d.]+ ms/);
    expect(scan!.message).toMatch(/read \d+ rows of public\.guardians while holding ACCESS EXCLUSIVE/);
    expect(apply!.message).toMatch(/not_null\.sql:1: .*contains null values \(SQLSTATE 23502\): the migration does not apply to the seeded database/);
    // The statement's line in the trace: the lock with how long it was held, and the rewrite.
    const line = result.details!.find((d) => d.includes('ADD COLUMN "badge"'))!;
    expect(line).toMatch(/— [\d.]+ ms; ACCESS EXCLUSIVE on public\.students \(\d+ rows\) held [\d.]+ ms; rewrote public\.students, /);
    expect(result.details![0]).toMatch(/^0\d+_volatile\.sql \(one transaction, 3 statements, [\d.]+ ms\)$/);
  });

  it('passes the same change written safely: the column without a default, then the default for new rows', async () => {
    const result = await trace(
      releasedPlus(
        'volatile_safe',
        sqlFile("set local lock_timeout = '5s'", 'ALTER TABLE "students" ADD COLUMN "badge" uuid', 'ALTER TABLE "students" ALTER COLUMN "badge" SET DEFAULT gen_random_uuid()'),
      ),
    );
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('passed');
    expect(result.details!.join('\n')).toMatch(/ADD COLUMN "badge" uuid — [\d.]+ ms; ACCESS EXCLUSIVE on public\.students \(\d+ rows\) held [\d.]+ ms$/m);
    expect(result.details!.join('\n')).not.toContain('rewrote');
  });
});
