import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServiceRole, asUser } from '../../src/testing';
import { actAs, createWorld, dbErrorOf, expectRefusal, rolledBack, type World } from './helpers';

/**
 * Nobody changes their own membership, and nobody makes themselves a platform admin. Each is held
 * twice: by the policies and column grants, and by a trigger that holds whatever they allow.
 */
describe('identity: own membership and platform administration', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const protectOwn = { code: '42501', rule: 'organization_members_protect_own', table: 'organization_members' } as const;
  const adminFlag = { code: '42501', rule: 'profiles_protect_platform_admin', table: 'profiles', column: 'is_platform_admin' } as const;

  describe('a user cannot change their own membership', () => {
    it('an org admin suspending their own membership through the API is refused and changes nothing (their own row is theirs to leave, not to suspend)', async () => {
      const admin = w.fx.a.users.org_admin;
      const refusal = await asUser(w.db.sql, { sub: admin }, (tx) =>
        tx`update public.organization_members set status = 'suspended' where user_id = ${admin}`.then(() => undefined, (error: unknown) => error),
      );
      expect(refusal).toMatchObject({ code: '42501', constraint_name: 'organization_members_protect_own' });
      const [row] = await w.db.sql<{ status: string }[]>`select status from public.organization_members where user_id = ${admin}`;
      expect(row!.status).toBe('active');
    });

    it("an org admin can change another member's membership", async () => {
      const changed = await asUser(w.db.sql, { sub: w.fx.a.users.org_admin }, (tx) =>
        tx`update public.organization_members set status = 'suspended' where user_id = ${w.fx.a.users.billing}`.then((r) => r.count),
      );
      expect(changed).toBe(1);
    });

    it('whatever a policy would allow, the trigger refuses a signed-in user updating their own membership', async () => {
      await expectRefusal(w.db.sql, protectOwn, async (tx) => {
        await actAs(tx, w.fx.a.users.therapist);
        await tx`update public.organization_members set status = 'suspended' where user_id = ${w.fx.a.users.therapist}`;
      });
    });

    it('…and a role is never changed by a signed-in user, their own included: the rule names the column', async () => {
      const roleImmutable = { code: '42501', rule: 'organization_members_role_immutable', table: 'organization_members', column: 'role' } as const;
      await expectRefusal(w.db.sql, roleImmutable, async (tx) => {
        await actAs(tx, w.fx.a.users.therapist);
        await tx`update public.organization_members set role = 'org_admin' where user_id = ${w.fx.a.users.therapist}`;
      });
    });

    it('…or adding a membership for themselves, in their organisation or another', async () => {
      for (const organizationId of [w.fx.a.organizationId, w.fx.b.organizationId]) {
        await expectRefusal(w.db.sql, protectOwn, async (tx) => {
          await actAs(tx, w.fx.a.users.org_admin);
          await tx`insert into public.organization_members (organization_id, user_id, role) values (${organizationId}, ${w.fx.a.users.org_admin}, 'billing')`;
        });
      }
    });

    it('…or deleting their own membership', async () => {
      await expectRefusal(w.db.sql, protectOwn, async (tx) => {
        await actAs(tx, w.fx.a.users.org_admin);
        await tx`delete from public.organization_members where user_id = ${w.fx.a.users.org_admin}`;
      });
    });

    it('…or moving another member\'s row onto themselves', async () => {
      await expectRefusal(w.db.sql, protectOwn, async (tx) => {
        await actAs(tx, w.fx.a.users.org_admin);
        await tx`update public.organization_members set user_id = ${w.fx.a.users.org_admin} where user_id = ${w.fx.a.users.billing}`;
      });
    });

    it('server code (no signed-in user) manages memberships', async () => {
      const changed = await rolledBack(w.db.sql, (tx) =>
        tx`update public.organization_members set status = 'suspended' where user_id = ${w.fx.a.users.org_admin}`.then((r) => r.count),
      );
      expect(changed).toBe(1);
    });
  });

  describe('profiles.is_platform_admin cannot be set by authenticated', () => {
    it('a user cannot make themselves platform admin: the column is not theirs to update', async () => {
      const me = w.fx.a.users.therapist;
      const refused = await dbErrorOf(w.db.sql, async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: me, role: 'authenticated' })}, true)`;
        await tx`update public.profiles set is_platform_admin = true where id = ${me}`;
      });
      // The column grant refuses it before any trigger runs.
      expect(refused).toMatchObject({ code: '42501', kind: 'permission', table: 'profiles', databaseMessage: 'permission denied for table profiles' });
      const [row] = await w.db.sql<{ is_platform_admin: boolean }[]>`select is_platform_admin from public.profiles where id = ${me}`;
      expect(row!.is_platform_admin).toBe(false);
    });

    it('even if a grant and a policy let them update it, the trigger refuses', async () => {
      const me = w.fx.a.users.therapist;
      await expectRefusal(w.db.sql, adminFlag, async (tx) => {
        // A mistaken future grant and policy, rolled back with the test.
        await tx`grant update (is_platform_admin) on public.profiles to authenticated`;
        await tx`create policy probe_profiles_any_update on public.profiles for update to authenticated using (true) with check (true)`;
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: me, role: 'authenticated' })}, true)`;
        await tx`update public.profiles set is_platform_admin = true where id = ${me}`;
      });
    });

    it('…and refuses an API insert of a profile that is already platform admin', async () => {
      await expectRefusal(w.db.sql, adminFlag, async (tx) => {
        const [user] = await tx<{ id: string }[]>`insert into auth.users (id, email) values (gen_random_uuid(), 'new.user@example.org') returning id`;
        await tx`grant insert on public.profiles to authenticated`;
        await tx`create policy probe_profiles_any_insert on public.profiles for insert to authenticated with check (true)`;
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: user!.id, role: 'authenticated' })}, true)`;
        await tx`insert into public.profiles (id, display_name, is_platform_admin) values (${user!.id}, 'New User', true)`;
      });
    });

    it('a user can still update the safe columns of their own profile', async () => {
      const me = w.fx.a.users.therapist;
      const names = await asUser(w.db.sql, { sub: me }, async (tx) => {
        await tx`update public.profiles set display_name = 'Theo T.' where id = ${me}`;
        return tx<{ display_name: string; is_platform_admin: boolean }[]>`select display_name, is_platform_admin from public.profiles where id = ${me}`;
      });
      expect(names).toEqual([{ display_name: 'Theo T.', is_platform_admin: false }]);
    });

    it('the platform (service role) can grant platform administration', async () => {
      const me = w.fx.a.users.supervisor;
      const flag = await asServiceRole(w.db.sql, async (tx) => {
        await tx`update public.profiles set is_platform_admin = true where id = ${me}`;
        return tx<{ is_platform_admin: boolean }[]>`select is_platform_admin from public.profiles where id = ${me}`;
      });
      expect(flag).toEqual([{ is_platform_admin: true }]);
    });
  });
});
