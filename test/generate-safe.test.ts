import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueChecks } from '../src/check/catalogue';
import { runChecks } from '../src/check/run';
import { silentLogger } from '../src/log';
import { migrate, readJournalTags } from '../src/migrate';
import { makePlan, seed } from '../src/seed';
import { createTestDatabase, type TestDatabase } from './support/database';
import { projectCopy, type ProjectCopy } from './support/project-copy';

/** Adds columns and table constraints to the `pgTable` declared as `export const <name>`. */
function extendTable(text: string, name: string, columns: string, constraints: string): string {
  const start = text.indexOf(`export const ${name} = pgTable(`);
  const end = text.indexOf('\n  },\n  (t) => [\n', start);
  if (start === -1 || end === -1) throw new Error(`extendTable: no table ${name} in the expected shape`);
  const open = end + '\n  },\n  (t) => [\n'.length;
  return `${text.slice(0, end)}\n${columns}${text.slice(end, open)}${constraints}${text.slice(open)}`;
}

/**
 * A change to two tables that hold rows, as an engineer writes it in TypeScript: new columns, a
 * UNIQUE constraint, CHECK constraints (on a new and on an existing column), indexes on existing
 * tables and a composite foreign key that needs the new unique key.
 */
function nicknames(copy: ProjectCopy): void {
  copy.edit('src/schema/people.ts', (text) => {
    let out = extendTable(
      text,
      'students',
      "    nickname: text('nickname'),",
      [
        "    unique('students_organization_id_nickname_key').on(t.organizationId, t.nickname),",
        "    check('students_nickname_check', sql`char_length(btrim(${t.nickname})) between 1 and 40`),",
        "    check('students_local_student_id_length_check', sql`char_length(${t.localStudentId}) <= 64`),",
        "    index('students_date_of_birth_idx').on(t.dateOfBirth),",
        '',
      ].join('\n'),
    );
    out = extendTable(
      out,
      'guardians',
      "    studentNickname: text('student_nickname'),",
      [
        "    foreignKey({ name: 'guardians_organization_id_student_nickname_fkey', columns: [t.organizationId, t.studentNickname], foreignColumns: [students.organizationId, students.nickname] }),",
        "    index('guardians_organization_id_student_nickname_idx').on(t.organizationId, t.studentNickname),",
        '',
      ].join('\n'),
    );
    return out;
  });
}

