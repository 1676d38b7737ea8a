import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addParticipant, at, createWorld, expectRefusal, insertSession, rolledBack, slot, type World } from './helpers';

/**
 * Tenant isolation in the data itself: children reference parents through composite foreign keys
 * `(organization_id, x_id)`, so a guessed id from another organisation fails even when the row is
 * written by privileged code (these tests write as the database owner; RLS does not apply).
 */
describe('tenant isolation by composite foreign keys', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const sessionOfA = (overrides: { schoolId?: string; sessionTypeId?: string } = {}) => ({
    org: w.fx.a,
    sessionTypeId: overrides.sessionTypeId ?? w.sessionTypeId.a,
    therapistId: w.fx.a.users.therapist,
    ...slot(at(50, 15), 30),
    ...(overrides.schoolId ? { schoolId: overrides.schoolId } : {}),
  });

  it("a session of organisation A cannot take place at organisation B's school", async () => {
    await expectRefusal(w.db.sql, { code: '23503', rule: 'therapy_sessions_organization_id_school_id_fkey', table: 'therapy_sessions' }, (tx) =>
      insertSession(tx, sessionOfA({ schoolId: w.fx.b.schoolIds[0] })),
    );
  });

  it("a session of organisation A cannot use organisation B's session type", async () => {
    await expectRefusal(w.db.sql, { code: '23503', rule: 'therapy_sessions_organization_id_session_type_id_fkey', table: 'therapy_sessions' }, (tx) =>
      insertSession(tx, sessionOfA({ sessionTypeId: w.sessionTypeId.b })),
    );
  });

  it("organisation B's student cannot be added to organisation A's session", async () => {
    await expectRefusal(w.db.sql, { code: '23503', rule: 'session_participants_organization_id_student_id_fkey', table: 'session_participants' }, async (tx) => {
      const id = await insertSession(tx, sessionOfA());
      await addParticipant(tx, w.fx.a, id, w.fx.b.studentIds[0]);
    });
  });

  it("a participant row labelled organisation B cannot point at organisation A's session", async () => {
    await expectRefusal(w.db.sql, { code: '23503', rule: 'session_participants_organization_id_session_id_fkey', table: 'session_participants' }, async (tx) => {
      const id = await insertSession(tx, sessionOfA());
      await addParticipant(tx, w.fx.a, id, w.fx.b.studentIds[0], w.fx.b.organizationId);
    });
  });

  it("organisation A cannot put organisation B's student on its caseload", async () => {
    await expectRefusal(w.db.sql, { code: '23503', rule: 'caseload_assignments_organization_id_student_id_fkey', table: 'caseload_assignments' }, (tx) =>
      tx`insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline)
         values (${w.fx.a.organizationId}, ${w.fx.b.studentIds[2]}, ${w.fx.a.users.therapist}, 'slp')`,
    );
  });

  it("a consent recorded in organisation A cannot name organisation B's guardian", async () => {
    await expectRefusal(w.db.sql, { code: '23503', rule: 'consents_organization_id_guardian_id_fkey', table: 'consents' }, (tx) =>
      tx`insert into public.consents (organization_id, student_id, guardian_id, consent_type, granted_at, signature_method, recorded_by)
         values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[0]}, ${w.fx.b.guardianId}, 'treatment', now(), 'e_signature', ${w.fx.a.users.org_admin})`,
    );
  });

  it('the same references inside one organisation are accepted', async () => {
    const participants = await rolledBack(w.db.sql, async (tx) => {
      const id = await insertSession(tx, sessionOfA({ schoolId: w.fx.a.schoolIds[1] }));
      await addParticipant(tx, w.fx.a, id, w.fx.a.studentIds[2]);
      return tx`select 1 from public.session_participants where session_id = ${id}`;
    });
    expect(participants).toHaveLength(1);
  });
});
