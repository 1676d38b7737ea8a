import { describe, expect, it } from 'vitest';
import { asServiceRole, asUser, rolledBack } from '../../src/testing';
import { asOwner } from './support/probe';
import { affected, asOwnerDo, count, refusedOrNotMember, tryStatement } from './support/statements';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * Issue 12, item 6 (role confusion) and the caseload decision: an arm keyed on "I am the author /
 * the therapist / the uploader / the rendering provider" requires an active therapist membership in
 * the row's organisation, and writing a student's records requires the student on the writer's own
 * current caseload. (That the DSL refuses an arm without a role: test/policy-dsl.test.ts; that no
 * arm of the migrated database lacks one: the arms-have-roles check.)
 */

const world = usePolicyWorld();

const a = () => world().fx.a;

/** What the SLPA (author of s2's draft note, therapist of s2's sessions, uploader of s2's evaluation, rendering provider of a charge) reaches as author. */
async function authoredRecords(tx: Tx) {
  const slpa = a().users.supervisee;
  return {
    notes: await count(tx, 'select 1 from public.session_notes where author_id = $1', [slpa]),
    sessions: await count(tx, 'select 1 from public.therapy_sessions where therapist_id = $1', [slpa]),
    documents: await count(tx, 'select 1 from public.documents where uploaded_by = $1', [slpa]),
    reports: await count(tx, 'select 1 from public.progress_reports where author_id = $1', [slpa]),
    charges: await count(tx, 'select 1 from public.service_charges where rendering_provider_id = $1', [slpa]),
    supervisions: await count(tx, 'select 1 from public.supervision_assignments where supervisee_id = $1', [slpa]),
  };
}

describe('item 6: role confusion — every arm requires the role it serves', () => {
  it('a therapist suspended as therapist but active as guardian reads none of the notes, sessions, files, reports or charges they authored', async () => {
    const slpa = a().users.supervisee;
    const seen = await asUser(world().db.sql, { sub: slpa }, async (tx) => {
      const before = await authoredRecords(tx);
      await asOwnerDo(
        tx,
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'guardian')`, [a().organizationId, slpa]],
        [`update public.organization_members set status = 'suspended' where user_id = $1 and role = 'therapist'`, [slpa]],
      );
      return { before, after: await authoredRecords(tx) };
    });
    expect(Object.values(seen.before).every((n) => n > 0), JSON.stringify(seen.before)).toBe(true);
    expect(seen.after).toEqual({ notes: 0, sessions: 0, documents: 0, reports: 0, charges: 0, supervisions: 0 });
  });

  it('…and cannot edit, sign or delete their draft note, nor write their session or leave', async () => {
    const slpa = a().users.supervisee;
    const draft = a().noteIds.draftS2;
    const outcomes = await asUser(world().db.sql, { sub: slpa }, async (tx) => {
      await asOwnerDo(
        tx,
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'guardian')`, [a().organizationId, slpa]],
        [`update public.organization_members set status = 'suspended' where user_id = $1 and role = 'therapist'`, [slpa]],
      );
      return {
        edit: await tryStatement(tx, `update public.session_notes set subjective = 'Rewritten.' where id = $1`, [draft]),
        sign: await tryStatement(tx, `update public.session_notes set status = 'pending_cosign' where id = $1`, [draft]),
        delete: await tryStatement(tx, 'delete from public.session_notes where id = $1', [draft]),
        session: await tryStatement(tx, `update public.therapy_sessions set location = 'Room 9' where therapist_id = $1`, [slpa]),
        leave: await tryStatement(
          tx,
          `insert into public.calendar_blackouts (organization_id, therapist_id, kind, during) values ($1, $2, 'therapist_leave', tstzrange(now() + interval '40 days', now() + interval '41 days'))`,
          [a().organizationId, slpa],
        ),
      };
    });
    affected(outcomes.edit, 0);
    affected(outcomes.sign, 0);
    affected(outcomes.delete, 0);
    affected(outcomes.session, 0);
    refusedOrNotMember(outcomes.leave);
  });

  it('a guardian who is no therapist reads no charge naming them as rendering provider, and no document naming them as uploader', async () => {
    // rows written by the server (or before a write-time rule) that name the guardian
    const guardian = a().users.guardian;
    const seen = await asUser(world().db.sql, { sub: guardian }, async (tx) => {
      await asOwnerDo(tx, [`update public.documents set uploaded_by = $1, visibility = 'staff' where id = $2`, [guardian, world().extras.a.documentIep]]);
      return count(tx, 'select 1 from public.documents where id = $1', [world().extras.a.documentIep]);
    });
    expect(seen).toBe(0);
  });
});

