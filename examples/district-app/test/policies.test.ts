/**
 * The app's own policies, tested as Supabase's API runs requests (`therapy-db/testing`: a
 * transaction as `authenticated` with the user's JWT claims, always rolled back), on the package's
 * demo data set: two organisations, A and B, with every persona. The app's postgres.js is 4.x.
 */
import type postgres from 'postgres';
import { asAnon, asServiceRole, asUser, seedFixture, type Fixture } from 'therapy-db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { students } from 'therapy-db/schema';
import { appDatabase } from '../src/db.js';
import { homeworkAssignments } from '../src/schema.js';
import { migratedDatabase, type TestDatabase } from './support.js';

let db: TestDatabase;
let fx: Fixture;
const homework = { a: '00000000-0000-4000-8000-00000000a001', b: '00000000-0000-4000-8000-00000000b001' };

beforeAll(async () => {
  db = await migratedDatabase();
  // seedFixture runs drizzle on the client, which makes it pass json values as text: JSON is sent as text below.
  fx = await seedFixture(db.sql);
  // As the database owner (RLS off): one assignment per organisation, for the caseload student s1.
  for (const key of ['a', 'b'] as const) {
    const org = fx[key];
    await db.sql`insert into public.homework_assignments (id, organization_id, student_id, session_id, assigned_by, title)
      values (${homework[key]}, ${org.organizationId}, ${org.studentIds[0]}, ${org.sessionIds.pastS1}, ${org.users.therapist}, 'Practise /s/ in words')`;
    await db.sql`insert into public.app_settings (organization_id, key, value)
      values (${org.organizationId}, 'homework.reminders', ${JSON.stringify({ daysBefore: 1 })}::jsonb)`;
  }
});
afterAll(async () => db?.close());

type Tx = postgres.TransactionSql;
const as = <T>(user: string, fn: (tx: Tx) => Promise<T>) => asUser(db.sql, { sub: user }, fn);
const homeworkIds = async (tx: Tx) => (await tx<{ id: string }[]>`select id from public.homework_assignments order by id`).map((r) => r.id);
const settingOrgs = async (tx: Tx) => (await tx<{ organization_id: string }[]>`select organization_id from public.app_settings`).map((r) => r.organization_id);

describe('homework_assignments', () => {
  it("org A's therapist, guardian and student read the caseload student's homework, never org B's", async () => {
    for (const persona of ['therapist', 'guardian', 'student'] as const) {
      expect(await as(fx.a.users[persona], homeworkIds), persona).toEqual([homework.a]);
    }
  });

  it("org A admin reads their organisation's homework, not org B's", async () => {
    expect(await as(fx.a.users.org_admin, homeworkIds)).toEqual([homework.a]);
    expect(await as(fx.b.users.org_admin, homeworkIds)).toEqual([homework.b]);
  });

  it('a therapist of org A with no caseload there and school staff read nothing', async () => {
    expect(await as(fx.a.users.school_staff, homeworkIds)).toEqual([]);
    expect(await as(fx.a.users.billing, homeworkIds)).toEqual([]);
  });

  it("org A's therapist assigns homework for their caseload student's session", async () => {
    const inserted = await as(fx.a.users.therapist, (tx) =>
      tx`insert into public.homework_assignments (organization_id, student_id, session_id, assigned_by, title)
        values (${fx.a.organizationId}, ${fx.a.studentIds[0]}, ${fx.a.sessionIds.upcomingS1}, ${fx.a.users.therapist}, 'Read aloud') returning title`,
    );
    expect(inserted).toEqual([{ title: 'Read aloud' }]);
  });

  it("org A's therapist cannot assign homework to a student off their caseload, nor in another's name", async () => {
    const offCaseload = as(fx.a.users.therapist, (tx) =>
      tx`insert into public.homework_assignments (organization_id, student_id, session_id, assigned_by, title)
        values (${fx.a.organizationId}, ${fx.a.studentIds[1]}, ${fx.a.sessionIds.pastS2}, ${fx.a.users.therapist}, 'x')`,
    );
    await expect(offCaseload).rejects.toMatchObject({ code: '42501' });
    const inAnothersName = as(fx.a.users.therapist, (tx) =>
      tx`insert into public.homework_assignments (organization_id, student_id, session_id, assigned_by, title)
        values (${fx.a.organizationId}, ${fx.a.studentIds[0]}, ${fx.a.sessionIds.pastS1}, ${fx.a.users.supervisee}, 'x')`,
    );
    await expect(inAnothersName).rejects.toMatchObject({ code: '42501' });
  });

  it("org A's therapist cannot write into org B, and no row points into another tenant, even the server's", async () => {
    const intoB = as(fx.a.users.therapist, (tx) =>
      tx`insert into public.homework_assignments (organization_id, student_id, session_id, assigned_by, title)
        values (${fx.b.organizationId}, ${fx.b.studentIds[0]}, ${fx.b.sessionIds.pastS1}, ${fx.a.users.therapist}, 'x')`,
    );
    await expect(intoB).rejects.toMatchObject({ code: '42501' });
    // service_role bypasses RLS; the composite foreign keys still refuse org A's row for org B's student.
    const crossTenant = asServiceRole(db.sql, (tx) =>
      tx`insert into public.homework_assignments (organization_id, student_id, session_id, assigned_by, title)
        values (${fx.a.organizationId}, ${fx.b.studentIds[0]}, ${fx.a.sessionIds.pastS1}, ${fx.a.users.therapist}, 'x')`,
    );
    await expect(crossTenant).rejects.toMatchObject({ code: '23503', constraint_name: 'homework_assignments_organization_id_student_id_fkey' });
  });

  it('only the assigning therapist updates it: not the student, not org B', async () => {
    const done = await as(fx.a.users.therapist, (tx) => tx`update public.homework_assignments set completed = true where id = ${homework.a} returning completed`);
    expect(done).toEqual([{ completed: true }]);
    for (const user of [fx.a.users.student, fx.a.users.guardian, fx.a.users.org_admin, fx.b.users.therapist]) {
      const changed = await as(user, (tx) => tx`update public.homework_assignments set title = 'Nothing', completed = true where id = ${homework.a} returning id`);
      expect(changed).toEqual([]);
    }
    // Columns no rule lists are not granted at all.
    const reassign = as(fx.a.users.therapist, (tx) => tx`update public.homework_assignments set assigned_by = ${fx.a.users.supervisee} where id = ${homework.a}`);
    await expect(reassign).rejects.toMatchObject({ code: '42501' });
  });

  it('only the assigning therapist deletes it', async () => {
    expect(await as(fx.a.users.org_admin, (tx) => tx`delete from public.homework_assignments where id = ${homework.a} returning id`)).toEqual([]);
    expect(await as(fx.a.users.therapist, (tx) => tx`delete from public.homework_assignments where id = ${homework.a} returning id`)).toEqual([{ id: homework.a }]);
  });
});

