import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckResult } from '../../src/check';
import { releaseMigrations } from '../../src/migrate';
import { sqlFile, tempDir } from './support';

const tmp = tempDir('trace');
afterAll(() => tmp.remove());

const serverUrl = process.env.DATABASE_URL;

/** The project's own change after 0.1.0 that this test also traces: e-mail, time zone and whitespace checks. */
const CHANGE = /_checked_contacts$/;

/**
 * The project's migrations before the `checked_contacts` change, frozen as a release; then that
 * change (`safe`: as generated; `unsafe`: its checks added without NOT VALID, nothing validated
 * later) and `added` as the new migrations.
 */
function tracedFolder(name: string, change: 'safe' | 'unsafe', ...added: { tag: string; sql: string }[]): string {
  const folder = join(tmp.dir, name);
  cpSync(resolve(__dirname, '../../drizzle'), folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string; when: number }[] };
  const at = journal.entries.findIndex((e) => CHANGE.test(e.tag));
  expect(at, 'the checked_contacts migration').toBeGreaterThan(0);
  const later = journal.entries.splice(at);
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  releaseMigrations({ folder, version: '99.0.0' });
  const append = (tag: string, sql?: string) => {
    const idx = journal.entries.length;
    const full = /^\d{4}_/.test(tag) ? tag : `${String(idx).padStart(4, '0')}_${tag}`;
    journal.entries.push({ idx, version: '7', when: 1_900_000_000_000 + idx, tag: full, breakpoints: true } as never);
    if (sql !== undefined) writeFileSync(join(folder, `${full}.sql`), sql);
  };
  if (change === 'safe') for (const entry of later) append(entry.tag);
  else append(later[0]!.tag, readFileSync(join(folder, `${later[0]!.tag}.sql`), 'utf8').replace(/ NOT VALID;/g, ';'));
  for (const m of added) append(m.tag, m.sql);
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  return folder;
}

async function trace(folder: string, options: { lockThresholdMs?: number } = {}): Promise<CheckResult> {
  const report = await runChecks({
    migrationsFolder: folder,
    drift: false,
    trace: options.lockThresholdMs === undefined ? true : { lockThresholdMs: options.lockThresholdMs },
    ...(serverUrl ? { url: serverUrl } : {}),
    skip: ['integrity', 'replay', 'sql-drift', 'rls-enabled', 'grants-have-policies', 'client-privileges', 'auth-calls-wrapped', 'foreign-keys-indexed', 'primary-keys', 'security-definer', 'duplicate-indexes', 'views-security-invoker', 'extensions-not-in-public', 'safety'].filter(
      (id) => id !== 'trace',
    ) as never,
  });
  return report.results.find((r) => r.id === 'trace')!;
}