describe('db:generate writes migrations that are safe on tables that hold rows', () => {
  let copy: ProjectCopy;
  let db: TestDatabase;
  let released: string[];
  let added: string[];
  const text = (tag: string) => readFileSync(join(copy.drizzle, `${tag}.sql`), 'utf8');

  beforeAll(async () => {
    copy = projectCopy();
    released = readJournalTags(copy.drizzle)!;
    nicknames(copy);
    copy.generate('student_nicknames');
    added = readJournalTags(copy.drizzle)!.slice(released.length);
    db = await createTestDatabase();
    await seed({ database: db, plan: makePlan({ scale: 0.01 }), progress: false });
  }, 240_000);

  afterAll(async () => {
    await db?.close();
    copy?.remove();
  });

  it('splits the change: NOT VALID in a transaction, indexes concurrently without one, unique keys adopted, then validation', () => {
    expect(added.map((tag) => tag.replace(/^\d+_/, ''))).toEqual([
      'student_nicknames',
      'student_nicknames_indexes',
      'student_nicknames_constraints',
      'student_nicknames_validate',
    ]);
    const [main, indexes, constraints, validate] = added.map(text);
    expect(main).toMatch(/^set local lock_timeout = '5s';$/m);
    expect(main).toMatch(/ADD COLUMN "nickname" text/);
    expect(main).toMatch(/ADD CONSTRAINT "students_nickname_check" CHECK \(.*\) NOT VALID;/);
    expect(main).not.toMatch(/CREATE INDEX|UNIQUE\(/);

    expect(indexes!.split('\n')[0]).toBe('-- therapy-db: no-transaction');
    expect(indexes).toContain('CREATE INDEX CONCURRENTLY "students_date_of_birth_idx" ON "students"');
    expect(indexes).toContain('drop index concurrently if exists "public"."students_date_of_birth_idx";');
    expect(indexes).toContain('create unique index concurrently "students_organization_id_nickname_key" on "public"."students" ("organization_id", "nickname");');
    expect(indexes).not.toContain('lock_timeout');

    expect(constraints).toMatch(/^set local lock_timeout = '5s';$/m);
    expect(constraints).toContain('add constraint "students_organization_id_nickname_key" unique using index "students_organization_id_nickname_key"');
    // The foreign key needs the unique key, so it follows it.
    expect(constraints).toMatch(/ADD CONSTRAINT "guardians_organization_id_student_nickname_fkey" FOREIGN KEY .* NOT VALID;/);

    for (const name of ['students_nickname_check', 'students_local_student_id_length_check', 'guardians_organization_id_student_nickname_fkey']) {
      expect(validate).toContain(`validate constraint "${name}"`);
    }
    expect(validate).not.toContain('lock_timeout');
  });

  it('passes the safety lint against the release manifest, as `therapy-db check` runs it', async () => {
    const report = await runChecks({ migrationsFolder: copy.drizzle, drift: false, skip: ['replay', ...catalogueChecks.map((c) => c.id)] });
    const safety = report.results.find((r) => r.id === 'safety')!;
    expect(safety.findings).toEqual([]);
    expect(safety.status).toBe('passed');
    for (const tag of added) expect(safety.summary).toContain(tag);
  });

  it('ends where the TypeScript starts: the replayed migrations build what the changed source builds from scratch (sql-drift)', async () => {
    const load = (path: string) => import(join(copy.dir, 'src', path)) as Promise<Record<string, unknown>>;
    const [schema, policies, objects] = await Promise.all([load('schema/index.ts'), load('policies/index.ts'), load('objects.ts')]);
    const report = await runChecks({
      migrationsFolder: copy.drizzle,
      drift: { imports: { ...schema, ...policies }, objects: objects.databaseObjects as never },
      ...(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {}),
      skip: ['integrity', 'safety', ...catalogueChecks.map((c) => c.id)],
    });
    const failed = report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.findings.map((f) => f.message).join('; ')}`);
    expect(failed).toEqual([]);
    expect(Object.fromEntries(report.results.map((r) => [r.id, r.status]))).toMatchObject({ drift: 'passed', replay: 'passed', 'sql-drift': 'passed' });
  }, 300_000); // two replays and a generation: minutes on a loaded 2-core machine, with a test file per core

  it('applies to a seeded database: every row kept, every constraint validated, every index valid', async () => {
    const counts = async () =>
      db.sql<{ students: number; guardians: number }[]>`select (select count(*)::int from public.students) as students, (select count(*)::int from public.guardians) as guardians`;
    const [before] = await counts();
    expect(before!.students).toBeGreaterThan(0);
    expect(before!.guardians).toBeGreaterThan(0);

    const result = await migrate({ client: db.sql, migrationsFolder: copy.drizzle, log: silentLogger });
    expect(result.applied).toEqual(added);
    expect(await counts()).toEqual([before]);

    const constraints = await db.sql<{ conname: string; convalidated: boolean }[]>`
      select conname, convalidated from pg_constraint
      where conname in ('students_organization_id_nickname_key', 'students_nickname_check', 'students_local_student_id_length_check', 'guardians_organization_id_student_nickname_fkey')
      order by conname`;
    expect(constraints).toEqual([
      { conname: 'guardians_organization_id_student_nickname_fkey', convalidated: true },
      { conname: 'students_local_student_id_length_check', convalidated: true },
      { conname: 'students_nickname_check', convalidated: true },
      { conname: 'students_organization_id_nickname_key', convalidated: true },
    ]);
    const [invalid] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_index where not indisvalid`;
    expect(invalid!.n).toBe(0);
    const [notValid] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_constraint where not convalidated`;
    expect(notValid!.n).toBe(0);

    // The new rules hold for new rows.
    const [student] = await db.sql<{ id: string; organization_id: string }[]>`select id, organization_id from public.students limit 1`;
    await db.sql`update public.students set nickname = 'Sam' where id = ${student!.id}`;
    await expect(db.sql`update public.students set nickname = '   ' where id = ${student!.id}`).rejects.toMatchObject({ code: '23514', constraint_name: 'students_nickname_check' });
    await expect(
      db.sql`update public.guardians set student_nickname = 'nobody' where id = (select id from public.guardians where organization_id = ${student!.organization_id} limit 1)`,
    ).rejects.toMatchObject({ code: '23503', constraint_name: 'guardians_organization_id_student_nickname_fkey' });
  });
});