describe("a therapist whose caseload assignment ended loses write access to that student's records", () => {
  const therapist = () => a().users.therapist;
  const s1 = () => a().studentIds[0];

  it('cannot edit, sign or delete their own draft note about the student, nor update the progress report they authored', async () => {
    const outcomes = await asUser(world().db.sql, { sub: therapist() }, async (tx) => {
      const draft = 'c0ffee00-0000-4000-8000-000000000001';
      await asOwnerDo(
        tx,
        [
          `insert into public.session_notes (id, organization_id, session_id, student_id, author_id, subjective) values ($1, $2, $3, $4, $5, 'Draft.')`,
          [draft, a().organizationId, a().sessionIds.upcomingS1, s1(), therapist()],
        ],
      );
      const writes = async () => ({
        edit: await tryStatement(tx, `update public.session_notes set subjective = 'Edited.' where id = $1`, [draft]),
        delete: await tryStatement(tx, 'delete from public.session_notes where id = $1', [draft]),
        report: await tryStatement(tx, `update public.progress_reports set summary = 'Rewritten.' where author_id = $1 and student_id = $2`, [therapist(), s1()]),
        goal: await tryStatement(tx, `update public.goals set goal_text = 'Rewritten.' where student_id = $1`, [s1()]),
      });
      const assigned = await writes();
      await asOwnerDo(tx, [`update public.caseload_assignments set ends_on = current_date - 1 where student_id = $1 and therapist_id = $2`, [s1(), therapist()]]);
      return { assigned, ended: await writes(), stillReadsAuthored: await count(tx, 'select 1 from public.session_notes where author_id = $1', [therapist()]) };
    });
    affected(outcomes.assigned.edit, 1);
    affected(outcomes.assigned.report, 1);
    affected(outcomes.ended.edit, 0);
    affected(outcomes.ended.delete, 0);
    affected(outcomes.ended.report, 0);
    affected(outcomes.ended.goal, 0);
    expect(outcomes.stillReadsAuthored).toBe(2); // the design: they keep reading what they wrote
  });
});

describe('the audit log records the real database role and the member’s roles, not a claim', () => {
  const goal = () => world().extras.a.goalS1;
  const audited = (tx: Tx) =>
    asOwner(tx, () =>
      tx<{ actor_id: string | null; actor_role: string; actor_member_roles: string[] | null }[]>`
        select actor_id, actor_role, actor_member_roles from audit.audit_log where record_id = ${goal()} and occurred_at = now() order by id desc limit 1`,
    );
  const edit = (tx: Tx) => tx.unsafe(`update public.goals set goal_text = $2 where id = $1`, [goal(), `Edited at ${Date.now()}.`]);

  it("a therapist whose JWT claims the service role is recorded as authenticated, with the roles organization_members gives them", async () => {
    const [row] = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'guardian')`, [a().organizationId, a().users.therapist]]);
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: a().users.therapist, role: 'service_role', app_role: 'org_admin' })}, true)`;
      await edit(tx);
      return audited(tx);
    });
    expect(row).toEqual({ actor_id: a().users.therapist, actor_role: 'authenticated', actor_member_roles: ['guardian', 'therapist'] });
  });

  it('the server is recorded as service_role with no member roles, the owner as its login role', async () => {
    const server = await asServiceRole(world().db.sql, async (tx) => {
      await edit(tx);
      return audited(tx);
    });
    expect(server[0]).toEqual({ actor_id: null, actor_role: 'service_role', actor_member_roles: null });
    const owner = await rolledBack(world().db.sql, async (tx) => {
      await edit(tx);
      const [login] = await tx<{ user: string }[]>`select session_user as user`;
      return { row: (await audited(tx))[0], login: login!.user };
    });
    expect(owner.row).toEqual({ actor_id: null, actor_role: owner.login, actor_member_roles: null });
  });
});
