import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPOSED_SCHEMAS } from '../../src/check';
import { stableId } from '../../src/demo';
import { asUser } from '../../src/testing';
import { asOwner, attempt, describeOutcome, isRefusal, newId, type Outcome } from './support/probe';
import { affected, asOwnerDo, count, plant, refused, signInAs, tryStatement } from './support/statements';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * Red-team review of issue 12's access half (commits cd01c98, 79280bc): attacks with a valid JWT
 * through PostgREST's path (`set local role authenticated` + `request.jwt.claims`), each written
 * expecting the secure behaviour. A test that fails here is a hole.
 */

const world = usePolicyWorld();
const a = () => world().fx.a;
const b = () => world().fx.b;

describe('membership consent', () => {
  it("org A admin cannot turn a member's accepted guardian membership into a therapist membership without their consent", async () => {
    // B's therapist is also a parent in A: they accepted a guardian membership of A, nothing more.
    const parent = b().users.therapist;
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'guardian')`, [a().organizationId, parent]]);
      return tryStatement(tx, `update public.organization_members set role = 'therapist' where organization_id = $1 and user_id = $2 and role = 'guardian'`, [
        a().organizationId,
        parent,
      ]);
    });
    expect(isRefusal(outcome), describeOutcome(outcome)).toBe(true);
  });

  it("org A admin who re-roles a parent's membership cannot then book sessions in their name (an A therapist they never agreed to be)", async () => {
    const parent = b().users.therapist;
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'guardian')`, [a().organizationId, parent]]);
      // the re-role of the test above, kept if the database lets it through
      await tx.unsafe(`savepoint rerole`);
      await tx.unsafe(`update public.organization_members set role = 'therapist' where organization_id = $1 and user_id = $2`, [a().organizationId, parent]).then(
        () => tx.unsafe(`release savepoint rerole`),
        () => tx.unsafe(`rollback to savepoint rerole`),
      );
      return tryStatement(
        tx,
        `insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
         values ($1, $2, $3, $4, now() + interval '20 days', now() + interval '20 days 30 minutes', $5)`,
        [a().organizationId, parent, world().extras.a.sessionTypeId, a().schoolIds[0], a().users.org_admin],
      );
    });
    expect(isRefusal(outcome) || (outcome.kind === 'error' && outcome.code === '23503'), describeOutcome(outcome)).toBe(true);
  });

  it('org A admin cannot change the role of a pending invitation (the invitee accepts the role they were shown)', async () => {
    const invitee = world().users.self; // invited to A as guardian by the policy world
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, (tx) =>
      tryStatement(tx, `update public.organization_members set role = 'org_admin' where organization_id = $1 and user_id = $2 and status = 'invited'`, [a().organizationId, invitee]),
    );
    expect(isRefusal(outcome), describeOutcome(outcome)).toBe(true);
  });

  it('a member cannot remove, suspend or re-add themselves (nor an admin their own row)', async () => {
    for (const persona of ['therapist', 'org_admin'] as const) {
      const me = a().users[persona];
      const outcomes = await asUser(world().db.sql, { sub: me }, async (tx) => ({
        suspend: await tryStatement(tx, `update public.organization_members set status = 'suspended' where user_id = $1`, [me]),
        remove: await tryStatement(tx, `delete from public.organization_members where user_id = $1`, [me]),
        readd: await tryStatement(tx, `insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'org_admin', 'invited')`, [a().organizationId, me]),
      }));
      for (const o of Object.values(outcomes)) expect(isRefusal(o) || (o.kind === 'ok' && o.rows === 0), describeOutcome(o)).toBe(true);
    }
  });
});

describe('membership consent: the fixes (secfix)', () => {
  it('nobody with a JWT changes a role, even where the column were granted: the trigger names the field and the rule', async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, (tx) =>
      // as the owner (every column granted) while the admin's JWT is in force: the trigger is the last line
      asOwner(tx, async () => {
        await signInAs(tx, a().users.org_admin);
        return tryStatement(tx, `update public.organization_members set role = 'org_admin' where organization_id = $1 and user_id = $2`, [a().organizationId, a().users.therapist]);
      }),
    );
    expect(outcome, describeOutcome(outcome)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/organization_members\.role cannot be changed .*organization_members_role_immutable/) });
  });
});