describe('app_settings', () => {
  it("every member of org A reads org A's settings, never org B's", async () => {
    for (const persona of ['org_admin', 'therapist', 'guardian', 'billing'] as const) {
      expect(await as(fx.a.users[persona], settingOrgs), persona).toEqual([fx.a.organizationId]);
    }
  });

  it("org A admin changes org A's settings; a therapist cannot", async () => {
    const changed = await as(fx.a.users.org_admin, (tx) =>
      tx`update public.app_settings set value = ${JSON.stringify({ daysBefore: 2 })}::jsonb where organization_id = ${fx.a.organizationId} returning value`,
    );
    expect(changed).toEqual([{ value: { daysBefore: 2 } }]);
    const byTherapist = await as(fx.a.users.therapist, (tx) =>
      tx`update public.app_settings set value = ${JSON.stringify({ daysBefore: 9 })}::jsonb where organization_id = ${fx.a.organizationId} returning value`,
    );
    expect(byTherapist).toEqual([]);
  });

  it("org A admin cannot write org B's settings, nor move a setting to org B", async () => {
    const insertB = as(fx.a.users.org_admin, (tx) =>
      tx`insert into public.app_settings (organization_id, key, value) values (${fx.b.organizationId}, 'homework.limit', ${JSON.stringify({ perWeek: 3 })}::jsonb)`,
    );
    await expect(insertB).rejects.toMatchObject({ code: '42501' });
    // organization_id is not an updatable column: the grant refuses it before any policy.
    const move = as(fx.a.users.org_admin, (tx) => tx`update public.app_settings set organization_id = ${fx.b.organizationId} where organization_id = ${fx.a.organizationId}`);
    await expect(move).rejects.toMatchObject({ code: '42501' });
  });
});

describe('grants derived from the rules', () => {
  it("anon holds no privilege on the app's tables, and reading them is refused", async () => {
    const [row] = await db.sql`select
      bool_or(has_table_privilege('anon', t, p)) as anon
      from unnest(array['public.homework_assignments', 'public.app_settings']) t, unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) p`;
    expect(row).toEqual({ anon: false });
    await expect(asAnon(db.sql, (tx) => tx`select 1 from public.homework_assignments`)).rejects.toMatchObject({ code: '42501' });
  });

  it('authenticated may update only the columns some rule lists', async () => {
    const columns = await db.sql<{ column_name: string }[]>`select column_name from information_schema.column_privileges
      where grantee = 'authenticated' and privilege_type = 'UPDATE' and table_name = 'homework_assignments' order by column_name`;
    expect(columns.map((c) => c.column_name)).toEqual(['completed', 'due_on', 'instructions', 'title']);
  });
});

describe('Drizzle on the app client', () => {
  it("joins the app's table to the package's", async () => {
    const db2 = appDatabase(db.sql);
    const rows = await db2
      .select({ title: homeworkAssignments.title, student: students.firstName })
      .from(homeworkAssignments)
      .innerJoin(students, eq(students.id, homeworkAssignments.studentId))
      .where(eq(homeworkAssignments.organizationId, fx.a.organizationId));
    expect(rows).toEqual([{ title: 'Practise /s/ in words', student: 'Stevie' }]);
  });
});
