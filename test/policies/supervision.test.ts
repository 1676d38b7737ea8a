import { describe, expect, it } from 'vitest';
import { thisYear } from '../../src/rows';
import { asUser } from '../../src/testing';
import { asOwner, describeOutcome } from './support/probe';
import { affected, asOwnerDo, count, plant, tryStatement } from './support/statements';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * Issue 12, item 1: supervision crosses tenants. A supervision assignment belongs to its
 * organisation: it gives the supervisor their supervisee's work of that organisation only, and only
 * while both are active therapists there. The write-time triggers that refuse such an assignment are
 * the integrity half's; these tests plant the row as privileged code could (triggers off) and prove
 * the read side right regardless.
 */

const world = usePolicyWorld();

const a = () => world().fx.a;
const b = () => world().fx.b;

/** A supervision row, planted as privileged code would write it. */
const supervision = (tx: Tx, org: string, supervisor: string, supervisee: string) =>
  plant(tx, [
    `insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
     values ($1, $2, $3, 'slpa', ${thisYear().sql})`,
    [org, supervisor, supervisee],
  ]);

/**
 * `supervisor` co-signs `note`: through the policies (`policy`), then as the owner (`trigger`: no
 * policy in the way, the JWT still says who co-signs).
 */
async function cosignAttempts(tx: Tx, note: string, supervisor: string) {
  const cosign = `update public.session_notes set status = 'signed', cosigned_by = $2 where id = $1`;
  const policy = await tryStatement(tx, cosign, [note, supervisor]);
  await tx`select set_config('role', 'none', true)`;
  const trigger = await tryStatement(tx, cosign, [note, supervisor]);
  return { policy, trigger };
}

/** Organisation B's clinical rows the signed-in user sees. */
const orgBRecords = async (tx: Tx) => {
  const inB = (table: string) => count(tx, `select 1 from public.${table} where organization_id = $1`, [b().organizationId]);
  return {
    students: await inB('students'),
    guardians: await inB('guardians'),
    studentGuardians: await inB('student_guardians'),
    caseload: await inB('caseload_assignments'),
    plans: await inB('service_plans'),
    goals: await inB('goals'),
    notes: await inB('session_notes'),
    sessions: await inB('therapy_sessions'),
    documents: await inB('documents'),
    charges: await inB('service_charges'),
  };
};
const nothing = { students: 0, guardians: 0, studentGuardians: 0, caseload: 0, plans: 0, goals: 0, notes: 0, sessions: 0, documents: 0, charges: 0 };

