import { describe, expect, it } from 'vitest';
import { accessIssues, allAccess, allow, and, anyOf, app, auth, eq, exists, tableAccess } from '../../src/policies';
import { allTables, guardians, studentGuardians } from '../../src/schema';
import { asAnon, asServiceRole, asUser } from '../../src/testing';
import { asOwner, attempt, describeOutcome, qualified } from './support/probe';
import { affected, count, refused, signInAs, tryStatement } from './support/statements';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * The hard cases of the design (domain.md, "Who may do what"), each shown on the fixture: what a
 * naive policy gets wrong, and that these policies get it right.
 */

const world = usePolicyWorld();

const a = () => world().fx.a;
const b = () => world().fx.b;

describe('a therapist loses access when the caseload assignment ends, but keeps reading the notes they authored', () => {
  const endAssignment = (tx: Tx, endsOn: string) =>
    asOwner(tx, () => tx`update public.caseload_assignments set ends_on = ${endsOn}::date where student_id = ${a().studentIds[0]} and therapist_id = ${a().users.therapist}`);
  const s1Records = async (tx: Tx) => ({
    student: await count(tx, 'select 1 from public.students where id = $1', [a().studentIds[0]]),
    plans: await count(tx, 'select 1 from public.service_plans where student_id = $1', [a().studentIds[0]]),
    goals: await count(tx, 'select 1 from public.goals where student_id = $1', [a().studentIds[0]]),
    consents: await count(tx, 'select 1 from public.consents where student_id = $1', [a().studentIds[0]]),
    documents: await count(tx, 'select 1 from public.documents where student_id = $1', [a().studentIds[0]]),
    guardians: await count(tx, 'select 1 from public.guardians where id = $1', [a().guardianId]),
    authoredNote: await count(tx, 'select 1 from public.session_notes where id = $1', [a().noteIds.signedS1]),
  });

  it('sees s1 while assigned', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.therapist }, s1Records);
    expect(seen).toEqual({ student: 1, plans: 1, goals: 1, consents: 3, documents: 1, guardians: 1, authoredNote: 1 });
  });

  it('sees none of s1 once the assignment ended yesterday, except the note they wrote', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await endAssignment(tx, 'yesterday');
      return s1Records(tx);
    });
    expect(seen).toEqual({ student: 0, plans: 0, goals: 0, consents: 0, documents: 0, guardians: 0, authoredNote: 1 });
  });

  it('can no longer write s1 records once the assignment ended', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await endAssignment(tx, 'yesterday');
      return {
        goal: await tryStatement(
          tx,
          `insert into public.goals (organization_id, student_id, discipline, domain, goal_text, measurement_type, created_by)
           values ($1, $2, 'slp', 'fluency', 'Easy onsets.', 'frequency', $3)`,
          [a().organizationId, a().studentIds[0], a().users.therapist],
        ),
        consent: await tryStatement(
          tx,
          `insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
           values ($1, $2, 'telehealth', now(), 'e_signature', $3)`,
          [a().organizationId, a().studentIds[0], a().users.therapist],
        ),
      };
    });
    refused(outcomes.goal);
    refused(outcomes.consent);
  });

  it('has no access before the assignment starts either', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwner(tx, () => tx`update public.caseload_assignments set starts_on = current_date + 7, ends_on = null where student_id = ${a().studentIds[0]} and therapist_id = ${a().users.therapist}`);
      return s1Records(tx);
    });
    expect(seen).toMatchObject({ student: 0, goals: 0, authoredNote: 1 });
  });
});