describe('self-escalation through the people tables', () => {
  it('a guardian cannot grant themselves portal access (a court order withheld it)', async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      await asOwnerDo(tx, [`update public.student_guardians set portal_access = false where guardian_id = $1`, [a().guardianId]]);
      return tryStatement(tx, `update public.student_guardians set portal_access = true where guardian_id = $1`, [a().guardianId]);
    });
    expect(isRefusal(outcome) || (outcome.kind === 'ok' && outcome.rows === 0), describeOutcome(outcome)).toBe(true);
  });

  it('a therapist cannot extend their own caseload assignment, nor create their own supervision', async () => {
    const me = a().users.therapist;
    const outcomes = await asUser(world().db.sql, { sub: me }, async (tx) => ({
      extend: await tryStatement(tx, `update public.caseload_assignments set ends_on = null, starts_on = '2000-01-01' where therapist_id = $1`, [me]),
      takeS3: await tryStatement(tx, `insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, starts_on) values ($1, $2, $3, 'slp', current_date)`, [
        a().organizationId,
        a().studentIds[2],
        me,
      ]),
      supervise: await tryStatement(
        tx,
        `insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during) values ($1, $2, $3, 'slpa', daterange(current_date, null))`,
        [a().organizationId, me, a().users.supervisee],
      ),
    }));
    expect(isRefusal(outcomes.extend) || (outcomes.extend.kind === 'ok' && outcomes.extend.rows === 0), describeOutcome(outcomes.extend)).toBe(true);
    refused(outcomes.takeS3);
    refused(outcomes.supervise);
  });

  it('a user cannot make themselves platform admin nor lift their own deactivation', async () => {
    const me = a().users.therapist;
    const outcomes = await asUser(world().db.sql, { sub: me }, async (tx) => ({
      admin: await tryStatement(tx, `update public.profiles set is_platform_admin = true where id = $1`, [me]),
      reactivate: await tryStatement(tx, `update public.profiles set deactivated_at = null where id = $1`, [me]),
    }));
    refused(outcomes.admin);
    refused(outcomes.reactivate);
  });
});

describe('scheduling: "CRU own" sessions', () => {
  const colleagueSession = (id: string) =>
    [
      `insert into public.therapy_sessions (id, organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
       values ($1, $2, $3, $4, $5, now() + interval '10 days', now() + interval '10 days 30 minutes', $3)`,
      [id, a().organizationId, a().users.supervisor, world().extras.a.sessionTypeId, a().schoolIds[0]],
    ] as const;

  it("a therapist cannot add their caseload student to a colleague's session they cannot see", async () => {
    const session = newId();
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(tx, colleagueSession(session));
      const before = await count(tx, 'select 1 from public.therapy_sessions where id = $1', [session]);
      const add = await tryStatement(tx, `insert into public.session_participants (organization_id, session_id, student_id) values ($1, $2, $3)`, [
        a().organizationId,
        session,
        a().studentIds[0],
      ]);
      return { before, add };
    });
    expect(outcome.before).toBe(0);
    refused(outcome.add);
  });

  it("a therapist cannot record their caseload student's attendance in a colleague's session", async () => {
    const session = newId();
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(tx, colleagueSession(session), [
        `insert into public.session_participants (organization_id, session_id, student_id) values ($1, $2, $3)`,
        [a().organizationId, session, a().studentIds[0]],
      ]);
      return tryStatement(tx, `update public.session_participants set minutes_attended = 30 where session_id = $1`, [session]);
    });
    expect(isRefusal(outcome) || (outcome.kind === 'ok' && outcome.rows === 0), describeOutcome(outcome)).toBe(true);
  });
});

describe('scheduling: a caseload student does not open a colleague\'s session (secfix)', () => {
  it("a therapist cannot write a note or a data point about their caseload student in a colleague's session (an admin added the student there)", async () => {
    const session = newId();
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(
        tx,
        [
          `insert into public.therapy_sessions (id, organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
           values ($1, $2, $3, $4, $5, now() + interval '10 days', now() + interval '10 days 30 minutes', $3)`,
          [session, a().organizationId, a().users.supervisor, world().extras.a.sessionTypeId, a().schoolIds[0]],
        ],
        [`insert into public.session_participants (organization_id, session_id, student_id) values ($1, $2, $3)`, [a().organizationId, session, a().studentIds[0]]],
      );
      return {
        note: await tryStatement(tx, `insert into public.session_notes (organization_id, session_id, student_id, author_id, subjective) values ($1, $2, $3, $4, 'Not my session.')`, [
          a().organizationId,
          session,
          a().studentIds[0],
          a().users.therapist,
        ]),
        observation: await tryStatement(
          tx,
          `insert into public.goal_observations (organization_id, goal_id, session_id, student_id, recorded_by, trials_correct, trials_total) values ($1, $2, $3, $4, $5, 1, 2)`,
          [a().organizationId, world().extras.a.goalS1, session, a().studentIds[0], a().users.therapist],
        ),
      };
    });
    refused(outcomes.note);
    refused(outcomes.observation);
  });

  it('a therapist still adds their caseload student to their own session and records attendance', async () => {
    const session = newId();
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(tx, [
        `insert into public.therapy_sessions (id, organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
         values ($1, $2, $3, $4, $5, now() + interval '10 days', now() + interval '10 days 30 minutes', $3)`,
        [session, a().organizationId, a().users.therapist, world().extras.a.sessionTypeId, a().schoolIds[0]],
      ]);
      const add = await tryStatement(tx, `insert into public.session_participants (organization_id, session_id, student_id) values ($1, $2, $3)`, [a().organizationId, session, a().studentIds[0]]);
      await tx.unsafe(`insert into public.session_participants (organization_id, session_id, student_id) values ($1, $2, $3)`, [a().organizationId, session, a().studentIds[0]]);
      return { add, attend: await tryStatement(tx, `update public.session_participants set minutes_attended = 30 where session_id = $1`, [session]) };
    });
    affected(outcomes.add, 1);
    affected(outcomes.attend, 1);
  });
});

