import { describe, expect, it } from 'vitest';
import { allAccess } from '../../src/policies';
import { asUser } from '../../src/testing';
import { describeOutcome, isNothing, probeSelect } from './support/probe';
import { affected, asOwnerDo, count, refused, signInAs, tryStatement } from './support/statements';
import { personaUser, usePolicyWorld, type Tx } from './support/world';

/**
 * Issue 12, item 2 (membership without consent) and item 7 (deactivated accounts keep access).
 * Only an active membership counts, and only the invited user makes it active; a therapist record
 * that another organisation relies on is no single organisation's to rewrite; a deactivated account
 * opens nothing.
 */

const world = usePolicyWorld();

const a = () => world().fx.a;
/** Every table with a declaration, as `schema.table` outside public. */
const tables = allAccess.map((access) => (access.table.schema === 'public' ? access.table.name : `${access.table.schema}.${access.table.name}`));
const b = () => world().fx.b;

const invite = (tx: Tx, org: string, user: string, role = 'therapist') =>
  tryStatement(tx, `insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, $3, 'invited')`, [org, user, role]);
const profileOf = (tx: Tx, user: string) => count(tx, 'select 1 from public.profiles where id = $1', [user]);

describe('item 2: membership without consent', () => {
  it("org A admin cannot add org B's therapist to A without their consent: a membership starts invited", async () => {
    const outcome = await asUser(world().db.sql, { sub: a().users.org_admin }, (tx) =>
      tryStatement(tx, `insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [a().organizationId, b().users.therapist]),
    );
    expect(outcome, describeOutcome(outcome)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/organization_members_invitation/) });
  });

  it("org A admin who invited B's therapist reads nothing of them (contact details) until they accept", async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await tx.unsafe(`insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'therapist', 'invited')`, [
        a().organizationId,
        b().users.therapist,
      ]);
      const invited = { profile: await profileOf(tx, b().users.therapist), therapist: await count(tx, 'select 1 from public.therapists where id = $1', [b().users.therapist]) };
      // the admin cannot accept for them
      const accept = await tryStatement(tx, `update public.organization_members set status = 'active' where user_id = $1 and organization_id = $2`, [
        b().users.therapist,
        a().organizationId,
      ]);
      const suspendInvitation = await tryStatement(tx, `update public.organization_members set status = 'suspended' where user_id = $1 and organization_id = $2`, [
        b().users.therapist,
        a().organizationId,
      ]);
      // the invited user sees the invitation and accepts it, themselves
      await signInAs(tx, b().users.therapist);
      const sees = await count(tx, 'select 1 from public.organization_members where organization_id = $1 and user_id = $2', [a().organizationId, b().users.therapist]);
      const accepted = await tryStatement(tx, `update public.organization_members set status = 'active' where organization_id = $1 and user_id = $2`, [
        a().organizationId,
        b().users.therapist,
      ]);
      await tx.unsafe(`update public.organization_members set status = 'active' where organization_id = $1 and user_id = $2`, [a().organizationId, b().users.therapist]);
      await signInAs(tx, a().users.org_admin);
      return { invited, accept, suspendInvitation, sees, accepted, member: await profileOf(tx, b().users.therapist) };
    });
    expect(seen.invited).toEqual({ profile: 0, therapist: 0 });
    expect(seen.accept, describeOutcome(seen.accept)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/only the invited user accepts/) });
    expect(seen.suspendInvitation).toMatchObject({ kind: 'error', code: '42501' });
    expect(seen.sees).toBe(1);
    affected(seen.accepted, 1);
    expect(seen.member).toBe(1);
  });

  it('an invited user accepts only invited → active on their own row: never a role, an organisation or another column', async () => {
    const invitee = b().users.therapist;
    const outcomes = await asUser(world().db.sql, { sub: invitee }, async (tx) => {
      await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'therapist', 'invited')`, [a().organizationId, invitee]]);
      const where = `where organization_id = '${a().organizationId}' and user_id = '${invitee}'`;
      return {
        asAdmin: await tryStatement(tx, `update public.organization_members set status = 'active', role = 'org_admin' ${where}`),
        otherColumn: await tryStatement(tx, `update public.organization_members set school_id = $1 ${where}`, [a().schoolIds[0]]),
        suspendOwn: await tryStatement(tx, `update public.organization_members set status = 'suspended' ${where}`),
        otherOrg: await tryStatement(tx, `update public.organization_members set organization_id = $1 ${where}`, [b().organizationId]),
        inviteSelf: await invite(tx, a().organizationId, invitee, 'org_admin'),
        // someone else's invitation stays theirs
        othersInvitation: await tryStatement(tx, `update public.organization_members set status = 'active' where user_id = $1`, [world().users.self]),
      };
    });
    // role is granted to nobody (a role is what the member accepted): refused before the trigger
    expect(outcomes.asAdmin).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/permission denied|organization_members_protect_own/) });
    expect(outcomes.otherColumn).toMatchObject({ kind: 'error', code: '42501' });
    refused(outcomes.suspendOwn);
    refused(outcomes.otherOrg);
    refused(outcomes.inviteSelf);
    affected(outcomes.othersInvitation, 0);
  });

  it('an invited member counts for nothing: they read nothing of the organisation that invited them', async () => {
    const seen = await asUser(world().db.sql, { sub: world().users.self }, async (tx) => {
      const seenRows: string[] = [];
      for (const table of tables) {
        const mine = ({ profiles: 'id', organization_members: 'user_id', notifications: 'user_id' } as Record<string, string>)[table];
        const outcome = await probeSelect(tx, table, mine === undefined ? undefined : { sql: `${mine} <> $1`, params: [world().users.self] });
        if (!isNothing(outcome)) seenRows.push(`${table}: ${describeOutcome(outcome)}`);
      }
      return { seenRows, invitation: await count(tx, `select 1 from public.organization_members where user_id = $1 and status = 'invited'`, [world().users.self]) };
    });
    expect(seen.invitation).toBe(1);
    expect(seen.seenRows).toEqual([]);
  });

  it("org A admin cannot rewrite the therapist record (NPI, licence) of a therapist org B relies on; they can while A is the therapist's only organisation", async () => {
    const shared = b().users.therapist;
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'therapist')`, [a().organizationId, shared]]);
      return {
        reads: await count(tx, 'select 1 from public.therapists where id = $1', [shared]),
        shared: await tryStatement(tx, `update public.therapists set npi = '1234567893', license_number = 'FORGED' where id = $1`, [shared]),
        own: await tryStatement(tx, `update public.therapists set license_expires_on = '2031-06-30' where id = $1`, [a().users.therapist]),
      };
    });
    expect(outcomes.reads).toBe(1); // a member of A: their record is readable
    affected(outcomes.shared, 0);
    affected(outcomes.own, 1);
  });

  it('a suspended member reads nothing of the organisation but their own membership', async () => {
    const guardian = a().users.guardian;
    const seen = await asUser(world().db.sql, { sub: guardian }, async (tx) => {
      await asOwnerDo(tx, [`update public.organization_members set status = 'suspended' where user_id = $1`, [guardian]]);
      return {
        students: await count(tx, 'select 1 from public.students'),
        messages: await count(tx, 'select 1 from public.messages'),
        notes: await count(tx, 'select 1 from public.session_notes'),
        ownMembership: await count(tx, 'select 1 from public.organization_members'),
      };
    });
    expect(seen).toEqual({ students: 0, messages: 0, notes: 0, ownMembership: 1 });
  });
});

describe('item 7: deactivated accounts keep access', () => {
  for (const persona of ['org_admin', 'therapist', 'supervisor', 'school_staff', 'guardian', 'student', 'billing', 'platform_admin'] as const) {
    it(`a deactivated ${persona} of org A reads nothing in any table, and no helper answers for them`, async () => {
      const user = personaUser(world(), persona, 'a')!;
      const seen = await asUser(world().db.sql, { sub: user }, async (tx) => {
        const before = await count(tx, 'select 1 from public.profiles where id = $1', [user]);
        await asOwnerDo(tx, [`update public.profiles set deactivated_at = now() where id = $1`, [user]]);
        const seenRows: string[] = [];
        for (const table of tables) {
          const outcome = await probeSelect(tx, table);
          if (!isNothing(outcome)) seenRows.push(`${table}: ${describeOutcome(outcome)}`);
        }
        const [helpers] = await tx<Record<string, unknown>[]>`
          select cardinality(app.org_ids()) as org_ids, cardinality(app.caseload_student_ids()) as caseload, cardinality(app.guardian_student_ids()) as children,
                 cardinality(app.own_student_ids()) as own, cardinality(app.conversation_ids()) as conversations, cardinality(app.member_user_ids()) as members,
                 cardinality(app.supervised_therapist_ids()) as supervised, cardinality(app.staff_school_ids()) as schools, app.has_role('{org_admin,therapist,guardian,student,school_staff,billing}') as has_role,
                 app.is_platform_admin() as platform, app.is_active_user() as active`;
        return { before, seenRows, helpers };
      });
      expect(seen.before).toBe(1);
      expect(seen.seenRows).toEqual([]);
      expect(seen.helpers).toEqual({
        org_ids: 0, caseload: 0, children: 0, own: 0, conversations: 0, members: 0, supervised: 0, schools: 0, has_role: false, platform: false, active: false,
      });
    });
  }
});