describe('an org admin cannot change their own membership', () => {
  const admin = () => a().users.org_admin;

  it('cannot update, delete or add to their own membership through the API (0 rows / refused)', async () => {
    const outcomes = await asUser(world().db.sql, { sub: admin() }, async (tx) => ({
      update: await tryStatement(tx, `update public.organization_members set role = 'billing' where user_id = $1`, [admin()]),
      suspend: await tryStatement(tx, `update public.organization_members set status = 'suspended' where user_id = $1`, [admin()]),
      delete: await tryStatement(tx, 'delete from public.organization_members where user_id = $1', [admin()]),
      insert: await tryStatement(tx, `insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [a().organizationId, admin()]),
      // the same admin manages everyone else's membership
      others: await tryStatement(tx, `update public.organization_members set status = 'suspended' where user_id = $1`, [a().users.billing]),
      sees: await count(tx, 'select 1 from public.organization_members where user_id = $1', [admin()]),
    }));
    refused(outcomes.update); // role is granted to nobody
    refused(outcomes.suspend); // their own row is theirs to leave, never to suspend (organization_members_protect_own)
    affected(outcomes.delete, 0);
    refused(outcomes.insert);
    affected(outcomes.others, 1);
    expect(outcomes.sees).toBe(1);
  });

  it('cannot move a membership of theirs between users either (user_id is not updatable)', async () => {
    const outcome = await asUser(world().db.sql, { sub: admin() }, (tx) =>
      tryStatement(tx, 'update public.organization_members set user_id = $1 where user_id = $2', [admin(), a().users.billing]),
    );
    refused(outcome);
  });

  it('is also refused by the trigger when no policy stands in the way (defence in depth)', async () => {
    const outcome = await asUser(world().db.sql, { sub: admin() }, async (tx) => {
      // the owner bypasses RLS; the JWT still says who is asking
      await tx`select set_config('role', 'none', true)`;
      return tryStatement(tx, `update public.organization_members set status = 'suspended' where user_id = $1`, [admin()]);
    });
    expect(outcome).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/own membership/) });
  });
});

describe('a user cannot set is_platform_admin', () => {
  it('is not an updatable column of profiles (permission denied), for themselves or anyone', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      self: await tryStatement(tx, 'update public.profiles set is_platform_admin = true where id = $1', [a().users.org_admin]),
      withSafeColumns: await tryStatement(tx, `update public.profiles set display_name = 'Avery', is_platform_admin = true where id = $1`, [a().users.org_admin]),
      other: await tryStatement(tx, 'update public.profiles set is_platform_admin = true where id = $1', [a().users.therapist]),
      insert: await tryStatement(tx, `insert into public.profiles (id, display_name, is_platform_admin) values ($1, 'New', true)`, [world().users.self]),
      safe: await tryStatement(tx, `update public.profiles set display_name = 'Avery A.' where id = $1`, [a().users.org_admin]),
    }));
    refused(outcomes.self);
    refused(outcomes.withSafeColumns);
    refused(outcomes.other);
    refused(outcomes.insert);
    affected(outcomes.safe, 1);
  });

  it('is refused by the trigger even if a grant widened by mistake (defence in depth)', async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwner(tx, () => tx`grant update (is_platform_admin) on public.profiles to authenticated`);
      return tryStatement(tx, 'update public.profiles set is_platform_admin = true where id = $1', [a().users.therapist]);
    });
    expect(outcome).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/is_platform_admin/) });
  });

  it('a platform admin gets no clinical access from the flag', async () => {
    const seen = await asUser(world().db.sql, { sub: world().users.platformAdmin }, async (tx) => ({
      students: await count(tx, 'select 1 from public.students'),
      notes: await count(tx, 'select 1 from public.session_notes'),
      organizations: await count(tx, 'select 1 from public.organizations'),
    }));
    expect(seen).toEqual({ students: 0, notes: 0, organizations: 0 });
  });
});

describe("a guessed id from another organisation fails the composite foreign key", () => {
  it("an org admin of A cannot point A's rows at B's student, guardian or session", async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      caseload: await tryStatement(
        tx,
        `insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role) values ($1, $2, $3, 'ot', 'consult')`,
        [a().organizationId, b().studentIds[0], a().users.therapist],
      ),
      guardianship: await tryStatement(
        tx,
        `insert into public.student_guardians (organization_id, student_id, guardian_id, relationship) values ($1, $2, $3, 'parent')`,
        [a().organizationId, a().studentIds[1], b().guardianId],
      ),
      document: await tryStatement(
        tx,
        `insert into public.documents (organization_id, session_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, uploaded_by)
         values ($1, $2, 'student-records', $4, 'session_attachment', 'probe.pdf', 'application/pdf', 100, $3)`,
        [a().organizationId, b().sessionIds.upcomingS1, a().users.org_admin, `${a().organizationId}/sessions/probe.pdf`],
      ),
      // and writing the row into organisation B instead is refused by the tenant policy
      intoB: await tryStatement(
        tx,
        `insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role) values ($1, $2, $3, 'ot', 'consult')`,
        [b().organizationId, b().studentIds[0], a().users.therapist],
      ),
    }));
    for (const outcome of [outcomes.caseload, outcomes.guardianship, outcomes.document]) {
      expect(outcome, describeOutcome(outcome)).toMatchObject({ kind: 'error', code: '23503' });
    }
    refused(outcomes.intoB);
  });

  it('even the server (service role, no RLS) cannot', async () => {
    const outcome = await asServiceRole(world().db.sql, (tx) =>
      tryStatement(
        tx,
        `insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role) values ($1, $2, $3, 'ot', 'consult')`,
        [a().organizationId, b().studentIds[0], a().users.therapist],
      ),
    );
    expect(outcome).toMatchObject({ kind: 'error', code: '23503' });
  });
});

describe('soft delete: an RLS select filter on deleted_at defeats update … set deleted_at under PostgREST semantics', () => {
  const session = () => a().sessionIds.upcomingS1;
  const softDelete = 'update public.therapy_sessions set deleted_at = now() where id = $1 returning id';

  it('a therapist cannot soft-delete their own session: the updated row would fail the select policy', async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.therapist }, (tx) => tryStatement(tx, softDelete, [session()]));
    expect(outcome).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/row-level security/) });
  });

  it('an org admin (whose select policy shows deleted rows) can, and the row disappears for everyone else', async () => {
    const result = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      const deleted = await tryStatement(tx, 'update public.therapy_sessions set deleted_at = now() where id = $1', [session()]);
      await tx.unsafe('update public.therapy_sessions set deleted_at = now() where id = $1', [session()]);
      const admin = await count(tx, 'select 1 from public.therapy_sessions where id = $1', [session()]);
      await signInAs(tx, a().users.therapist);
      const therapist = await count(tx, 'select 1 from public.therapy_sessions where id = $1', [session()]);
      await signInAs(tx, a().users.guardian);
      const guardian = await count(tx, 'select 1 from public.therapy_sessions where id = $1', [session()]);
      return { deleted, admin, therapist, guardian };
    });
    affected(result.deleted, 1);
    expect({ admin: result.admin, therapist: result.therapist, guardian: result.guardian }).toEqual({ admin: 1, therapist: 0, guardian: 0 });
  });

  it('hard delete is not granted on soft-deleted tables, not even to org admins', async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, (tx) => tryStatement(tx, 'delete from public.students where id = $1', [a().studentIds[2]]));
    expect(outcome).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/permission denied/) });
  });

  describe('messages: the sender soft-deletes by update, no SECURITY DEFINER function', () => {
    const guardianMessage = async (tx: Tx) => {
      const [row] = await asOwner(tx, () => tx<{ id: string }[]>`select id from public.messages where sender_id = ${a().users.guardian} and organization_id = ${a().organizationId}`);
      return row!.id;
    };

    it('update … set deleted_at (read back, as PostgREST does) works for the sender; the message disappears for every other participant', async () => {
      const result = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
        const id = await guardianMessage(tx);
        const direct = (await tx.unsafe('update public.messages set deleted_at = now() where id = $1 returning id', [id])).length;
        const sender = await count(tx, 'select 1 from public.messages where id = $1 and deleted_at is not null', [id]);
        const again = await tryStatement(tx, 'update public.messages set deleted_at = null where id = $1', [id]);
        await signInAs(tx, a().users.therapist);
        const other = await count(tx, 'select 1 from public.messages where id = $1', [id]);
        const [stored] = await asOwner(tx, () => tx<{ deleted: boolean }[]>`select deleted_at is not null as deleted from public.messages where id = ${id}`);
        return { direct, sender, again, other, deleted: stored?.deleted };
      });
      expect(result.direct).toBe(1);
      // a deleted message stays deleted: the update rule matches live messages only
      expect(result.again).toEqual({ kind: 'ok', rows: 0 });
      expect({ sender: result.sender, other: result.other, deleted: result.deleted }).toEqual({ sender: 1, other: 0, deleted: true });
    });

    it("a participant cannot soft-delete someone else's message, and anon cannot at all", async () => {
      const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
        const id = await guardianMessage(tx);
        return { other: await tryStatement(tx, 'update public.messages set deleted_at = now() where id = $1', [id]), id };
      });
      expect(outcomes.other).toEqual({ kind: 'ok', rows: 0 });
      const anon = await asAnon(world().db.sql, (tx) => tryStatement(tx, 'update public.messages set deleted_at = now() where id = $1', [outcomes.id]));
      expect(anon).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/permission denied/) });
    });

    it('public.soft_delete_message is gone: no SECURITY DEFINER function in public is executable by signed-in users', async () => {
      const rows = await world().db.sql<{ fn: string }[]>`
        select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and p.prosecdef and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))`;
      expect(rows).toEqual([]);
    });
  });
});

describe('policies do not recurse', () => {
  it('every persona reads every table, and joins across them, without "infinite recursion detected in policy"', async () => {
    const errors: string[] = [];
    const users = [...Object.entries(a().users), ['member', world().extras.a.member] as const];
    for (const [persona, uid] of users) {
      await asUser(world().db.sql, { sub: uid }, async (tx) => {
        for (const access of allAccess) {
          const table = access.table.schema === 'public' ? access.table.name : `${access.table.schema}.${access.table.name}`;
          const o = await attempt(tx, (sp) => count(sp, `select 1 from ${qualified(table)}`));
          if (o.kind === 'error' && o.code !== '42501') errors.push(`${persona} × ${table}: ${describeOutcome(o)}`);
        }
        const joined = await attempt(tx, (sp) =>
          count(
            sp,
            `select 1 from public.therapy_sessions s
               join public.session_participants p on p.session_id = s.id
               join public.students st on st.id = p.student_id
               left join public.student_guardians sg on sg.student_id = st.id
               left join public.guardians g on g.id = sg.guardian_id
               left join public.session_notes n on n.session_id = s.id and n.student_id = st.id`,
          ),
        );
        if (joined.kind !== 'ok') errors.push(`${persona} × join: ${describeOutcome(joined)}`);
      });
    }
    expect(errors).toEqual([]);
  });

  it('the declarations refuse a policy that reads a table whose policy reads it back, and Postgres would fail it', async () => {
    // the tempting way to give guardians their own guardianships: student_guardians → guardians → student_guardians
    const cyclic = tableAccess(studentGuardians, {
      tenant: { column: studentGuardians.organizationId },
      rules: [
        allow('select', {
          who: 'guardian',
          using: ({ t }) => exists(guardians, 'g', (g) => and(eq(g.id, t.guardianId), eq(g.userId, auth.uid()), anyOf(g.organizationId, app.orgIds('guardian')))),
        }),
      ],
    });
    const issues = accessIssues([...allAccess.filter((x) => x.table.name !== 'student_guardians'), cyclic], allTables);
    expect(issues.map((i) => i.code)).toEqual(['policy_recursion']);
    expect(issues[0]?.message).toMatch(/guardians → student_guardians|student_guardians → guardians/);

    const outcome = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      await asOwner(tx, () =>
        tx.unsafe(`create policy probe_recursive on public.student_guardians for select to authenticated
                   using (exists (select 1 from public.guardians g where g.id = student_guardians.guardian_id and g.user_id = (select auth.uid())))`),
      );
      return attempt(tx, (sp) => count(sp, 'select 1 from public.guardians'));
    });
    expect(outcome).toMatchObject({ kind: 'error', code: '42P17', message: expect.stringMatching(/infinite recursion/) });
  });
});

describe("students chat only with an active messaging consent", () => {
  const sendAsStudent = (tx: Tx) =>
    tryStatement(tx, `insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body) values ($1, $2, $3, gen_random_uuid(), 'Hi!')`, [
      a().organizationId,
      a().conversationId,
      a().users.student,
    ]);

  it('reads and sends with the consent', async () => {
    const result = await asUser(world().db.sql, { sub: a().users.student }, async (tx) => ({
      messages: await count(tx, 'select 1 from public.messages'),
      send: await sendAsStudent(tx),
    }));
    expect(result.messages).toBeGreaterThan(0);
    affected(result.send, 1);
  });

  it('once the guardian revokes it, sees no message and cannot send, but still sees the conversation', async () => {
    const result = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      const revoke = await tryStatement(tx, `update public.consents set revoked_at = now(), revoked_reason = 'Too much screen time.' where id = $1`, [
        world().extras.a.messagingConsentS1,
      ]);
      await tx.unsafe(`update public.consents set revoked_at = now(), revoked_reason = 'Too much screen time.' where id = $1`, [world().extras.a.messagingConsentS1]);
      await signInAs(tx, a().users.student);
      return {
        revoke,
        messages: await count(tx, 'select 1 from public.messages'),
        send: await sendAsStudent(tx),
        conversations: await count(tx, 'select 1 from public.conversations where id = $1', [a().conversationId]),
      };
    });
    affected(result.revoke, 1);
    expect(result.messages).toBe(0);
    refused(result.send);
    expect(result.conversations).toBe(1);
  });
});

describe('session notes: drafts for authors, pending co-signature for supervisors, void and visibility for org admins', () => {
  const signed = () => a().noteIds.signedS1;
  const draft = () => a().noteIds.draftS2;

  it('nobody edits a signed note through a policy: the author matches no row', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => ({
      edit: await tryStatement(tx, `update public.session_notes set subjective = 'Rewritten.' where id = $1`, [signed()]),
      unsign: await tryStatement(tx, `update public.session_notes set status = 'draft' where id = $1`, [signed()]),
      delete: await tryStatement(tx, 'delete from public.session_notes where id = $1', [signed()]),
      signedBy: await tryStatement(tx, 'update public.session_notes set signed_at = now() where id = $1', [signed()]),
    }));
    affected(outcomes.edit, 0);
    affected(outcomes.unsign, 0);
    affected(outcomes.delete, 0);
    refused(outcomes.signedBy);
  });

  it('an org admin voids a signed note or hides it from guardians, and cannot rewrite it (the trigger refuses what the column grant allows)', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      hide: await tryStatement(tx, 'update public.session_notes set visible_to_guardian = false where id = $1', [signed()]),
      void: await tryStatement(tx, `update public.session_notes set status = 'void', void_reason = 'Wrong student.' where id = $1`, [signed()]),
      rewrite: await tryStatement(tx, `update public.session_notes set subjective = 'Rewritten.' where id = $1`, [signed()]),
      draft: await tryStatement(tx, `update public.session_notes set subjective = 'Edited.' where id = $1`, [draft()]),
    }));
    affected(outcomes.hide, 1);
    affected(outcomes.void, 1);
    expect(outcomes.rewrite).toMatchObject({ kind: 'error', code: '23514', message: expect.stringMatching(/amendment/) });
    affected(outcomes.draft, 0);
  });

  it('the guardian sees the signed note only while it is shared', async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await signInAs(tx, a().users.guardian);
      const shared = await count(tx, 'select 1 from public.session_notes');
      await signInAs(tx, a().users.org_admin);
      await tx.unsafe('update public.session_notes set visible_to_guardian = false where id = $1', [signed()]);
      await signInAs(tx, a().users.guardian);
      return { shared, hidden: await count(tx, 'select 1 from public.session_notes') };
    });
    expect(seen).toEqual({ shared: 1, hidden: 0 });
  });

  it('the SLPA sends a draft for co-signature; their supervisor co-signs it, in person only; other therapists cannot', async () => {
    const result = await asUser(world().db.sql, { sub: a().users.supervisee }, async (tx) => {
      const send = await tryStatement(tx, `update public.session_notes set status = 'pending_cosign' where id = $1`, [draft()]);
      await tx.unsafe(`update public.session_notes set status = 'pending_cosign' where id = $1`, [draft()]);
      await signInAs(tx, a().users.therapist);
      const stranger = await tryStatement(tx, `update public.session_notes set status = 'signed', cosigned_by = $2 where id = $1`, [draft(), a().users.therapist]);
      await signInAs(tx, a().users.supervisor);
      const inAnotherName = await tryStatement(tx, `update public.session_notes set status = 'signed', cosigned_by = $2 where id = $1`, [draft(), a().users.therapist]);
      // the co-signer's policy matches the pending note; its content is still frozen (trigger)
      const editPending = await tryStatement(tx, `update public.session_notes set subjective = 'Supervisor edit.' where id = $1`, [draft()]);
      const cosign = await tryStatement(tx, `update public.session_notes set status = 'signed', cosigned_by = $2 where id = $1 returning id`, [draft(), a().users.supervisor]);
      await tx.unsafe(`update public.session_notes set status = 'signed', cosigned_by = $2 where id = $1`, [draft(), a().users.supervisor]);
      const editSigned = await tryStatement(tx, `update public.session_notes set subjective = 'Supervisor edit.' where id = $1`, [draft()]);
      const [stored] = await tx<{ status: string; cosigned: boolean }[]>`select status, cosigned_at is not null as cosigned from public.session_notes where id = ${draft()}`;
      return { send, stranger, inAnotherName, editPending, cosign, editSigned, stored };
    });
    affected(result.send, 1);
    affected(result.stranger, 0);
    // the notes trigger (before the policy's with check) refuses co-signing in another's name
    expect(result.inAnotherName, describeOutcome(result.inAnotherName)).toMatchObject({ kind: 'error', code: expect.stringMatching(/^(42501|23514)$/) });
    expect(result.editPending).toMatchObject({ kind: 'error', code: '23514' });
    affected(result.cosign, 1);
    affected(result.editSigned, 0);
    expect(result.stored).toEqual({ status: 'signed', cosigned: true });
  });
});

describe('consents are append-only: revocation is the only update', () => {
  const consent = () => world().extras.a.messagingConsentS1;

  it('an org admin revokes, but cannot change what was consented to', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      type: await tryStatement(tx, `update public.consents set consent_type = 'media' where id = $1`, [consent()]),
      delete: await tryStatement(tx, 'delete from public.consents where id = $1', [consent()]),
      revoke: await tryStatement(tx, `update public.consents set revoked_at = now(), revoked_reason = 'Requested by family.' where id = $1`, [consent()]),
    }));
    refused(outcomes.type);
    refused(outcomes.delete);
    affected(outcomes.revoke, 1);
  });

  it('a guardian revokes their child\'s consent but cannot record one; a therapist cannot revoke', async () => {
    const guardian = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => ({
      insert: await tryStatement(
        tx,
        `insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by) values ($1, $2, 'media', now(), 'e_signature', $3)`,
        [a().organizationId, a().studentIds[0], a().users.guardian],
      ),
      revoke: await tryStatement(tx, `update public.consents set revoked_at = now(), revoked_reason = 'No longer needed.' where id = $1`, [consent()]),
    }));
    refused(guardian.insert);
    affected(guardian.revoke, 1);
    const therapist = await asUser(world().db.sql, { sub: a().users.therapist }, (tx) =>
      tryStatement(tx, `update public.consents set revoked_at = now(), revoked_reason = 'x' where id = $1`, [consent()]),
    );
    affected(therapist, 0);
  });

  it('a student of 14 neither reads nor revokes their consents; at 18 they do both, and still cannot record one', async () => {
    const revoke = `update public.consents set revoked_at = now(), revoked_reason = 'I no longer agree.' where id = $1`;
    const minor = await asUser(world().db.sql, { sub: a().users.student }, async (tx) => ({
      read: await count(tx, 'select 1 from public.consents'),
      revoke: await tryStatement(tx, revoke, [consent()]),
    }));
    expect(minor.read).toBe(0);
    affected(minor.revoke, 0);
    const adult = await asUser(world().db.sql, { sub: a().users.student }, async (tx) => {
      await asOwner(tx, () => tx`update public.students set date_of_birth = current_date - interval '18 years' where id = ${a().studentIds[0]}`);
      return {
        read: await count(tx, 'select 1 from public.consents'),
        others: await count(tx, 'select 1 from public.consents where student_id <> $1', [a().studentIds[0]]),
        retype: await tryStatement(tx, `update public.consents set consent_type = 'media' where id = $1`, [consent()]),
        revoke: await tryStatement(tx, revoke, [consent()]),
        insert: await tryStatement(
          tx,
          `insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by) values ($1, $2, 'media', now(), 'e_signature', $3)`,
          [a().organizationId, a().studentIds[0], a().users.student],
        ),
      };
    });
    expect(adult.read).toBeGreaterThan(0);
    expect(adult.others).toBe(0);
    refused(adult.retype);
    affected(adult.revoke, 1);
    refused(adult.insert);
  });
});

describe("a supervisor reads their supervisees' caseload but writes only their own", () => {
  it("sees the SLPA's student and notes, cannot write their goals, can write their own student's", async () => {
    const result = await asUser(world().db.sql, { sub: a().users.supervisor }, async (tx) => {
      const goal = (student: string) =>
        tryStatement(
          tx,
          `insert into public.goals (organization_id, student_id, discipline, domain, goal_text, measurement_type, created_by)
           values ($1, $2, 'slp', 'fluency', 'Easy onsets.', 'frequency', $3)`,
          [a().organizationId, student, a().users.supervisor],
        );
      return {
        student: await count(tx, 'select 1 from public.students where id = $1', [a().studentIds[1]]),
        draft: await count(tx, 'select 1 from public.session_notes where id = $1', [a().noteIds.draftS2]),
        superviseesGoal: await goal(a().studentIds[1]),
        ownGoal: await goal(a().studentIds[2]),
      };
    });
    expect({ student: result.student, draft: result.draft }).toEqual({ student: 1, draft: 1 });
    refused(result.superviseesGoal);
    affected(result.ownGoal, 1);
  });
});

describe('the server and anonymous requests', () => {
  it('service_role bypasses RLS: it reads every row of both organisations and writes the outbox', async () => {
    const expected: Record<string, number> = {};
    const seen: Record<string, number> = {};
    for (const access of allAccess) {
      const table = qualified(access.table.schema === 'public' ? access.table.name : `${access.table.schema}.${access.table.name}`);
      expected[table] = await count(world().db.sql as unknown as Tx, `select 1 from ${table}`);
    }
    const write = await asServiceRole(world().db.sql, async (tx) => {
      for (const table of Object.keys(expected)) seen[table] = await count(tx, `select 1 from ${table}`);
      return tryStatement(
        tx,
        `insert into public.outbox_events (organization_id, event_type, aggregate_type, aggregate_id, payload) values ($1, 'session.created', 'therapy_session', $2, '{}')`,
        [a().organizationId, a().sessionIds.upcomingS1],
      );
    });
    expect(seen).toEqual(expected);
    affected(write, 1);
  });

  it('anon can neither read a table nor call the RLS helpers', async () => {
    const outcomes = await asAnon(world().db.sql, async (tx) => ({
      helper: await tryStatement(tx, 'select app.org_ids()'),
      students: await tryStatement(tx, 'select * from public.students'),
    }));
    refused(outcomes.helper);
    refused(outcomes.students);
  });
});
