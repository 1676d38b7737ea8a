import { describe, expect, inject, it } from 'vitest';
import { seedFixture } from '../../src/demo';
import { allAccess } from '../../src/policies';
import { asUser } from '../../src/testing';
import { createTestDatabase } from '../support/database';
import { asOwner, describeOutcome, isNothing, probeSelect, type Outcome } from './support/probe';
import { affected, asOwnerDo, count, refused, signInAs, tryStatement } from './support/statements';
import { personaUser, usePolicyWorld, type Tx } from './support/world';

/**
 * Issue 12, item 2 (membership without consent) and item 7 (deactivated accounts keep access).
 * Only an active membership counts, and only the invited user makes it active; a therapist record
 * that another organisation relies on is no single organisation's to rewrite; a deactivated account
 * opens nothing.
 */

const world = usePolicyWorld();
const onServer = inject('testBackend').kind === 'server';

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

  it("a declined invitation elsewhere still counts as that organisation relying on the therapist record (strict, on purpose): org A's admin rewrites it while B's invitation is pending, not once it is declined", async () => {
    const therapist = a().users.therapist; // a member of A only
    const seen = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => {
      const managed = async () => {
        const [row] = await tx.unsafe<{ managed: boolean }[]>('select $1::uuid = any (app.managed_therapist_ids()) as managed', [therapist]);
        return row!.managed;
      };
      const rewrite = () => tryStatement(tx, `update public.therapists set license_number = 'REWRITTEN' where id = $1`, [therapist]);
      const alone = { managed: await managed(), rewrite: await rewrite() };
      await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'therapist', 'invited')`, [b().organizationId, therapist]]);
      const invited = { managed: await managed(), rewrite: await rewrite() };
      // a declined row is the member's latest decision, not their history: it may follow a membership
      // they held and billed under (active → left → invited → declined), so it counts
      await asOwnerDo(tx, [`update public.organization_members set status = 'declined' where organization_id = $1 and user_id = $2`, [b().organizationId, therapist]]);
      const declined = { managed: await managed(), rewrite: await rewrite() };
      return { alone, invited, declined };
    });
    expect(seen.alone.managed).toBe(true);
    affected(seen.alone.rewrite, 1);
    expect(seen.invited.managed).toBe(true);
    affected(seen.invited.rewrite, 1);
    expect(seen.declined.managed).toBe(false);
    affected(seen.declined.rewrite, 0);
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

describe('a member declines an invitation or leaves an organisation (issue 12 follow-up a)', () => {
  const membershipOf = (tx: Tx, user: string, org = a().organizationId) =>
    tx.unsafe<{ id: string; status: string }[]>('select id, status from public.organization_members where organization_id = $1 and user_id = $2', [org, user]);
  const setOwnStatus = (tx: Tx, status: string, org = a().organizationId) =>
    tryStatement(tx, 'update public.organization_members set status = $1 where organization_id = $2 and user_id = (select auth.uid())', [status, org]);
  const setStatusOf = (tx: Tx, user: string, status: string, org = a().organizationId) =>
    tryStatement(tx, 'update public.organization_members set status = $1 where organization_id = $2 and user_id = $3', [status, org, user]);
  /** What an identity reaches of organisation A: the organisation, its students, sessions and messages. */
  const reach = async (tx: Tx) => ({
    organization: await count(tx, 'select 1 from public.organizations where id = $1', [a().organizationId]),
    students: await count(tx, 'select 1 from public.students where organization_id = $1', [a().organizationId]),
    sessions: await count(tx, 'select 1 from public.therapy_sessions where organization_id = $1', [a().organizationId]),
    messages: await count(tx, 'select 1 from public.messages where organization_id = $1', [a().organizationId]),
  });
  const nothing = { organization: 0, students: 0, sessions: 0, messages: 0 };
  const refusedBy = (o: Outcome, code: string, rule: RegExp) => expect(o, describeOutcome(o)).toMatchObject({ kind: 'error', code, message: expect.stringMatching(rule) });

  it('an invited user declines their own invitation (invited → declined); the declined membership opens nothing, and they cannot accept it afterwards', async () => {
    const me = world().users.self; // invited to A as guardian by the policy world
    const seen = await asUser(world().db.sql, { sub: me }, async (tx) => {
      const decline = await setOwnStatus(tx, 'declined');
      await tx.unsafe(`update public.organization_members set status = 'declined' where organization_id = $1 and user_id = $2`, [a().organizationId, me]);
      return { decline, row: await membershipOf(tx, me), accept: await setOwnStatus(tx, 'active'), backToInvited: await setOwnStatus(tx, 'invited'), reach: await reach(tx) };
    });
    affected(seen.decline, 1);
    expect(seen.row.map((r) => r.status)).toEqual(['declined']);
    for (const o of [seen.accept, seen.backToInvited]) expect(isNothing(o), describeOutcome(o)).toBe(true);
    expect(seen.reach).toEqual(nothing);
  });

  it('an active therapist leaves (active → left), then reads nothing of the organisation but their own membership, writes nothing, and cannot come back by themselves', async () => {
    const me = a().users.therapist;
    const seen = await asUser(world().db.sql, { sub: me }, async (tx) => {
      const before = await reach(tx);
      const leave = await setOwnStatus(tx, 'left');
      await tx.unsafe(`update public.organization_members set status = 'left' where organization_id = $1 and user_id = $2`, [a().organizationId, me]);
      return {
        before,
        leave,
        after: await reach(tx),
        own: (await membershipOf(tx, me)).map((r) => r.status),
        backToActive: await setOwnStatus(tx, 'active'),
        backToInvited: await setOwnStatus(tx, 'invited'),
        note: await tryStatement(tx, `update public.session_notes set subjective = 'after leaving' where author_id = $1`, [me]),
      };
    });
    expect(seen.before.students).toBeGreaterThan(0);
    affected(seen.leave, 1);
    expect(seen.after).toEqual(nothing);
    expect(seen.own).toEqual(['left']);
    for (const o of [seen.backToActive, seen.backToInvited, seen.note]) expect(isNothing(o), describeOutcome(o)).toBe(true);
  });

  it('a member who left comes back only through a new invitation: an org admin re-invites (left → invited), never reinstates (left → active) nor suspends, and the member accepts', async () => {
    const member = a().users.billing;
    const seen = await asUser(world().db.sql, { sub: member }, async (tx) => {
      await tx.unsafe(`update public.organization_members set status = 'left' where organization_id = $1 and user_id = $2`, [a().organizationId, member]);
      await signInAs(tx, a().users.org_admin);
      const reinstate = await setStatusOf(tx, member, 'active');
      const suspend = await setStatusOf(tx, member, 'suspended');
      const reinvite = await setStatusOf(tx, member, 'invited');
      await tx.unsafe(`update public.organization_members set status = 'invited' where organization_id = $1 and user_id = $2`, [a().organizationId, member]);
      await signInAs(tx, member);
      const accept = await setOwnStatus(tx, 'active');
      return { reinstate, suspend, reinvite, accept };
    });
    refusedBy(seen.reinstate, '42501', /left comes back only through a new invitation.*organization_members_invitation/);
    refusedBy(seen.suspend, '42501', /organization_members_invitation/);
    affected(seen.reinvite, 1);
    affected(seen.accept, 1);
  });

  it('an org admin invites again someone who declined (declined → invited), never makes them a member without their consent (declined → active)', async () => {
    const me = world().users.self;
    const seen = await asUser(world().db.sql, { sub: me }, async (tx) => {
      await tx.unsafe(`update public.organization_members set status = 'declined' where organization_id = $1 and user_id = (select auth.uid())`, [a().organizationId]);
      await signInAs(tx, a().users.org_admin);
      return { activate: await setStatusOf(tx, me, 'active'), reinvite: await setStatusOf(tx, me, 'invited') };
    });
    refusedBy(seen.activate, '42501', /declined comes back only through a new invitation.*organization_members_invitation/);
    affected(seen.reinvite, 1);
  });

  it('only the member declines or leaves: an org admin cannot mark someone as having declined or left (which would read as their choice in the audit log)', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.org_admin }, async (tx) => ({
      left: await setStatusOf(tx, a().users.therapist, 'left'),
      declined: await setStatusOf(tx, world().users.self, 'declined'),
      inserted: await tryStatement(tx, `insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'billing', 'left')`, [a().organizationId, a().users.guardian]),
    }));
    refusedBy(outcomes.left, '42501', /only the member declines an invitation or leaves.*organization_members_own_decision/);
    refusedBy(outcomes.declined, '42501', /organization_members_own_decision|organization_members_invitation/);
    refusedBy(outcomes.inserted, '42501', /.*/);
  });

  it('a suspended member cannot "leave" to erase the suspension, nor decline it, nor delete their membership', async () => {
    const me = a().users.therapist;
    const outcomes = await asUser(world().db.sql, { sub: me }, async (tx) => {
      await asOwnerDo(tx, [`update public.organization_members set status = 'suspended' where organization_id = $1 and user_id = $2`, [a().organizationId, me]]);
      return {
        leave: await setOwnStatus(tx, 'left'),
        decline: await setOwnStatus(tx, 'declined'),
        delete: await tryStatement(tx, 'delete from public.organization_members where user_id = (select auth.uid())'),
        // past the policies (as if one were widened), the trigger holds and says why
        trigger: await asOwner(tx, async () => {
          await signInAs(tx, me);
          return setStatusOf(tx, me, 'left');
        }),
      };
    });
    for (const o of [outcomes.leave, outcomes.decline, outcomes.delete]) expect(isNothing(o), describeOutcome(o)).toBe(true);
    refusedBy(outcomes.trigger, '42501', /suspended member cannot leave.*organization_members_protect_own/);
  });

  it('declining or leaving changes nothing else: not the school, not the role, not someone else’s membership; an invitation cannot be "left", an active membership not "declined"', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.school_staff }, async (tx) => {
      const withSchool = await tryStatement(tx, `update public.organization_members set status = 'left', school_id = $1 where user_id = (select auth.uid())`, [a().schoolIds[1]]);
      const withRole = await tryStatement(tx, `update public.organization_members set status = 'left', role = 'org_admin' where user_id = (select auth.uid())`);
      const someoneElse = await tryStatement(tx, `update public.organization_members set status = 'left' where user_id = $1`, [a().users.therapist]);
      const declineActive = await asOwner(tx, async () => {
        await signInAs(tx, a().users.school_staff);
        return setStatusOf(tx, a().users.school_staff, 'declined');
      });
      await signInAs(tx, world().users.self);
      const leaveInvitation = await asOwner(tx, async () => {
        await signInAs(tx, world().users.self);
        return setStatusOf(tx, world().users.self, 'left');
      });
      return { withSchool, withRole, someoneElse, declineActive, leaveInvitation };
    });
    for (const o of [outcomes.withSchool, outcomes.withRole, outcomes.someoneElse]) expect(isNothing(o), describeOutcome(o)).toBe(true);
    for (const o of [outcomes.declineActive, outcomes.leaveInvitation]) refusedBy(o, '42501', /organization_members_protect_own/);
  });

  it('the last active org admin cannot leave the organisation (a deactivated second admin is no admin); once a second admin has accepted, they can', async () => {
    const admin = a().users.org_admin;
    const seen = await asUser(world().db.sql, { sub: admin }, async (tx) => {
      const alone = await setOwnStatus(tx, 'left');
      await asOwnerDo(
        tx,
        [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'org_admin')`, [a().organizationId, a().users.billing]],
        [`update public.profiles set deactivated_at = now() where id = $1`, [a().users.billing]],
      );
      const deactivatedSecond = await setOwnStatus(tx, 'left');
      await asOwnerDo(tx, [`update public.profiles set deactivated_at = null where id = $1`, [a().users.billing]]);
      return { alone, deactivatedSecond, withSecond: await setOwnStatus(tx, 'left') };
    });
    for (const o of [seen.alone, seen.deactivatedSecond]) refusedBy(o, '23514', /last active org_admin.*organization_members_last_admin/);
    affected(seen.withSecond, 1);
  });

  it("the last active org admin cannot deactivate their own account through the API; server code may, on purpose (the emergency brake for a stolen session), and the platform restores an admin", async () => {
    const admin = a().users.org_admin; // A's only org admin
    const seen = await asUser(world().db.sql, { sub: admin }, async (tx) => {
      const countingAdmins = () =>
        asOwner(tx, () =>
          count(
            tx,
            `select 1 from public.organization_members m join public.profiles p on p.id = m.user_id
              where m.organization_id = $1 and m.role = 'org_admin' and m.status = 'active' and p.deactivated_at is null`,
            [a().organizationId],
          ),
        );
      const before = await countingAdmins();
      // no API role holds profiles.deactivated_at: not the admin, not for their own profile
      const ownDeactivation = await tryStatement(tx, 'update public.profiles set deactivated_at = now() where id = (select auth.uid())');
      // server code (no JWT) deactivates the account, last admin or not (kept: not in a savepoint)
      const serverCode = (sql: string, params: readonly unknown[]) =>
        asOwner(tx, async () => {
          await tx`select set_config('request.jwt.claims', '', true)`;
          return { kind: 'ok' as const, rows: (await tx.unsafe(sql, params as string[])).count };
        });
      const deactivation = await serverCode('update public.profiles set deactivated_at = now() where id = $1', [admin]);
      const afterDeactivation = await countingAdmins();
      // the platform restores an admin: server code adds an active org_admin membership
      const restored = await serverCode(`insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'org_admin', 'active')`, [
        a().organizationId,
        a().users.billing,
      ]);
      await signInAs(tx, a().users.billing);
      const [row] = await tx.unsafe<{ admins: boolean }[]>('select $1::uuid = any (app.org_ids($2::text[])) as admins', [a().organizationId, ['org_admin']]);
      return { before, ownDeactivation, deactivation, afterDeactivation, restored, newAdminCounts: row!.admins };
    });
    expect(seen.before).toBe(1);
    expect(seen.ownDeactivation, describeOutcome(seen.ownDeactivation)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/permission denied/) });
    affected(seen.deactivation, 1);
    expect(seen.afterDeactivation).toBe(0);
    affected(seen.restored, 1);
    expect(seen.newAdminCounts).toBe(true);
  });

  it('a therapist who left counts for nothing: their supervisor no longer reads their work, their former org admin no longer manages their therapist record, and nobody can book them', async () => {
    const supervisee = a().users.supervisee;
    const seen = await asUser(world().db.sql, { sub: a().users.supervisor }, async (tx) => {
      const work = () => count(tx, 'select 1 from public.therapy_sessions where therapist_id = $1', [supervisee]);
      const managed = async () => {
        await signInAs(tx, a().users.org_admin);
        const [row] = await tx.unsafe<{ managed: boolean }[]>('select $1::uuid = any (app.managed_therapist_ids()) as managed', [supervisee]);
        await signInAs(tx, a().users.supervisor);
        return row!.managed;
      };
      const before = { work: await work(), managed: await managed() };
      await signInAs(tx, supervisee);
      await tx.unsafe(`update public.organization_members set status = 'left' where organization_id = $1 and user_id = (select auth.uid())`, [a().organizationId]);
      await signInAs(tx, a().users.supervisor);
      const after = { work: await work(), managed: await managed() };
      await signInAs(tx, a().users.org_admin);
      const book = await tryStatement(
        tx,
        `insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, start_time, end_time, created_by)
         select organization_id, $1, session_type_id, start_time + interval '40 days', end_time + interval '40 days', $2 from public.therapy_sessions where id = $3`,
        [supervisee, a().users.org_admin, a().sessionIds.pastS2],
      );
      return { before, after, book };
    });
    expect(seen.before).toEqual({ work: expect.any(Number), managed: true });
    expect(seen.before.work).toBeGreaterThan(0);
    expect(seen.after).toEqual({ work: 0, managed: false });
    refusedBy(seen.book, '23503', /not an active therapist.*therapy_sessions_therapist_id_member/);
  });

  it('the audit log records the decline and the leave: the member, the database role, and the status before and after', async () => {
    const rows = await asUser(world().db.sql, { sub: world().users.self }, async (tx) => {
      await tx.unsafe(`update public.organization_members set status = 'declined' where organization_id = $1 and user_id = (select auth.uid())`, [a().organizationId]);
      await signInAs(tx, a().users.therapist);
      await tx.unsafe(`update public.organization_members set status = 'left' where organization_id = $1 and user_id = (select auth.uid())`, [a().organizationId]);
      return asOwner(tx, () =>
        tx.unsafe<{ actor_id: string; actor_role: string; action: string; old_status: string; new_status: string }[]>(
          `select actor_id, actor_role, action, old_data ->> 'status' as old_status, new_data ->> 'status' as new_status
             from audit.audit_log where table_name = 'organization_members' and new_data ->> 'status' in ('declined', 'left') order by new_status`,
        ),
      );
    });
    expect(rows).toEqual([
      { actor_id: world().users.self, actor_role: 'authenticated', action: 'update', old_status: 'invited', new_status: 'declined' },
      { actor_id: a().users.therapist, actor_role: 'authenticated', action: 'update', old_status: 'active', new_status: 'left' },
    ]);
  });
});