describe('item 1: supervision crosses tenants', () => {
  it("org A admin who is a therapist in org B cannot read B's students, guardians, notes or files through an org-A supervision of a B therapist", async () => {
    const attacker = a().users.org_admin;
    const seen = await asUser(world().db.sql, { sub: attacker }, async (tx) => {
      await asOwnerDo(
        tx,
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [b().organizationId, attacker]],
        [`insert into public.therapists (id, discipline, credential) values ($1, 'slp', 'CCC-SLP')`, [attacker]],
      );
      const before = await orgBRecords(tx);
      await supervision(tx, a().organizationId, attacker, b().users.therapist);
      return { before, after: await orgBRecords(tx) };
    });
    // as a B therapist without a caseload the attacker saw nothing clinical of B before the assignment…
    expect(seen.before).toMatchObject({ students: 0, notes: 0, guardians: 0, documents: 0 });
    // …and the org-A assignment gives them nothing of B either
    expect(seen.after).toEqual(nothing);
  });

  it("a therapist of A and B supervising someone in A cannot read that supervisee's work in B (the supervision stays in its organisation)", async () => {
    const supervisor = a().users.supervisor;
    const supervisee = b().users.supervisee; // B's SLPA: caseload s2, sessions, a draft note, a charge in B
    const seen = await asUser(world().db.sql, { sub: supervisor }, async (tx) => {
      await asOwnerDo(
        tx,
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [b().organizationId, supervisor]],
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [a().organizationId, supervisee]],
      );
      await supervision(tx, a().organizationId, supervisor, supervisee);
      const [keys] = await tx<{ keys: string[] }[]>`select app.supervision_keys() as keys`;
      return { records: await orgBRecords(tx), keys: keys!.keys };
    });
    expect(seen.keys).toContain(`${a().organizationId}/${supervisee}`);
    expect(seen.records).toEqual(nothing);
  });

  it("an org-A supervisor cannot co-sign B's note pending co-signature: no policy row, and the trigger refuses it too", async () => {
    const supervisor = a().users.supervisor;
    const supervisee = b().users.supervisee;
    const note = b().noteIds.draftS2;
    const outcomes = await asUser(world().db.sql, { sub: supervisor }, async (tx) => {
      await asOwnerDo(
        tx,
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [b().organizationId, supervisor]],
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [a().organizationId, supervisee]],
        [`update public.session_notes set status = 'pending_cosign' where id = $1`, [note]],
      );
      await supervision(tx, a().organizationId, supervisor, supervisee);
      return cosignAttempts(tx, note, supervisor);
    });
    affected(outcomes.policy, 0);
    expect(outcomes.trigger, describeOutcome(outcomes.trigger)).toMatchObject({ kind: 'error', code: '23514', message: expect.stringMatching(/session_notes_cosigner_supervises/) });
  });

  it('a supervisor suspended as a therapist co-signs nothing, even where their assignment is in the right organisation', async () => {
    const supervisor = a().users.supervisor;
    const note = a().noteIds.draftS2;
    const outcomes = await asUser(world().db.sql, { sub: supervisor }, async (tx) => {
      await asOwnerDo(
        tx,
        [`update public.session_notes set status = 'pending_cosign' where id = $1`, [note]],
        [`update public.organization_members set status = 'suspended' where user_id = $1 and role = 'therapist'`, [supervisor]],
      );
      return cosignAttempts(tx, note, supervisor);
    });
    affected(outcomes.policy, 0);
    // the co-sign trigger, or the integrity half's member rule before it, refuses the suspended co-signer
    expect(outcomes.trigger, describeOutcome(outcomes.trigger)).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/session_notes_cosigner_supervises|session_notes_cosigned_by_member/),
    });
  });

  it("a supervisee whose account is deactivated is nobody's to co-sign for: the policies show the supervisor no note of theirs, and the trigger refuses it as the helpers would (attacker review follow-up)", async () => {
    const supervisor = a().users.supervisor;
    const note = a().noteIds.draftS2; // the supervisee's draft
    const cosignWith = (deactivated: boolean) =>
      asUser(world().db.sql, { sub: supervisor }, async (tx) => {
        await asOwnerDo(
          tx,
          [`update public.session_notes set status = 'pending_cosign' where id = $1`, [note]],
          [`update public.profiles set deactivated_at = case when $2 then now() end where id = $1`, [a().users.supervisee, deactivated]],
        );
        return cosignAttempts(tx, note, supervisor);
      });
    const active = await cosignWith(false);
    const deactivated = await cosignWith(true);
    affected(active.policy, 1); // the control: an active supervisee's note is co-signed
    affected(deactivated.policy, 0);
    expect(deactivated.trigger, describeOutcome(deactivated.trigger)).toMatchObject({ kind: 'error', code: '23514', message: expect.stringMatching(/session_notes_cosigner_supervises/) });
  });

  it("the co-sign webhook's supervisor_ids names only active supervisors of the note's organisation, never an org-A assignment's", async () => {
    const supervisee = b().users.supervisee;
    const ids = await asUser(world().db.sql, { sub: b().users.supervisee }, async (tx) => {
      await asOwnerDo(
        tx,
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [a().organizationId, supervisee]],
        [
          // signed with org B's own Vault secret (the fixture's subscription's): a subscription uses only its organisation's secrets
          `insert into public.webhook_subscriptions (organization_id, target_url, event_types, secret_id, created_by)
           select $1, 'https://automation.example.org/cosign', '{note.cosign_requested}', w.secret_id, $2
             from public.webhook_subscriptions w where w.organization_id = $1 limit 1`,
          [b().organizationId, b().users.org_admin],
        ],
      );
      await supervision(tx, a().organizationId, a().users.supervisor, supervisee);
      // the SLPA sends their draft for co-signature (the outbox trigger runs in their transaction)
      await tx.unsafe(`update public.session_notes set status = 'pending_cosign' where id = $1`, [b().noteIds.draftS2]);
      const events = await asOwner(tx, () =>
        tx.unsafe<{ ids: string[] }[]>(
          `select array(select jsonb_array_elements_text(payload -> 'data' -> 'supervisor_ids')) as ids
             from public.outbox_events where event_type = 'note.cosign_requested' and organization_id = $1`,
          [b().organizationId],
        ),
      );
      return events.map((e) => e.ids);
    });
    expect(ids).toEqual([[b().users.supervisor]]);
  });
});