describe('chat', () => {
  it('a participant who left cannot rejoin, nor add someone else to a conversation they did not start', async () => {
    const me = a().users.guardian;
    const outcomes = await asUser(world().db.sql, { sub: me }, async (tx) => {
      await asOwnerDo(tx, [`update public.conversation_participants set left_at = now() where conversation_id = $1 and user_id = $2`, [a().conversationId, me]]);
      return {
        rejoin: await tryStatement(tx, `update public.conversation_participants set left_at = null where conversation_id = $1 and user_id = $2`, [a().conversationId, me]),
        reinsert: await tryStatement(tx, `insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3)`, [
          a().organizationId,
          a().conversationId,
          me,
        ]),
      };
    });
    expect(isRefusal(outcomes.rejoin) || (outcomes.rejoin.kind === 'ok' && outcomes.rejoin.rows === 0), describeOutcome(outcomes.rejoin)).toBe(true);
    expect(outcomes.reinsert.kind, describeOutcome(outcomes.reinsert)).toBe('error');
  });

  it("a guardian whose portal access a court order withheld loses the child's team chat, even while also school staff of the organisation", async () => {
    const parent = a().users.guardian;
    const seen = await asUser(world().db.sql, { sub: parent }, async (tx) => {
      await asOwnerDo(
        tx,
        // the parent also works at the district's other campus
        [`insert into public.organization_members (organization_id, user_id, role, school_id) values ($1, $2, 'school_staff', $3)`, [a().organizationId, parent, a().schoolIds[1]]],
        [`update public.student_guardians set portal_access = false where guardian_id = $1`, [a().guardianId]],
      );
      return {
        conversation: await count(tx, 'select 1 from public.conversations where id = $1', [a().conversationId]),
        messages: await count(tx, 'select 1 from public.messages where conversation_id = $1', [a().conversationId]),
        send: await tryStatement(tx, `insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body) values ($1, $2, $3, $4, 'still here')`, [
          a().organizationId,
          a().conversationId,
          parent,
          newId(),
        ]),
      };
    });
    expect({ conversation: seen.conversation, messages: seen.messages, send: describeOutcome(seen.send) }).toEqual({
      conversation: 0,
      messages: 0,
      send: expect.stringMatching(/^error 42501/),
    });
  });

  it('a participant cannot forge a database event on the conversation topic, whatever the topic spelling', async () => {
    const conversation = world().extras.a.groupConversationId;
    const me = a().users.guardian;
    const topics = [`conversation:${conversation}`, `conversation:${conversation}:peers\n`, `conversation:${conversation.toUpperCase()}:peers`, `conversation:${conversation}:peers:x`];
    const outcomes = await asUser(world().db.sql, { sub: me }, async (tx) => {
      const result: Record<string, Outcome> = {};
      for (const topic of topics) {
        await tx`select set_config('realtime.topic', ${topic}, true)`;
        result[JSON.stringify(topic)] = await tryStatement(tx, `insert into realtime.messages (topic, extension, event, payload, private) values ($1, 'broadcast', 'message.deleted', '{}'::jsonb, true)`, [topic]);
      }
      return result;
    });
    for (const [topic, o] of Object.entries(outcomes)) expect(isRefusal(o), `${topic}: ${describeOutcome(o)}`).toBe(true);
  });
});

describe('audit', () => {
  it('a client cannot spoof the audit role through its JWT claims', async () => {
    const me = a().users.org_admin;
    // the JWT claims the service role (a forged or misissued token); the database role stays authenticated
    const rows = await asUser(world().db.sql, { sub: me, claims: { role: 'service_role', user_role: 'service_role' } }, async (tx) => {
      await tx.unsafe(`update public.students set preferred_name = 'Audited' where id = $1`, [a().studentIds[2]]);
      await signInAs(tx, me);
      return tx.unsafe<{ actor_role: string; actor_id: string }[]>(`select actor_role, actor_id from audit.audit_log where record_id = $1 and table_name = 'students' order by occurred_at desc limit 1`, [a().studentIds[2]]);
    });
    expect(rows).toEqual([{ actor_role: 'authenticated', actor_id: me }]);
  });

  it('an org admin cannot write, rewrite or erase the audit log', async () => {
    const me = a().users.org_admin;
    const outcomes = await asUser(world().db.sql, { sub: me }, async (tx) => ({
      insert: await tryStatement(tx, `insert into audit.audit_log (organization_id, actor_id, actor_role, action, table_name) values ($1, $2, 'service_role', 'update', 'students')`, [a().organizationId, me]),
      update: await tryStatement(tx, `update audit.audit_log set actor_id = null where organization_id = $1`, [a().organizationId]),
      delete: await tryStatement(tx, `delete from audit.audit_log where organization_id = $1`, [a().organizationId]),
      truncate: await tryStatement(tx, `truncate audit.audit_log`),
    }));
    for (const o of Object.values(outcomes)) refused(o);
  });
});

