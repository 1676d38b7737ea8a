import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';
import { organizationMembers, profiles } from '../identity';

/**
 * Nobody changes their own membership (role, organisation, status) through the API — not even an
 * org admin — so no one can promote themselves or move into another tenant. Platform admins and
 * server code (no JWT) are exempt.
 */
export const protectOwnMembership = defineTriggerFunction({
  name: 'protect_own_membership',
  security: 'definer',
  body: `
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is not null
     and (old.user_id = v_uid or new.user_id = v_uid)
     and not coalesce((select p.is_platform_admin from public.profiles p where p.id = v_uid), false) then
    raise exception 'users cannot change their own membership: organization_members.user_id is the signed-in user (organization_members_protect_own)'
      using errcode = 'insufficient_privilege', table = 'organization_members', column = 'user_id', constraint = 'organization_members_protect_own';
  end if;
  return coalesce(new, old);
end`,
  comment: "Trigger: refuses any insert, update or delete of the signed-in user's own membership rows.",
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
