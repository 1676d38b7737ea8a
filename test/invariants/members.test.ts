import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/testing';
import { attempt } from '../policies/support/probe';
import { at, createWorld, expectRefusal, insertSession, rolledBack, slot, type Sql, type World } from './helpers';

/**
 * User references belong to the row's organisation (issue 12, item 3): a therapist, supervisor,
 * author, rendering provider, uploader or participant named by a row must be an active member of
 * its organisation, with the role the reference serves, and not deactivated. A foreign key to the
 * global `therapists` / `profiles` only proved the user exists somewhere: org A could book org B's
 * therapist and learn B's calendar from the overlap constraint. Written as the database owner:
 * the rules hold for every writer.
 */
describe("user references: an active member of the row's organisation, in the role the reference serves", () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const a = () => w.fx.a;
  const b = () => w.fx.b;
  const sessionOfA = (tx: Sql, therapistId: string, start = at(45, 15)) =>
    insertSession(tx, { org: a(), sessionTypeId: w.sessionTypeId.a, therapistId, ...slot(start, 30) });
  const member = (rule: string, table: string, column?: string) => ({ code: '23503', rule, table, ...(column ? { column } : {}) });
  const setMembership = (tx: Sql, orgId: string, userId: string, role: string, status: string) =>
    tx`update public.organization_members set status = ${status} where organization_id = ${orgId} and user_id = ${userId} and role = ${role}`;

  it("org A admin cannot book org B's therapist into an org A session", async () => {
    await expectRefusal(w.db.sql, member('therapy_sessions_therapist_id_member', 'therapy_sessions', 'therapist_id'), (tx) => sessionOfA(tx, b().users.therapist));
  });

  it("org A's guardian (a member, but not a therapist) cannot be a session's therapist", async () => {
    await expectRefusal(w.db.sql, member('therapy_sessions_therapist_id_member', 'therapy_sessions'), async (tx) => {
      await tx`insert into public.therapists (id, discipline, credential) values (${a().users.guardian}, 'slp', 'CCC-SLP')`;
      await sessionOfA(tx, a().users.guardian);
    });
  });

  it('a suspended therapist cannot be booked', async () => {
    await expectRefusal(w.db.sql, member('therapy_sessions_therapist_id_member', 'therapy_sessions'), async (tx) => {
      await setMembership(tx, a().organizationId, a().users.therapist, 'therapist', 'suspended');
      await sessionOfA(tx, a().users.therapist);
    });
  });

  it('a deactivated account cannot be booked', async () => {
    await expectRefusal(w.db.sql, member('therapy_sessions_therapist_id_member', 'therapy_sessions'), async (tx) => {
      await tx`update public.profiles set deactivated_at = now() where id = ${a().users.therapist}`;
      await sessionOfA(tx, a().users.therapist);
    });
  });

  it("the answer for org B's therapist is the one for an id that exists nowhere (no oracle)", async () => {
    const nobody = '00000000-0000-4000-8000-0000000000aa';
    const theirs = await expectRefusal(w.db.sql, member('therapy_sessions_therapist_id_member', 'therapy_sessions'), (tx) => sessionOfA(tx, b().users.therapist));
    const missing = await expectRefusal(w.db.sql, member('therapy_sessions_therapist_id_member', 'therapy_sessions'), (tx) => sessionOfA(tx, nobody));
    expect(theirs.databaseMessage.replace(b().users.therapist, '<id>')).toBe(missing.databaseMessage.replace(nobody, '<id>'));
  });

  it("org A cannot put org B's therapist on its caseload, nor make them supervise or be supervised in A", async () => {
    await expectRefusal(w.db.sql, member('caseload_assignments_therapist_id_member', 'caseload_assignments'), (tx) =>
      tx`insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role)
         values (${a().organizationId}, ${a().studentIds[2]}, ${b().users.therapist}, 'slp', 'consult')`,
    );
    await expectRefusal(w.db.sql, member('supervision_assignments_supervisee_id_member', 'supervision_assignments'), (tx) =>
      tx`insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
         values (${a().organizationId}, ${a().users.supervisor}, ${b().users.supervisee}, 'slpa', '[2026-01-01,2027-01-01)')`,
    );
    await expectRefusal(w.db.sql, member('supervision_assignments_supervisor_id_member', 'supervision_assignments'), (tx) =>
      tx`insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
         values (${a().organizationId}, ${b().users.supervisor}, ${a().users.supervisee}, 'slpa', '[2026-01-01,2027-01-01)')`,
    );
  });

  it('a therapist suspended as therapist but active as guardian can neither write nor sign notes (role confusion)', async () => {
    const t = a().users.therapist;
    const asGuardianOnly = async (tx: Sql) => {
      await tx`insert into public.organization_members (organization_id, user_id, role) values (${a().organizationId}, ${t}, 'guardian')`;
      await setMembership(tx, a().organizationId, t, 'therapist', 'suspended');
    };
    await expectRefusal(w.db.sql, member('session_notes_author_id_member', 'session_notes'), async (tx) => {
      await asGuardianOnly(tx);
      await tx`insert into public.session_notes (organization_id, session_id, student_id, author_id, subjective)
               values (${a().organizationId}, ${a().sessionIds.pastS1}, ${a().studentIds[0]}, ${t}, 'Amended account.')`;
    });
    await expectRefusal(w.db.sql, member('session_notes_signed_by_member', 'session_notes', 'signed_by'), async (tx) => {
      const [note] = await tx<{ id: string }[]>`
        insert into public.session_notes (organization_id, session_id, student_id, author_id, amends_note_id, subjective)
        values (${a().organizationId}, ${a().sessionIds.pastS1}, ${a().studentIds[0]}, ${t}, ${a().noteIds.signedS1}, 'Addendum.') returning id`;
      await asGuardianOnly(tx);
      await tx`update public.session_notes set status = 'signed' where id = ${note!.id}`;
    });
  });

  it("a charge's rendering provider is a therapist of the charge's organisation", async () => {
    await expectRefusal(w.db.sql, member('service_charges_rendering_provider_id_member', 'service_charges'), async (tx) => {
      const [code] = await tx<{ id: string }[]>`select id from public.billing_codes where organization_id = ${a().organizationId} limit 1`;
      await tx`update public.service_charges set status = 'void' where organization_id = ${a().organizationId}`;
      await tx`insert into public.service_charges (organization_id, session_id, student_id, note_id, billing_code_id, unit_rule, rendering_provider_id, service_date, billable_minutes, payer)
               values (${a().organizationId}, ${a().sessionIds.pastS1}, ${a().studentIds[0]}, ${a().noteIds.signedS1}, ${code!.id}, 'timed_15min',
                       ${a().users.billing}, current_date - 7, 30, 'district')`;
    });
  });

  it("a document cannot be uploaded in the name of org B's user", async () => {
    await expectRefusal(w.db.sql, member('documents_uploaded_by_member', 'documents'), (tx) =>
      tx`insert into public.documents (organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, uploaded_by)
         values (${a().organizationId}, ${a().studentIds[0]}, 'student-records', ${`${a().organizationId}/students/${a().studentIds[0]}/other/x.pdf`},
                 'other', 'x.pdf', 'application/pdf', 100, ${b().users.therapist})`,
    );
  });

  it("org A cannot add org B's member to an org A conversation, nor send in their name", async () => {
    await expectRefusal(w.db.sql, member('conversation_participants_user_id_member', 'conversation_participants'), (tx) =>
      tx`insert into public.conversation_participants (organization_id, conversation_id, user_id) values (${a().organizationId}, ${a().conversationId}, ${b().users.guardian})`,
    );
  });

  it("a student or guardian login is a member of the record's organisation in that role", async () => {
    await expectRefusal(w.db.sql, member('students_user_id_member', 'students'), (tx) =>
      tx`update public.students set user_id = ${b().users.student} where id = ${a().studentIds[0]}`,
    );
    await expectRefusal(w.db.sql, member('guardians_user_id_member', 'guardians'), (tx) =>
      tx`update public.guardians set user_id = ${a().users.billing} where id = ${a().guardianId}`,
    );
  });

  it('a member suspended later does not freeze the rows that name them: other columns stay editable', async () => {
    const rows = await rolledBack(w.db.sql, async (tx) => {
      await setMembership(tx, a().organizationId, a().users.therapist, 'therapist', 'suspended');
      await tx`update public.therapy_sessions set location = 'Room 4' where id = ${a().sessionIds.upcomingS1}`;
      return tx<{ location: string }[]>`select location from public.therapy_sessions where id = ${a().sessionIds.upcomingS1}`;
    });
    expect(rows).toEqual([{ location: 'Room 4' }]);
  });
});

describe('the reference rules tell nothing to a writer outside the organisation', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  /** Org A's admin, through the API, inserts an org B session naming `therapistId`. */
  const probe = (therapistId: string) =>
    asUser(w.db.sql, { sub: w.fx.a.users.org_admin }, (tx) =>
      attempt(tx, async (sp) => {
        const start = at(47, 9);
        await sp`insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, start_time, end_time, created_by)
                 values (${w.fx.b.organizationId}, ${therapistId}, ${w.sessionTypeId.b}, ${start.toISOString()}, ${new Date(start.getTime() + 1_800_000).toISOString()}, ${w.fx.b.users.org_admin})`;
        return 1;
      }),
    );

  it("org A's admin gets the same refusal (row level security, 42501) whether the user is org B's therapist or nobody", async () => {
    const theirs = await probe(w.fx.b.users.therapist);
    const nobody = await probe('00000000-0000-4000-8000-0000000000bb');
    expect(theirs).toMatchObject({ kind: 'error', code: '42501' });
    expect(nobody).toMatchObject({ kind: 'error', code: '42501' });
  });
});
