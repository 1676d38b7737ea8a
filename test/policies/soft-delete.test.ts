import { describe, expect, it } from 'vitest';
import { allAccess } from '../../src/policies';
import { asUser } from '../../src/testing';
import { describeOutcome, isNothing, probeSelect } from './support/probe';
import { count, plant, signInAs } from './support/statements';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * Issue 12, decision: soft-deleting a student, session, school or organisation hides what hangs off
 * it from everyone but org admins, and removes access that existed only through it. The soft delete
 * is planted as the owner (an org admin's `update … set deleted_at`, without the other rules a
 * deletion passes, such as voiding a billed session's charges first).
 */

const world = usePolicyWorld();

const a = () => world().fx.a;
const softDelete = (tx: Tx, table: string, id: string) => plant(tx, [`update public.${table} set deleted_at = now() where id = $1`, [id]]);

/** What the signed-in user sees of student s1 of org A. */
async function s1Records(tx: Tx) {
  const s1 = a().studentIds[0];
  const of = (table: string, column = 'student_id') => count(tx, `select 1 from public.${table} where ${column} = $1`, [s1]);
  return {
    student: await of('students', 'id'),
    guardianships: await of('student_guardians'),
    caseload: await of('caseload_assignments'),
    plans: await of('service_plans'),
    consents: await of('consents'),
    participations: await of('session_participants'),
    notes: await of('session_notes'),
    goals: await of('goals'),
    observations: await of('goal_observations'),
    reports: await of('progress_reports'),
    documents: await of('documents'),
    charges: await of('service_charges'),
    conversations: await of('conversations'),
    messages: await count(tx, 'select 1 from public.messages where conversation_id = $1', [a().conversationId]),
  };
}
const noneOfS1 = {
  student: 0, guardianships: 0, caseload: 0, plans: 0, consents: 0, participations: 0, notes: 0, goals: 0, observations: 0, reports: 0, documents: 0, charges: 0,
  conversations: 0, messages: 0,
};

describe('soft delete hides what hangs off the deleted row from everyone but org admins', () => {
  it("a soft-deleted student: their therapist, guardian, school staff, billing and the student see none of the student's records; the org admin sees them all", async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await softDelete(tx, 'students', a().studentIds[0]);
      const result: Record<string, Awaited<ReturnType<typeof s1Records>>> = {};
      for (const persona of ['therapist', 'guardian', 'student', 'school_staff', 'billing', 'org_admin'] as const) {
        await signInAs(tx, a().users[persona]);
        result[persona] = await s1Records(tx);
      }
      return result;
    });
    for (const persona of ['therapist', 'guardian', 'student', 'school_staff', 'billing'] as const) expect(seen[persona], persona).toEqual(noneOfS1);
    expect(Object.values(seen.org_admin!).every((n) => n > 0), JSON.stringify(seen.org_admin)).toBe(true);
  });

  it('a soft-deleted student takes the access that existed only through them: their guardian no longer sees the care team or the team chat', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      const team = async () => ({
        therapist: await count(tx, 'select 1 from public.profiles where id = $1', [a().users.therapist]),
        therapistRecord: await count(tx, 'select 1 from public.therapists where id = $1', [a().users.therapist]),
        topic: await count(tx, `select unnest(app.conversation_ids()) as id intersect select $1::uuid`, [a().conversationId]),
      });
      const before = await team();
      await softDelete(tx, 'students', a().studentIds[0]);
      return { before, after: await team() };
    });
    expect(seen.before).toEqual({ therapist: 1, therapistRecord: 1, topic: 1 });
    expect(seen.after.therapistRecord).toBe(0);
    expect(seen.after.topic).toBe(0);
  });

  it("a soft-deleted session: its participations, notes, data points and charges disappear for the therapist, guardian and billing; not for the org admin", async () => {
    const session = a().sessionIds.pastS1;
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await softDelete(tx, 'therapy_sessions', session);
      const of = async () => ({
        session: await count(tx, 'select 1 from public.therapy_sessions where id = $1', [session]),
        participations: await count(tx, 'select 1 from public.session_participants where session_id = $1', [session]),
        notes: await count(tx, 'select 1 from public.session_notes where session_id = $1', [session]),
        observations: await count(tx, 'select 1 from public.goal_observations where session_id = $1', [session]),
        charges: await count(tx, 'select 1 from public.service_charges where session_id = $1', [session]),
      });
      const result: Record<string, Awaited<ReturnType<typeof of>>> = {};
      for (const persona of ['therapist', 'guardian', 'student', 'school_staff', 'billing', 'org_admin'] as const) {
        await signInAs(tx, a().users[persona]);
        result[persona] = await of();
      }
      return result;
    });
    const nothing = { session: 0, participations: 0, notes: 0, observations: 0, charges: 0 };
    for (const persona of ['therapist', 'guardian', 'student', 'school_staff', 'billing'] as const) expect(seen[persona], persona).toEqual(nothing);
    expect(seen.org_admin).toEqual({ session: 1, participations: 1, notes: 1, observations: 1, charges: 1 });
  });

  it("a soft-deleted school: its students, their records and its sessions disappear for everyone but the org admin, and its staff lose the access they had through it", async () => {
    const school = a().schoolIds[0]; // Cedar: s1 and s3, the therapist's sessions, the school staff member's school
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await softDelete(tx, 'schools', school);
      const of = async () => ({
        students: await count(tx, 'select 1 from public.students where school_id = $1', [school]),
        sessions: await count(tx, 'select 1 from public.therapy_sessions where school_id = $1', [school]),
        notes: await count(tx, 'select 1 from public.session_notes where student_id = $1', [a().studentIds[0]]),
        goals: await count(tx, 'select 1 from public.goals where student_id = $1', [a().studentIds[0]]),
        staffSchools: await count(tx, 'select unnest(app.staff_school_ids())'),
      });
      const result: Record<string, Awaited<ReturnType<typeof of>>> = {};
      for (const persona of ['therapist', 'supervisor', 'guardian', 'student', 'school_staff', 'billing', 'org_admin'] as const) {
        await signInAs(tx, a().users[persona]);
        result[persona] = await of();
      }
      return result;
    });
    const nothing = { students: 0, sessions: 0, notes: 0, goals: 0, staffSchools: 0 };
    for (const persona of ['therapist', 'supervisor', 'guardian', 'student', 'school_staff', 'billing'] as const) expect(seen[persona], persona).toEqual(nothing);
    expect(seen.org_admin).toMatchObject({ students: 2, sessions: 2, notes: 1, goals: 1 });
  });

  it('a soft-deleted organisation: its members but org admins see nothing of it at all, not even the organisation', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await softDelete(tx, 'organizations', a().organizationId);
      const result: Record<string, string[]> = {};
      for (const persona of ['therapist', 'supervisor', 'guardian', 'student', 'school_staff', 'billing', 'org_admin'] as const) {
        const user = a().users[persona];
        await signInAs(tx, user);
        result[persona] = [];
        for (const access of allAccess) {
          const table = access.table.schema === 'public' ? access.table.name : `${access.table.schema}.${access.table.name}`;
          const mine = ({ profiles: 'id', organization_members: 'user_id', notifications: 'user_id', therapists: 'id' } as Record<string, string>)[table];
          const outcome = await probeSelect(tx, table, mine === undefined ? undefined : { sql: `${mine} <> $1`, params: [user] });
          if (!isNothing(outcome)) result[persona]!.push(`${table}: ${describeOutcome(outcome)}`);
        }
      }
      return result;
    });
    for (const persona of ['therapist', 'supervisor', 'guardian', 'student', 'school_staff', 'billing'] as const) expect(seen[persona], persona).toEqual([]);
    expect(seen.org_admin).toEqual(expect.arrayContaining([expect.stringMatching(/^students: 3 row/), expect.stringMatching(/^organizations: 1 row/)]));
  });
});