describe('soft delete hides what hangs off it', () => {
  it("a therapist and a guardian read nothing of a session at a soft-deleted school (its participants, notes, data points, charges)", async () => {
    const session = a().sessionIds.pastS1;
    const otherCampus = a().schoolIds[1];
    const read = async (tx: Tx) => ({
      session: await count(tx, 'select 1 from public.therapy_sessions where id = $1', [session]),
      participants: await count(tx, 'select 1 from public.session_participants where session_id = $1', [session]),
      notes: await count(tx, 'select 1 from public.session_notes where session_id = $1', [session]),
      observations: await count(tx, 'select 1 from public.goal_observations where session_id = $1', [session]),
      charges: await count(tx, 'select 1 from public.service_charges where session_id = $1', [session]),
    });
    const seen = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      // The session took place at the other campus (the student's own campus stays open); that campus closes.
      await plant(tx, [`update public.therapy_sessions set school_id = $1 where id = $2`, [otherCampus, session]]);
      await asOwnerDo(tx, [`update public.schools set deleted_at = now() where id = $1`, [otherCampus]]);
      const therapist = await read(tx);
      await signInAs(tx, a().users.guardian);
      const guardian = await read(tx);
      return { therapist, guardian };
    });
    const nothing = { session: 0, participants: 0, notes: 0, observations: 0, charges: 0 };
    expect({ therapist: seen.therapist, guardian: seen.guardian }).toEqual({ therapist: nothing, guardian: nothing });
  });
});

describe('documents and chat attachments', () => {
  it("a therapist cannot drop a file into a conversation they take no part in (a 'chat attachment' tagged with their student)", async () => {
    const conversation = newId();
    const document = newId();
    const org = a().organizationId;
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(
        tx,
        [`insert into public.conversations (id, organization_id, kind, title, created_by) values ($1, $2, 'direct', 'Admin and parent', $3)`, [conversation, org, a().users.org_admin]],
        [
          `insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3), ($1, $2, $4)`,
          [org, conversation, a().users.org_admin, a().users.guardian],
        ],
      );
      return tryStatement(
        tx,
        `insert into public.documents (id, organization_id, conversation_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
         values ($1, $2, $3, $4, 'chat-attachments', $5, 'chat_attachment', 'invoice.pdf', 'application/pdf', 1000, 'participants', $6)`,
        [document, org, conversation, a().studentIds[0], `${org}/conversations/${conversation}/${document}.pdf`, a().users.therapist],
      );
    });
    expect(isRefusal(outcome), describeOutcome(outcome)).toBe(true);
  });
});

describe('documents: the class fixes (secfix)', () => {
  it("a chat attachment carries no student or session link, whoever writes it (an org admin's row is refused by the database)", async () => {
    const document = newId();
    const org = a().organizationId;
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, (tx) =>
      tryStatement(
        tx,
        `insert into public.documents (id, organization_id, conversation_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
         values ($1, $2, $3, $4, 'chat-attachments', $5, 'chat_attachment', 'evaluation.pdf', 'application/pdf', 1000, 'participants', $6)`,
        [document, org, a().conversationId, a().studentIds[0], `${org}/conversations/${a().conversationId}/${document}.pdf`, a().users.org_admin],
      ),
    );
    expect(outcome, describeOutcome(outcome)).toMatchObject({ kind: 'error', code: '23514', message: expect.stringContaining('documents_chat_attachment_links_check') });
  });

  it("a therapist still files a student record about their caseload student in student-records", async () => {
    const document = newId();
    const org = a().organizationId;
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, (tx) =>
      tryStatement(
        tx,
        `insert into public.documents (id, organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
         values ($1, $2, $3, 'student-records', $4, 'evaluation_report', 'eval.pdf', 'application/pdf', 1000, 'staff', $5)`,
        [document, org, a().studentIds[0], `${org}/students/${a().studentIds[0]}/evaluation_report/${document}.pdf`, a().users.therapist],
      ),
    );
    affected(outcome, 1);
  });
});

describe('the public org-assets bucket', () => {
  it("a therapist cannot publish a file in the organisation's public org-assets bucket", async () => {
    const document = newId();
    const org = a().organizationId;
    const path = `${org}/assets/${document}.png`;
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => ({
      row: await tryStatement(
        tx,
        `insert into public.documents (id, organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
         values ($1, $2, $3, 'org-assets', $4, 'org_asset', 'progress-photo.png', 'image/png', 1000, 'staff', $5)`,
        [document, org, a().studentIds[0], path, a().users.therapist],
      ),
      upload: await attempt(tx, async (sp) => {
        await sp.unsafe(
          `insert into public.documents (id, organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
           values ($1, $2, $3, 'org-assets', $4, 'org_asset', 'progress-photo.png', 'image/png', 1000, 'staff', $5)`,
          [document, org, a().studentIds[0], path, a().users.therapist],
        );
        return (await sp.unsafe(`insert into storage.objects (bucket_id, name, owner) values ('org-assets', $1, $2)`, [path, a().users.therapist])).count;
      }),
    }));
    expect({ row: describeOutcome(outcomes.row), upload: describeOutcome(outcomes.upload) }).toEqual({
      row: expect.stringMatching(/^error 42501/),
      upload: expect.stringMatching(/^error /),
    });
  });
});

