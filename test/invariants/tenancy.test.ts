import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableId } from '../../src/demo';
import { addParticipant, at, createWorld, expectRefusal, insertSession, rolledBack, slot, type Sql, type World } from './helpers';

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

/**
 * Tenant hopping (issue 12, item 4): every reference to a tenant-owned row is composite with
 * `organization_id`, so a row of organisation A cannot name organisation B's series, session,
 * mandate, goal, message, document, conversation or note, even when privileged code writes it. A
 * single-column key accepted them, and `on delete restrict` ones then stopped B deleting its own
 * rows. Shared catalogues (billing codes: global rows and each organisation's overrides) are held
 * by a trigger to global rows and the row's own organisation.
 */
describe('tenant hopping: no reference of organisation A names a row of organisation B', () => {
  let w: World;
  const id = (o: 'a' | 'b', name: string) => stableId(`org-${o}:${name}`);
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const sessionOfA = (tx: Sql) =>
    insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId: w.fx.a.users.therapist, ...slot(at(52, 15), 30) });
  /** A series of organisation `o`, written as the owner. */
  const seriesOf = async (tx: Sql, o: 'a' | 'b') => {
    const f = w.fx[o];
    const [row] = await tx<{ id: string }[]>`
      insert into public.session_series (organization_id, therapist_id, session_type_id, rrule, local_start_time, duration_minutes, timezone, active_during, created_by)
      values (${f.organizationId}, ${f.users.therapist}, ${w.sessionTypeId[o]}, 'FREQ=WEEKLY;BYDAY=MO', '09:00', 30, 'America/Los_Angeles', '[2026-01-01,2027-01-01)', ${f.users.org_admin})
      returning id`;
    return row!.id;
  };
  const refused = (rule: string, table: string, fn: (tx: Sql) => Promise<unknown>) =>
    expectRefusal(w.db.sql, { code: '23503', rule, table }, (tx) => fn(tx as unknown as Sql));

  it("an org A session cannot belong to org B's series", async () => {
    await refused('therapy_sessions_organization_id_series_id_fkey', 'therapy_sessions', async (tx) => {
      const series = await seriesOf(tx, 'b');
      const session = await sessionOfA(tx);
      await tx`update public.therapy_sessions set series_id = ${series} where id = ${session}`;
    });
  });

  it("an org A session cannot be the make-up of org B's session", async () => {
    await refused('therapy_sessions_organization_id_makeup_for_session_id_fkey', 'therapy_sessions', async (tx) => {
      const session = await sessionOfA(tx);
      await tx`update public.therapy_sessions set makeup_for_session_id = ${w.fx.b.sessionIds.pastS1} where id = ${session}`;
    });
  });

  it("an org A participant cannot serve org B's service mandate", async () => {
    await refused('session_participants_mandate_of_student_fkey', 'session_participants', async (tx) => {
      const [mandate] = await tx<{ id: string }[]>`select id from public.service_mandates where organization_id = ${w.fx.b.organizationId} limit 1`;
      const session = await sessionOfA(tx);
      await tx`insert into public.session_participants (organization_id, session_id, student_id, service_mandate_id)
               values (${w.fx.a.organizationId}, ${session}, ${w.fx.a.studentIds[0]}, ${mandate!.id})`;
    });
  });

  it("an org A objective cannot hang under org B's goal", async () => {
    await refused('goals_organization_id_student_id_parent_goal_id_fkey', 'goals', (tx) =>
      tx`insert into public.goals (organization_id, student_id, parent_goal_id, discipline, domain, goal_text, measurement_type, created_by)
         values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[0]}, ${id('b', 'goal:s1-articulation')}, 'slp', 'articulation', 'Objective.', 'trials', ${w.fx.a.users.therapist})`,
    );
  });

  it("an org A message cannot reply to org B's message", async () => {
    await refused('messages_organization_id_reply_to_id_fkey', 'messages', async (tx) => {
      const [theirs] = await tx<{ id: string }[]>`select id from public.messages where organization_id = ${w.fx.b.organizationId} limit 1`;
      await tx`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body, reply_to_id)
               values (${w.fx.a.organizationId}, ${w.fx.a.conversationId}, ${w.fx.a.users.therapist}, gen_random_uuid(), 'Re: yours', ${theirs!.id})`;
    });
  });

  const attach = (tx: Sql, documentId: string) =>
    tx`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body, attachment_document_id)
       values (${w.fx.a.organizationId}, ${w.fx.a.conversationId}, ${w.fx.a.users.therapist}, gen_random_uuid(), 'See attached', ${documentId})`;
  const attachmentRule = 'messages_attachment_in_conversation_fkey';

  it("an org A message cannot attach org B's document", async () => {
    await refused(attachmentRule, 'messages', (tx) => attach(tx, id('b', 'document:s1-iep')));
  });

  it("a therapist cannot attach one student's evaluation (a student record) to another student's conversation", async () => {
    await refused(attachmentRule, 'messages', async (tx) => {
      const [evaluation] = await tx<{ id: string }[]>`
        insert into public.documents (organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, uploaded_by)
        values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[1]}, 'student-records', ${`${w.fx.a.organizationId}/students/${w.fx.a.studentIds[1]}/evaluation_report/x.pdf`},
                'evaluation_report', 'evaluation.pdf', 'application/pdf', 1000, ${w.fx.a.users.therapist})
        returning id`;
      await attach(tx, evaluation!.id);
    });
  });

  it("a message cannot attach another conversation's attachment", async () => {
    await refused(attachmentRule, 'messages', async (tx) => {
      const [other] = await tx<{ id: string }[]>`
        insert into public.conversations (organization_id, kind, title, created_by) values (${w.fx.a.organizationId}, 'group', 'Other', ${w.fx.a.users.therapist}) returning id`;
      const [doc] = await tx<{ id: string }[]>`
        insert into public.documents (organization_id, conversation_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
        values (${w.fx.a.organizationId}, ${other!.id}, 'chat-attachments', ${`${w.fx.a.organizationId}/conversations/${other!.id}/x.png`},
                'chat_attachment', 'x.png', 'image/png', 1000, 'participants', ${w.fx.a.users.therapist})
        returning id`;
      await attach(tx, doc!.id);
    });
  });

  it("an org A consent cannot rest on org B's document (and so cannot stop B deleting it)", async () => {
    await refused('consents_organization_id_student_id_document_id_fkey', 'consents', (tx) =>
      tx`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, document_id, recorded_by)
         values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[0]}, 'telehealth', now(), 'wet_ink_scanned', ${id('b', 'document:s1-iep')}, ${w.fx.a.users.org_admin})`,
    );
    const deleted = await rolledBack(w.db.sql, (tx) => tx`delete from public.documents where id = ${id('b', 'document:s1-iep')} returning id`);
    expect(deleted).toHaveLength(1);
  });

  it("an org A plan cannot cite org B's document as its source", async () => {
    await refused('service_plans_source_document_of_student_fkey', 'service_plans', (tx) =>
      tx`update public.service_plans set source_document_id = ${id('b', 'document:s1-iep')} where id = ${id('a', 'plan:s1')}`,
    );
  });

  it("an org A document cannot belong to org B's conversation", async () => {
    await refused('documents_organization_id_conversation_id_fkey', 'documents', (tx) =>
      tx`insert into public.documents (organization_id, conversation_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
         values (${w.fx.a.organizationId}, ${w.fx.b.conversationId}, 'chat-attachments', ${`${w.fx.a.organizationId}/conversations/${w.fx.b.conversationId}/x.png`},
                 'chat_attachment', 'x.png', 'image/png', 1000, 'participants', ${w.fx.a.users.therapist})`,
    );
  });

  // The eligibility and amendment triggers already refuse these; the composite keys hold even for
  // privileged code that switches the triggers off (an import, a repair script).
  it("an org A charge cannot bill org B's note, even with the eligibility trigger off", async () => {
    await refused('service_charges_organization_id_note_id_fkey', 'service_charges', async (tx) => {
      await tx`alter table public.service_charges disable trigger service_charges_eligibility`;
      await tx`update public.service_charges set note_id = ${w.fx.b.noteIds.signedS1} where organization_id = ${w.fx.a.organizationId}`;
    });
  });

  it("an org A note cannot amend org B's note, even with the note trigger off", async () => {
    await refused('session_notes_organization_id_amends_note_id_fkey', 'session_notes', async (tx) => {
      await tx`alter table public.session_notes disable trigger session_notes_signed_immutable`;
      await tx`update public.session_notes set amends_note_id = ${w.fx.b.noteIds.signedS1} where id = ${w.fx.a.noteIds.draftS2}`;
    });
  });

  it("an org A session type cannot default to org B's billing code", async () => {
    await refused('session_types_default_billing_code_id_scope', 'session_types', (tx) =>
      tx`update public.session_types set default_billing_code_id = ${id('b', 'billing-code:92507')} where id = ${w.sessionTypeId.a}`,
    );
  });

  it("an org A charge cannot use org B's billing code, and the answer is the same as for a code that does not exist", async () => {
    const charge = (tx: Sql, code: string) =>
      tx`insert into public.service_charges (organization_id, session_id, student_id, note_id, billing_code_id, unit_rule, rendering_provider_id, service_date, billable_minutes, payer)
         values (${w.fx.a.organizationId}, ${w.fx.a.sessionIds.pastS1}, ${w.fx.a.studentIds[0]}, ${w.fx.a.noteIds.signedS1}, ${code}, 'timed_15min',
                 ${w.fx.a.users.therapist}, current_date - 7, 30, 'district')`;
    const theirs = await refused('service_charges_billing_code_id_scope', 'service_charges', (tx) => charge(tx, id('b', 'billing-code:92507')));
    const missing = await refused('service_charges_billing_code_id_scope', 'service_charges', (tx) => charge(tx, '00000000-0000-4000-8000-000000000000'));
    expect(theirs.databaseMessage.replace(id('b', 'billing-code:92507'), '<id>')).toBe(missing.databaseMessage.replace('00000000-0000-4000-8000-000000000000', '<id>'));
  });

  it('global billing codes and the organisation’s own overrides are accepted', async () => {
    const types = await rolledBack(w.db.sql, async (tx) => {
      const [global] = await tx<{ id: string }[]>`
        insert into public.billing_codes (code, description, unit_rule) values ('92521', 'Evaluation of speech fluency', 'per_evaluation') returning id`;
      await tx`update public.session_types set default_billing_code_id = ${global!.id} where id = ${w.sessionTypeId.a}`;
      await tx`update public.session_types set default_billing_code_id = ${id('a', 'billing-code:92507')} where id = ${w.sessionTypeId.a}`;
      return tx<{ code: string }[]>`select default_billing_code_id::text as code from public.session_types where id = ${w.sessionTypeId.a}`;
    });
    expect(types).toEqual([{ code: id('a', 'billing-code:92507') }]);
  });

  it("deleting a series keeps its sessions: series_id is cleared, organization_id stays (set null names the column)", async () => {
    const rows = await rolledBack(w.db.sql, async (tx) => {
      const series = await seriesOf(tx as unknown as Sql, 'a');
      const session = await sessionOfA(tx as unknown as Sql);
      await tx`update public.therapy_sessions set series_id = ${series} where id = ${session}`;
      await tx`delete from public.session_series where id = ${series}`;
      return tx<{ series: string | null; org: string }[]>`select series_id as series, organization_id as org from public.therapy_sessions where id = ${session}`;
    });
    expect(rows).toEqual([{ series: null, org: w.fx.a.organizationId }]);
  });
});
