import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckReport } from '../../src/check';
import { compareInventories } from '../../src/check/inventory';
import { sqlFile, tempDir } from './support';

const tmp = tempDir('sql-drift');
afterAll(() => tmp.remove());

const serverUrl = process.env.DATABASE_URL;

/** A copy of the project's migrations with `added` appended to the journal, as if written by hand. */
function migrationsWith(name: string, added: readonly { tag: string; sql: string }[]): string {
  const folder = join(tmp.dir, name);
  cpSync(resolve(__dirname, '../../drizzle'), folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const start = journal.entries.length;
  added.forEach((m, i) => {
    const tag = `${String(start + i).padStart(4, '0')}_${m.tag}`;
    journal.entries.push({ idx: start + i, version: '7', when: 1_800_000_000_000 + i, tag, breakpoints: true } as never);
    writeFileSync(join(folder, `${tag}.sql`), m.sql);
  });
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  return folder;
}

/** `check` as CI runs it, less the catalogue checks and the lint, on PostgreSQL when the suite runs there. */
function check(folder: string): Promise<CheckReport> {
  return runChecks({
    migrationsFolder: folder,
    drift: true,
    ...(serverUrl ? { url: serverUrl } : {}),
    skip: ['rls-enabled', 'grants-have-policies', 'auth-calls-wrapped', 'foreign-keys-indexed', 'primary-keys', 'security-definer', 'duplicate-indexes', 'views-security-invoker', 'extensions-not-in-public', 'safety'],
  });
}

describe('sql-drift: the migrations build the database the TypeScript declares', () => {
  it('fails the five hand-edited migrations the snapshot-based drift check passed, naming each object and both sides', async () => {
    const folder = migrationsWith('five', [
      { tag: 'drop_preferred_name', sql: sqlFile('ALTER TABLE "students" DROP COLUMN "preferred_name"') },
      { tag: 'looser_check', sql: sqlFile('ALTER TABLE "students" DROP CONSTRAINT "students_first_name_check"', `ALTER TABLE "students" ADD CONSTRAINT "students_first_name_check" CHECK (char_length(first_name) <= 500)`) },
      { tag: 'drop_index', sql: sqlFile('DROP INDEX "students_school_id_idx"') },
      { tag: 'open_policy', sql: sqlFile('CREATE POLICY "students_debug" ON "students" AS PERMISSIVE FOR SELECT TO "authenticated" USING (true)') },
      { tag: 'grant', sql: sqlFile('GRANT DELETE ON "students" TO authenticated', "COMMENT ON TABLE \"students\" IS 'edited'") },
    ]);
    const report = await check(folder);
    const status = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
    // The snapshot-based drift check cannot see any of it; the replay applies it all.
    expect(status).toMatchObject({ drift: 'passed', replay: 'passed', 'sql-drift': 'failed' });
    const findings = report.results.find((r) => r.id === 'sql-drift')!.findings;
    const byObject = new Map(findings.map((f) => [f.object, f.message]));
    expect(byObject.get('public.students.preferred_name')).toBe('column public.students.preferred_name: the TypeScript declares it (text, null); the migrations do not create it');
    // Its column privilege goes with it.
    expect(byObject.get('grant on column public.students.preferred_name to authenticated')).toMatch(/the TypeScript declares it \(privileges update\); the migrations do not create it$/);
    expect(byObject.get('students_first_name_check on public.students')).toMatch(
      /^constraint students_first_name_check on public.students: definition in the migrations: CHECK \(\(char_length\(first_name\) <= 500\)\); in the TypeScript: CHECK \(.*btrim.*\)$/,
    );
    expect(byObject.get('public.students_school_id_idx')).toMatch(/^index public.students_school_id_idx: the TypeScript declares it \(CREATE INDEX students_school_id_idx ON public.students .*\); the migrations do not create it$/);
    expect(byObject.get('students_debug on public.students')).toMatch(/^policy students_debug on public.students: the migrations create it \(command select, kind permissive, roles authenticated, using true\); the TypeScript does not declare it$/);
    expect(byObject.get('grant on table public.students to authenticated')).toMatch(/privileges in the migrations: delete, [a-z, ]+; in the TypeScript: (?![a-z, ]*delete)[a-z, ]+$/);
    expect(byObject.get('comment on table public.students')).toMatch(/^comment on table public.students: text in the migrations: edited; in the TypeScript: A student/);
    expect(findings).toHaveLength(7);
    for (const finding of findings) expect(finding.fix).toContain('npm run db:generate');
    // The column's finding points at the migration that creates its table.
    expect(findings.find((f) => f.object === 'public.students.preferred_name')!.file).toMatch(/0001_init\.sql$/);
  });
});

describe('compareInventories', () => {
  it('lists every object missing on a side or with an attribute that differs, sorted by key', () => {
    const left = new Map([
      ['column public.t.a', { type: 'text', nullability: 'null' }],
      ['column public.t.b', { type: 'int', nullability: 'not null' }],
    ]);
    const right = new Map([
      ['column public.t.b', { type: 'bigint', nullability: 'not null' }],
      ['column public.t.a', { type: 'text', nullability: 'null' }],
      ['column public.t.c', { type: 'uuid', nullability: 'null' }],
    ]);
    expect(compareInventories(left, right)).toEqual([
      { key: 'column public.t.b', left: left.get('column public.t.b'), right: right.get('column public.t.b'), attributes: ['type'] },
      { key: 'column public.t.c', left: undefined, right: right.get('column public.t.c'), attributes: ['type', 'nullability'] },
    ]);
  });
});