describe('clinical records stay with their student', () => {
  it("a therapist cannot attach their student's goal to another student's plan", async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, (tx) =>
      tryStatement(tx, `update public.goals set service_plan_id = $1 where id = $2`, [world().extras.a.planS2, world().extras.a.goalS1]),
    );
    expect(outcome.kind === 'error', describeOutcome(outcome)).toBe(true);
  });

  it("no goal points at another student's plan or goal, whoever writes it: the foreign keys include the student", async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      plan: await tryStatement(tx, `update public.goals set service_plan_id = $1 where id = $2`, [world().extras.a.planS2, world().extras.a.goalS1]),
      parent: await tryStatement(
        tx,
        `insert into public.goals (organization_id, student_id, parent_goal_id, discipline, domain, goal_text, measurement_type, created_by)
         values ($1, $2, $3, 'slp', 'articulation', 'Objective under another student.', 'trials', $4)`,
        [a().organizationId, a().studentIds[1], world().extras.a.goalS1, a().users.org_admin],
      ),
    }));
    expect(outcomes.plan, describeOutcome(outcomes.plan)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('goals_organization_id_student_id_service_plan_id_fkey') });
    expect(outcomes.parent, describeOutcome(outcomes.parent)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('goals_organization_id_student_id_parent_goal_id_fkey') });
  });
});

describe("a plan or a consent cites only its own student's document (issue 12 follow-up c)", () => {
  const evaluationS2 = () => stableId('org-a:policy:document:s2-evaluation');

  it("s1's therapist cannot make another student's evaluation the source document of s1's plan", async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, (tx) =>
      tryStatement(tx, `update public.service_plans set source_document_id = $1 where id = $2`, [evaluationS2(), world().extras.a.planS1]),
    );
    expect(outcome, describeOutcome(outcome)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('service_plans_source_document_of_student_fkey') });
  });

  it("no plan or consent rests on another student's document, whoever writes it (an org admin's rows are refused by the foreign keys, which include the student)", async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      plan: await tryStatement(
        tx,
        `insert into public.service_plans (organization_id, student_id, plan_type, effective_during, source_document_id, created_by)
         values ($1, $2, '504', daterange(current_date, current_date + 365), $3, $4)`,
        [a().organizationId, a().studentIds[0], evaluationS2(), a().users.org_admin],
      ),
      moved: await tryStatement(tx, `update public.service_plans set source_document_id = $1 where id = $2`, [world().extras.a.documentIep, world().extras.a.planS2]),
      consent: await tryStatement(
        tx,
        `insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, document_id, recorded_by)
         values ($1, $2, 'evaluation', now(), 'wet_ink_scanned', $3, $4)`,
        [a().organizationId, a().studentIds[0], evaluationS2(), a().users.org_admin],
      ),
    }));
    expect(outcomes.plan, describeOutcome(outcomes.plan)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('service_plans_source_document_of_student_fkey') });
    expect(outcomes.moved, describeOutcome(outcomes.moved)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('service_plans_source_document_of_student_fkey') });
    expect(outcomes.consent, describeOutcome(outcomes.consent)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('consents_organization_id_student_id_document_id_fkey') });
  });

  it("a plan and a consent still cite their own student's document", async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      plan: await tryStatement(tx, `update public.service_plans set source_document_id = $1 where id = $2`, [world().extras.a.documentIep, world().extras.a.planS1]),
      consent: await tryStatement(
        tx,
        `insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, document_id, recorded_by)
         values ($1, $2, 'evaluation', now(), 'wet_ink_scanned', $3, $4)`,
        [a().organizationId, a().studentIds[0], world().extras.a.documentIep, a().users.org_admin],
      ),
    }));
    affected(outcomes.plan, 1);
    affected(outcomes.consent, 1);
  });
});

