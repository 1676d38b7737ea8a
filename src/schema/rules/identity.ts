import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';
import { organizationMembers, profiles } from '../identity';

/**
 * Membership needs the member's consent, and nobody changes their own membership through the API —
 * not even an org admin — so no one can promote themselves or move into another tenant:
 *
 * - a membership's role never changes through the API (anyone with a JWT, platform admins
 *   included): a role is what the person accepted, so another role is a new invitation they accept;
 * - a user's own rows: the only change is accepting their own invitation (`invited` → `active`,
 *   every other column unchanged); never inserting, deleting, or changing role or organisation.
 *   Declining or leaving has no status of its own yet (`invited`, `active`, `suspended`): an org
 *   admin removes the membership;
 * - other people's rows (an org admin's writes): a new membership starts `invited`, and no one but
 *   the invited user moves a membership out of `invited` (or back into it).
 *
 * Platform admins and server code (no JWT) are exempt from the rest.
 */
export const protectOwnMembership = defineTriggerFunction({
  name: 'protect_own_membership',
  security: 'definer',
  body: `
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is not null and tg_op = 'UPDATE' and new.role is distinct from old.role then
    raise exception 'organization_members.role cannot be changed (% → %): a role is what the member accepted; invite them to the other role and they accept it (organization_members_role_immutable)', old.role, new.role
      using errcode = 'insufficient_privilege', table = 'organization_members', column = 'role', constraint = 'organization_members_role_immutable';
  end if;
  if v_uid is null or coalesce((select p.is_platform_admin from public.profiles p where p.id = v_uid), false) then
    return coalesce(new, old);
  end if;
  if (tg_op <> 'INSERT' and old.user_id = v_uid) or (tg_op <> 'DELETE' and new.user_id = v_uid) then
    if tg_op = 'UPDATE' and old.user_id = v_uid and old.status = 'invited' and new.status = 'active'
       and (pg_catalog.to_jsonb(new) - '{status,updated_at}'::text[]) = (pg_catalog.to_jsonb(old) - '{status,updated_at}'::text[]) then
      return new;  -- the invited user accepts their own invitation
    end if;
    raise exception 'users cannot change their own membership, only accept their own invitation (invited → active, nothing else): organization_members.user_id is the signed-in user (organization_members_protect_own)'
      using errcode = 'insufficient_privilege', table = 'organization_members', column = 'user_id', constraint = 'organization_members_protect_own';
  end if;
  if tg_op = 'INSERT' and new.status <> 'invited' then
    raise exception 'a membership added through the API starts as invited (got %): the user accepts it themselves (organization_members_invitation)', new.status
      using errcode = 'insufficient_privilege', table = 'organization_members', column = 'status', constraint = 'organization_members_invitation';
  end if;
  if tg_op = 'UPDATE' and old.status is distinct from new.status and 'invited' in (old.status, new.status) then
    raise exception 'only the invited user accepts an invitation; a membership cannot be moved % → % by someone else (organization_members_invitation)', old.status, new.status
      using errcode = 'insufficient_privilege', table = 'organization_members', column = 'status', constraint = 'organization_members_invitation';
  end if;
  return coalesce(new, old);
end`,
  comment: "Trigger: a membership's role never changes through the API; a user changes nothing of their own membership but accepting their own invitation; memberships added through the API start invited, and only the invited user accepts them.",
});

/** `is_platform_admin` is granted by the platform, never by the user: API roles cannot set it. */
export const protectPlatformAdminFlag = defineTriggerFunction({
  name: 'protect_platform_admin_flag',
  body: `
begin
  if current_user in ('anon', 'authenticated')
     and new.is_platform_admin is distinct from (case when tg_op = 'INSERT' then false else old.is_platform_admin end) then
    raise exception 'profiles.is_platform_admin cannot be set through the API (profiles_protect_platform_admin)'
      using errcode = 'insufficient_privilege', table = 'profiles', column = 'is_platform_admin', constraint = 'profiles_protect_platform_admin';
  end if;
  return new;
end`,
  comment: 'Trigger: API roles cannot grant or revoke platform administration.',
});

export const identityRules: readonly DdlObject[] = [
  protectOwnMembership,
  defineTrigger({
    name: 'organization_members_protect_own',
    table: organizationMembers,
    timing: 'before',
    events: ['insert', 'update', 'delete'],
    function: protectOwnMembership,
  }),
  protectPlatformAdminFlag,
  defineTrigger({
    name: 'profiles_protect_platform_admin',
    table: profiles,
    timing: 'before',
    events: ['insert', 'update'],
    function: protectPlatformAdminFlag,
  }),
];