/**
 * Two org admins leave at the same moment, each seeing the other still active: the trigger locks the
 * organisation's row first, so the second waits for the first and then counts without it. Needs two
 * sessions: PostgreSQL only (PGlite serves one).
 */
describe.skipIf(!onServer)('two admins leaving at once (PostgreSQL)', () => {
  it('the last two active org admins leave at the same moment: exactly one leaves, the other is refused (organization_members_last_admin)', async () => {
    const db = await createTestDatabase();
    try {
      const fx = await seedFixture(db.sql);
      const org = fx.a.organizationId;
      const admins = [fx.a.users.org_admin, fx.a.users.billing] as const;
      await db.sql`insert into public.organization_members (organization_id, user_id, role) values (${org}, ${admins[1]}, 'org_admin')`;
      let release!: () => void;
      const firstHolds = new Promise<void>((resolve) => (release = resolve));
      let firstLeft!: () => void;
      const firstHasLeft = new Promise<void>((resolve) => (firstLeft = resolve));
      const pids: number[] = [];
      const leave = (user: string, left?: () => void, hold?: Promise<void>) =>
        db.sql
          .begin(async (tx) => {
            await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: user, role: 'authenticated' })}, true)`;
            await tx`set local role authenticated`;
            const [pid] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
            pids.push(pid!.pid);
            const result = await tx`update public.organization_members set status = 'left' where organization_id = ${org} and user_id = ${user} and role = 'org_admin'`;
            left?.();
            await hold;
            return { user, rows: result.count };
          })
          .then((ok) => ({ kind: 'ok' as const, ...ok }), (error: { code?: string; message?: string }) => ({ kind: 'error' as const, user, code: error.code, message: error.message }));
      // the first admin leaves and, before committing, holds the organisation's row
      const first = leave(admins[0], firstLeft, firstHolds);
      await firstHasLeft;
      // the second, who still sees the first as active, waits on that row …
      const second = leave(admins[1]);
      await waitFor(async () => pids.length === 2 && (await db.sql`select 1 from pg_stat_activity where pid = ${pids[1]!} and wait_event_type = 'Lock'`).length === 1);
      // … until the first commits, and then counts without them
      release();
      const outcomes = await Promise.all([first, second]);
      expect(outcomes[0]).toEqual({ kind: 'ok', user: admins[0], rows: 1 });
      expect(outcomes[1]).toMatchObject({ kind: 'error', user: admins[1], code: '23514', message: expect.stringMatching(/last active org_admin.*organization_members_last_admin/) });
      const active = await db.sql`select user_id from public.organization_members where organization_id = ${org} and role = 'org_admin' and status = 'active'`;
      expect(active.map((r) => r.user_id)).toEqual([admins[1]]);
    } finally {
      await db.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the concurrent statement');
    await new Promise((r) => setTimeout(r, 25));
  }
}