describe("a session participant's mandate is its own student's (issue 12 follow-up)", () => {
  /** s1's and s2's mandates (of their plans), as the database owner reads them. */
  const mandates = (tx: Tx) =>
    asOwner(tx, async () => {
      const rows = await tx.unsafe<{ id: string; student_id: string }[]>(
        `select m.id, m.student_id from public.service_mandates m join public.service_plans p on p.id = m.service_plan_id
          where m.organization_id = $1 and p.student_id = any ($2::uuid[])`,
        [a().organizationId, [a().studentIds[0], a().studentIds[1]]],
      );
      return { s1: rows.find((r) => r.student_id === a().studentIds[0])!.id, s2: rows.find((r) => r.student_id === a().studentIds[1])!.id };
    });

  it("a therapist cannot record a participant's minutes against another student's mandate", async () => {
    const [s1, s2] = a().studentIds;
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      // The therapist serves s2 as well (a group), so s2's mandate is theirs to read and its id known.
      await asOwnerDo(tx, [`insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role) values ($1, $2, $3, 'slp', 'secondary')`, [a().organizationId, s2, a().users.therapist]]);
      // and has a session of their own booked for s2
      const sessionS2 = newId();
      await asOwnerDo(tx, [
        `insert into public.therapy_sessions (id, organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
         select $1, $2, $3, session_type_id, school_id, start_time + interval '20 days', end_time + interval '20 days', $3 from public.therapy_sessions where id = $4`,
        [sessionS2, a().organizationId, a().users.therapist, a().sessionIds.upcomingS1],
      ]);
      const m = await mandates(tx);
      const visible = await count(tx, 'select 1 from public.service_mandates where id = $1', [m.s2]);
      return {
        visible,
        // s1's attended minutes counted towards s2's mandate
        update: await tryStatement(tx, `update public.session_participants set service_mandate_id = $1, minutes_attended = 30 where session_id = $2 and student_id = $3`, [m.s2, a().sessionIds.upcomingS1, s1]),
        // s2's minutes (in s2's own session) counted towards s1's mandate
        insert: await tryStatement(
          tx,
          `insert into public.session_participants (organization_id, session_id, student_id, service_mandate_id) values ($1, $2, $3, $4)`,
          [a().organizationId, sessionS2, s2, m.s1],
        ),
        // the control: s1's own mandate
        own: await tryStatement(tx, `update public.session_participants set service_mandate_id = $1, minutes_attended = 30 where session_id = $2 and student_id = $3`, [m.s1, a().sessionIds.upcomingS1, s1]),
      };
    });
    expect(outcomes.visible).toBe(1);
    for (const o of [outcomes.update, outcomes.insert]) {
      expect(o, describeOutcome(o)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('session_participants_mandate_of_student_fkey') });
    }
    affected(outcomes.own, 1);
  });

  it("no participant counts towards another student's mandate, whoever writes it (an org admin, server code): the foreign key includes the student", async () => {
    const [s1] = a().studentIds;
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      const m = await mandates(tx);
      const byAdmin = await tryStatement(tx, `update public.session_participants set service_mandate_id = $1 where session_id = $2 and student_id = $3`, [m.s2, a().sessionIds.pastS1, s1]);
      const byServer = await asOwner(tx, () =>
        tryStatement(tx, `update public.session_participants set service_mandate_id = $1 where session_id = $2 and student_id = $3`, [m.s2, a().sessionIds.pastS1, s1]),
      );
      return { byAdmin, byServer };
    });
    for (const o of [outcomes.byAdmin, outcomes.byServer]) {
      expect(o, describeOutcome(o)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('session_participants_mandate_of_student_fkey') });
    }
  });

  it("a mandate's student is its plan's, whatever the writer sends; a plan of another organisation is refused as a missing one", async () => {
    const [s1, s2] = a().studentIds;
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) =>
      asOwner(tx, async () => {
        const planS2 = world().extras.a.planS2;
        const [row] = await tx.unsafe<{ student_id: string }[]>(
          `insert into public.service_mandates (organization_id, service_plan_id, student_id, discipline, minutes_per_session, sessions_per_period, period, delivery_setting, effective_during)
           values ($1, $2, $3, 'slp', 30, 1, 'week', 'pull_out', daterange(current_date, current_date + 30)) returning student_id`,
          [a().organizationId, planS2, s1],
        );
        const moved = await tryStatement(tx, `update public.service_mandates set student_id = $1 where service_plan_id = $2`, [s1, planS2]);
        const [after] = await tx.unsafe<{ students: string[] }[]>(`select array_agg(distinct student_id) as students from public.service_mandates where service_plan_id = $1`, [planS2]);
        const insert = (plan: string) =>
          tryStatement(
            tx,
            `insert into public.service_mandates (organization_id, service_plan_id, discipline, minutes_per_session, sessions_per_period, period, delivery_setting, effective_during)
             values ($1, $2, 'slp', 30, 1, 'week', 'pull_out', daterange(current_date, current_date + 30))`,
            [a().organizationId, plan],
          );
        return { stored: row!.student_id, moved, after: after!.students, planOfB: await insert(world().extras.b.planS2), missing: await insert(newId()) };
      }),
    );
    expect(seen.stored).toBe(s2);
    expect(seen.moved.kind, describeOutcome(seen.moved)).toBe('ok');
    expect(seen.after).toEqual([s2]);
    for (const o of [seen.planOfB, seen.missing]) {
      expect(o, describeOutcome(o)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('service_mandates_plan_of_student_fkey') });
    }
    // word for word the same answer, but for the id
    const text = (o: Outcome) => (o.kind === 'error' ? o.message.replace(/[0-9a-f-]{36}/g, '<id>') : '');
    expect(text(seen.planOfB)).toBe(text(seen.missing));
  });

  it("a mandate never lacks its student, even written with triggers off (a restore in replica mode): a null would leave the plan key unchecked", async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) =>
      asOwner(tx, async () => {
        // Replica mode skips the copying trigger and the foreign keys' triggers alike; the check holds.
        await tx.unsafe(`set local session_replication_role = replica`);
        return tryStatement(
          tx,
          `insert into public.service_mandates (organization_id, service_plan_id, discipline, minutes_per_session, sessions_per_period, period, delivery_setting, effective_during)
           values ($1, $2, 'slp', 30, 1, 'week', 'pull_out', daterange(current_date, current_date + 30))`,
          [a().organizationId, newId()],
        );
      }),
    );
    expect(outcome, describeOutcome(outcome)).toMatchObject({ kind: 'error', code: '23514', message: expect.stringContaining('service_mandates_student_id_check') });
  });
});