describe('check --trace: each new migration applied statement by statement to a seeded database', { timeout: 240_000 }, () => {
  it('fails the unsafe variant of the e-mail/time zone/whitespace change (checks validated under ACCESS EXCLUSIVE), a column added with a volatile default (rewrite), and a migration that fails on rows', async () => {
    const folder = tracedFolder(
      'unsafe',
      'unsafe',
      { tag: 'volatile', sql: sqlFile("set local lock_timeout = '5s'", 'ALTER TABLE "students" ADD COLUMN "badge" uuid DEFAULT gen_random_uuid()') },
      { tag: 'not_null', sql: sqlFile('ALTER TABLE "guardians" ADD COLUMN "code" text NOT NULL') },
    );
    const result = await trace(folder);
    expect(result.status).toBe('failed');
    expect(result.summary).toMatch(/2 migration\(s\) added since release 99\.0\.0 on .*, seeded at scale 0\.01 \(\d+ rows\)/);
    const rules = result.findings.map((f) => [f.rule, f.object]);
    // The checks, added without NOT VALID, read every row of their tables while holding ACCESS EXCLUSIVE.
    for (const table of ['public.organizations', 'public.schools', 'public.profiles', 'public.guardians', 'public.students', 'public.session_series']) {
      expect(rules).toContainEqual(['scan-under-lock', table]);
    }
    const guardians = result.findings.find((f) => f.rule === 'scan-under-lock' && f.object === 'public.guardians')!;
    expect(guardians.message).toMatch(/_checked_contacts\.sql:\d+ read \d+ rows of public\.guardians while holding ACCESS EXCLUSIVE/);
    expect(guardians.file).toMatch(/_checked_contacts\.sql$/);

    const rewrite = result.findings.find((f) => f.rule === 'rewrite')!;
    expect(rewrite).toMatchObject({ object: 'public.students', line: 2 });
    expect(rewrite.message).toMatch(/_volatile\.sql:2 rewrote public\.students \(\d+ rows; public\.students, public\.students_pkey, .*\) under ACCESS EXCLUSIVE held [\d.]+ ms/);
    const apply = result.findings.find((f) => f.rule === 'apply')!;
    expect(apply.message).toMatch(/_not_null\.sql:1: .*contains null values \(SQLSTATE 23502\): the migration does not apply to the seeded database/);
    // The statement's line in the trace: the lock with how long it was held, and the rewrite.
    const line = result.details!.find((d) => d.includes('ADD COLUMN "badge"'))!;
    expect(line).toMatch(/— [\d.]+ ms; ACCESS EXCLUSIVE on public\.students \(\d+ rows\) held [\d.]+ ms; rewrote public\.students, /);
    expect(result.details).toContainEqual(expect.stringMatching(/^\d{4}_volatile\.sql \(one transaction, 2 statements, [\d.]+ ms\)$/));
  });

  it('passes the change as generated and the volatile default written safely: the column without a default, then the default for new rows', async () => {
    const result = await trace(
      tracedFolder('safe', 'safe', {
        tag: 'volatile_safe',
        sql: sqlFile("set local lock_timeout = '5s'", 'ALTER TABLE "students" ADD COLUMN "badge" uuid', 'ALTER TABLE "students" ALTER COLUMN "badge" SET DEFAULT gen_random_uuid()'),
      }),
      // Rewrites and scans under a lock are counted, not timed; how long a lock is held is wall
      // clock, which a busy machine stretches past the 1 s default (the next test covers that rule).
      { lockThresholdMs: 60_000 },
    );
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('passed');
    const details = result.details!.join('\n');
    expect(details).toMatch(/ADD COLUMN "badge" uuid — [\d.]+ ms; ACCESS EXCLUSIVE on public\.students \(\d+ rows\) held [\d.]+ ms$/m);
    // Validation reads the rows under SHARE UPDATE EXCLUSIVE only: reads and writes go on.
    expect(details).toMatch(/_checked_contacts_validate\.sql \(one transaction/);
    expect(details).not.toContain('rewrote');
  });

  // Wall-clock, so the test sets the threshold rather than racing the machine: at 0 ms every
  // ACCESS EXCLUSIVE on a table with rows is held too long, until the migration commits.
  it('fails ACCESS EXCLUSIVE held on a table with rows past the lock threshold, naming the table, the time and the threshold', async () => {
    const result = await trace(
      tracedFolder('long-lock', 'safe', { tag: 'add_badge', sql: sqlFile("set local lock_timeout = '5s'", 'ALTER TABLE "students" ADD COLUMN "badge" uuid') }),
      { lockThresholdMs: 0 },
    );
    expect(result.status).toBe('failed');
    const students = result.findings.find((f) => f.object === 'public.students' && /_add_badge\.sql$/.test(f.file ?? ''));
    expect(students?.rule).toBe('long-lock');
    expect(students?.message).toMatch(/_add_badge\.sql:2 holds ACCESS EXCLUSIVE on public\.students \(\d+ rows\) for [\d.]+ ms, until the migration commits \(threshold 0\.0 ms\)/);
    // Nothing else about the change is wrong: no rewrite, no scan under a lock.
    expect(result.findings.filter((f) => f.rule !== 'long-lock')).toEqual([]);
  });
  it('an exclusion constraint declared with its reason (the allow marker) is reported, not a finding; without the marker it is', { timeout: 240_000 }, async () => {
    const exclusion = (name: string) => `ALTER TABLE "guardians" ADD CONSTRAINT "${name}" EXCLUDE USING gist (id WITH =)`;
    const folder = tracedFolder(
      'exclusion',
      'safe',
      { tag: 'excl_allowed', sql: sqlFile("set local lock_timeout = '5s'", `-- therapy-db: allow scan-under-lock (reason: cannot be built concurrently)\n${exclusion('guardians_id_excl')}`) },
      { tag: 'excl_bare', sql: sqlFile("set local lock_timeout = '5s'", exclusion('guardians_id_again_excl')) },
    );
    // Lock durations are not what this test is about (a loaded machine stretches them).
    const result = await trace(folder, { lockThresholdMs: 600_000 });
    expect(result.findings.map((f) => [f.rule, f.object, basename(f.file ?? '')])).toEqual([['scan-under-lock', 'public.guardians', expect.stringMatching(/_excl_bare\.sql$/)]]);
    const details = result.details!.join('\n');
    expect(details).toMatch(/read \d+ rows of public\.guardians under ACCESS EXCLUSIVE \(allowed by its marker\)/);
    // The project's own per-organisation overlap constraint is one such build.
    expect(details).toMatch(/overlap_per_organization_objects\.sql[\s\S]*read \d+ rows of public\.therapy_sessions under ACCESS EXCLUSIVE \(allowed by its marker\)/);
  });
});