describe('a caller who does not count as a member gets the RLS refusal, never a trigger\'s answer (attacker review follow-up)', () => {
  /** A session of A booked for `therapist`, created by the caller: the member-reference trigger's ground. */
  const book = (tx: Tx, therapist: string) =>
    tryStatement(
      tx,
      `insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
       values ($1, $2, $3, $4, now() + interval '20 days', now() + interval '20 days 30 minutes', (select auth.uid()))`,
      [a().organizationId, therapist, world().extras.a.sessionTypeId, a().schoolIds[0]],
    );
  /** A mandate of A on `plan`: the plan trigger's ground. */
  const mandate = (tx: Tx, plan: string) =>
    tryStatement(
      tx,
      `insert into public.service_mandates (organization_id, service_plan_id, discipline, minutes_per_session, sessions_per_period, period, delivery_setting, effective_during)
       values ($1, $2, 'slp', 30, 1, 'week', 'pull_out', daterange(current_date, current_date + 30))`,
      [a().organizationId, plan],
    );
  /** A session type of A whose default billing code is `code`: the catalogue trigger's ground. */
  const sessionType = (tx: Tx, code: string) =>
    tryStatement(
      tx,
      `insert into public.session_types (organization_id, code, name, discipline, kind, default_duration_minutes, default_billing_code_id)
       values ($1, 'probe', 'Probe', 'slp', 'therapy', 30, $2)`,
      [a().organizationId, code],
    );
  const deactivate = (tx: Tx, user: string) => asOwnerDo(tx, [`update public.profiles set deactivated_at = now() where id = $1`, [user]]);
  const rlsRefusal = (o: Outcome) => expect(o, describeOutcome(o)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/row-level security/) });

  it('a deactivated account with an active membership gets the RLS refusal, not the trigger\'s answer: whom it may book, which plan exists, whose billing code', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      // the control: an active therapist of A is answered by the member rule (B's therapist is no therapist of A)
      const member = await book(tx, b().users.therapist);
      await deactivate(tx, a().users.therapist);
      const therapist = { outsider: await book(tx, b().users.therapist), colleague: await book(tx, a().users.supervisee) };
      await signInAs(tx, a().users.org_admin);
      const adminBefore = { plan: await mandate(tx, newId()), code: await sessionType(tx, world().extras.b.billingCodeId) };
      await deactivate(tx, a().users.org_admin);
      const admin = {
        missingPlan: await mandate(tx, newId()),
        plan: await mandate(tx, world().extras.a.planS2),
        codeOfB: await sessionType(tx, world().extras.b.billingCodeId),
        outsider: await book(tx, b().users.therapist),
      };
      return { member, therapist, adminBefore, admin };
    });
    expect(seen.member, describeOutcome(seen.member)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('therapy_sessions_therapist_id_member') });
    expect(seen.adminBefore.plan, describeOutcome(seen.adminBefore.plan)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('service_mandates_plan_of_student_fkey') });
    expect(seen.adminBefore.code, describeOutcome(seen.adminBefore.code)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('session_types_default_billing_code_id_scope') });
    // deactivated: whatever they name, row level security answers, the same way
    for (const o of [...Object.values(seen.therapist), ...Object.values(seen.admin)]) rlsRefusal(o);
  });

  it("a member of a soft-deleted organisation gets the RLS refusal, not the trigger's answer; its org admins, who keep it, are answered as members", async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(tx, [`update public.organizations set deleted_at = now() where id = $1`, [a().organizationId]]);
      const therapist = await book(tx, b().users.therapist);
      await signInAs(tx, a().users.org_admin);
      return { therapist, admin: await mandate(tx, newId()) };
    });
    rlsRefusal(seen.therapist);
    expect(seen.admin, describeOutcome(seen.admin)).toMatchObject({ kind: 'error', code: '23503', message: expect.stringContaining('service_mandates_plan_of_student_fkey') });
  });

  it('a deactivated platform admin is exempt from nothing in organization_members_protect_own: past the policies, their membership without consent is refused', async () => {
    const admin = world().users.platformAdmin;
    const addActive = (tx: Tx) =>
      // as the owner (no policy in the way) with the platform admin's JWT: the trigger is the last line
      asOwner(tx, async () => {
        await signInAs(tx, admin);
        return tryStatement(tx, `insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'therapist', 'active')`, [
          a().organizationId,
          b().users.therapist,
        ]);
      });
    const seen = await asUser(world().db.sql, { sub: admin }, async (tx) => {
      const active = await addActive(tx);
      await deactivate(tx, admin);
      return { active, deactivated: await addActive(tx) };
    });
    affected(seen.active, 1);
    expect(seen.deactivated, describeOutcome(seen.deactivated)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/organization_members_invitation/) });
  });
});

describe("a plan the writer cannot read answers as a missing one (attacker review follow-up)", () => {
  /** Every field of the error a mandate on `plan` gets, as postgres.js reports it, the plan's id replaced. */
  const mandateError = (tx: Tx, plan: string) =>
    tx
      .savepoint((sp) =>
        sp.unsafe(
          `insert into public.service_mandates (organization_id, service_plan_id, discipline, minutes_per_session, sessions_per_period, period, delivery_setting, effective_during)
           values ($1, $2, 'slp', 30, 1, 'week', 'pull_out', daterange(current_date, current_date + 30))`,
          [a().organizationId, plan],
        ),
      )
      .then(
        () => ({ written: true }),
        (error: Record<string, unknown>) =>
          Object.fromEntries(
            ['severity', 'code', 'message', 'detail', 'hint', 'schema_name', 'table_name', 'column_name', 'constraint_name', 'where'].map((k) => [
              k,
              typeof error[k] === 'string' ? (error[k] as string).split(plan).join('<plan>') : error[k],
            ]),
          ),
      );

  it("an active therapist learns nothing of a plan of their organisation they cannot read: its mandate and a non-existent plan's get byte-identical errors", async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      const invisible = world().extras.a.planS2; // s2 is the supervisee's student, not on this therapist's caseload
      const readable = await count(tx, 'select 1 from public.service_plans where id = $1', [invisible]);
      const exists = await asOwner(tx, () => count(tx, 'select 1 from public.service_plans where id = $1 and organization_id = $2', [invisible, a().organizationId]));
      return { readable, exists, invisible: await mandateError(tx, invisible), missing: await mandateError(tx, newId()) };
    });
    expect(seen.readable).toBe(0);
    expect(seen.exists).toBe(1);
    expect(seen.missing).toMatchObject({ code: '23503', constraint_name: 'service_mandates_plan_of_student_fkey', table_name: 'service_mandates', column_name: 'service_plan_id' });
    expect(seen.invisible).toEqual(seen.missing);
  });

  it('server code (no JWT) still gets every plan\'s student copied, and a therapist or admin who reads the plan writes its mandate', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      const write = (plan: string) =>
        tx.unsafe<{ student_id: string }[]>(
          `insert into public.service_mandates (organization_id, service_plan_id, discipline, minutes_per_session, sessions_per_period, period, delivery_setting, effective_during)
           values ($1, $2, 'slp', 30, 1, 'week', 'pull_out', daterange(current_date, current_date + 30)) returning student_id`,
          [a().organizationId, plan],
        );
      const [admin] = await write(world().extras.a.planS2);
      const [server] = await asOwner(tx, async () => {
        await tx`select set_config('request.jwt.claims', '', true)`;
        return write(world().extras.a.planS1);
      });
      await signInAs(tx, a().users.supervisee); // s2's therapist: s2's plan is theirs to read and to serve
      const [therapist] = await write(world().extras.a.planS2);
      return { admin: admin!.student_id, server: server!.student_id, therapist: therapist!.student_id };
    });
    expect(seen).toEqual({ admin: a().studentIds[1], server: a().studentIds[0], therapist: a().studentIds[1] });
  });
});

describe('suspected holes, confirmed and closed (secfix)', () => {
  it('a student whose own record is soft-deleted does not skip the messaging consent: no group messages without it', async () => {
    const me = a().users.student;
    const seen = await asUser(world().db.sql, { sub: me }, async (tx) => {
      await plant(
        tx,
        [`update public.students set deleted_at = now() where user_id = $1`, [me]],
      );
      const messages = () => count(tx, 'select 1 from public.messages where conversation_id = $1', [world().extras.a.groupConversationId]);
      const withConsent = await messages();
      await plant(tx, [`delete from public.consents where student_id in (select id from public.students where user_id = $1) and consent_type = 'messaging'`, [me]]);
      return { withConsent, withoutConsent: await messages() };
    });
    // the group conversation is about no student, so the soft deletion alone does not hide it; the consent does
    expect(seen).toEqual({ withConsent: 1, withoutConsent: 0 });
  });

  it("a deactivated therapist leaves the care team and their supervisor's supervision set", async () => {
    const sets = async (tx: Tx) => {
      await signInAs(tx, a().users.guardian);
      const [team] = await tx.unsafe<{ v: boolean }[]>('select $1 = any (app.care_team_ids()) as v', [a().users.therapist]);
      await signInAs(tx, a().users.supervisor);
      const [supervised] = await tx.unsafe<{ v: boolean }[]>('select $1 = any (app.supervised_therapist_ids()) as v', [a().users.supervisee]);
      return { careTeam: team!.v, supervised: supervised!.v };
    };
    const seen = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      const before = await sets(tx);
      await asOwnerDo(tx, [`update public.profiles set deactivated_at = now() where id in ($1, $2)`, [a().users.therapist, a().users.supervisee]]);
      return { before, after: await sets(tx) };
    });
    expect(seen).toEqual({ before: { careTeam: true, supervised: true }, after: { careTeam: false, supervised: false } });
  });
});

describe('SECURITY DEFINER helpers called directly', () => {
  it('the documented boundary: `app` is not an exposed schema, anon executes no helper, and every helper answers with ids or a yes/no only', async () => {
    expect(DEFAULT_EXPOSED_SCHEMAS).not.toContain('app');
    const helpers = await world().db.sql<{ name: string; returns: string; anon: boolean }[]>`
      select p.proname as name, pg_catalog.format_type(p.prorettype, null) as returns, has_function_privilege('anon', p.oid, 'execute') as anon
        from pg_catalog.pg_proc p
       where p.pronamespace = 'app'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')
       order by 1`;
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.filter((h) => h.anon || !['uuid[]', 'text[]', 'boolean'].includes(h.returns))).toEqual([]);
  });

  it('a guardian cannot list the user ids of every member of the organisation through app.member_user_ids()', async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.guardian }, (tx) =>
      attempt(tx, async (sp) => {
        const [row] = await sp.unsafe<{ ids: string[] }[]>('select app.member_user_ids() as ids');
        return row?.ids.length ?? 0;
      }),
    );
    // a guardian's business is their child's team (app.care_team_ids()), not the staff and families list
    expect(isRefusal(outcome) || (outcome.kind === 'ok' && outcome.rows <= 1), describeOutcome(outcome)).toBe(true);
  });
});
