import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';
import { organizationMembers, profiles } from '../identity';

/**
 * Membership needs the member's consent, and nobody changes their own membership through the API —
 * not even an org admin — beyond their own decisions, so no one can promote themselves or move into
 * another tenant:
 *
 * - a membership's role never changes through the API (anyone with a JWT, platform admins
 *   included): a role is what the person accepted, so another role is a new invitation they accept;
 * - a user's own rows: the only changes are their own decisions — accepting or declining their own
 *   invitation (`invited` → `active` | `declined`) and leaving (`active` → `left`), every other column
 *   unchanged; never inserting, deleting, or changing role or organisation. A suspended member
 *   cannot leave (which would erase the suspension: the organisation lifts or ends it);
 * - other people's rows (an org admin's writes): a new membership starts `invited`; no one but the
 *   invited user moves a membership out of `invited`; no one but the member marks it `declined` or
 *   `left` (`organization_members_own_decision`); and a member who declined or left comes back
 *   only through a new invitation (`declined` | `left` → `invited`), never reinstated directly;
 * - an organisation keeps an active org admin (`organization_members_last_admin`): the last active,
 *   not deactivated one neither leaves nor is suspended or removed through the API; the
 *   organisation's row is locked first, so two admins leaving at once cannot both succeed.
 *
 * Platform admins (active ones: `app.is_platform_admin()`, the policies' test, so a deactivated
 * platform admin is exempt from nothing) and server code (no JWT) are exempt from the rest.
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
  -- app.is_platform_admin(), the policies' own test: a deactivated platform admin is exempt from nothing.
  if v_uid is null or app.is_platform_admin() then
    return coalesce(new, old);
  end if;
  if (tg_op <> 'INSERT' and old.user_id = v_uid) or (tg_op <> 'DELETE' and new.user_id = v_uid) then
    if tg_op = 'UPDATE' and old.user_id = v_uid and old.status = 'suspended' then
      raise exception 'a suspended member cannot leave or otherwise change their membership of organisation %: the organisation lifts or ends the suspension (organization_members_protect_own)', old.organization_id
        using errcode = 'insufficient_privilege', table = 'organization_members', column = 'status', constraint = 'organization_members_protect_own';
    end if;
    -- The member's own decisions: accept or decline their invitation, or leave; nothing else changes.
    if not (tg_op = 'UPDATE' and old.user_id = v_uid
            and (old.status, new.status) in (('invited', 'active'), ('invited', 'declined'), ('active', 'left'))
            and (pg_catalog.to_jsonb(new) - '{status,updated_at}'::text[]) = (pg_catalog.to_jsonb(old) - '{status,updated_at}'::text[])) then
      raise exception 'users cannot change their own membership, only accept or decline their own invitation (invited → active or declined) or leave (active → left), nothing else: organization_members.user_id is the signed-in user (organization_members_protect_own)'
        using errcode = 'insufficient_privilege', table = 'organization_members', column = 'user_id', constraint = 'organization_members_protect_own';
    end if;
  else
    if tg_op = 'INSERT' and new.status <> 'invited' then
      raise exception 'a membership added through the API starts as invited (got %): the user accepts it themselves (organization_members_invitation)', new.status
        using errcode = 'insufficient_privilege', table = 'organization_members', column = 'status', constraint = 'organization_members_invitation';
    end if;
    if tg_op = 'UPDATE' and old.status is distinct from new.status then
      if new.status in ('declined', 'left') then
        raise exception 'only the member declines an invitation or leaves: a membership cannot be marked % by someone else (organization_members_own_decision)', new.status
          using errcode = 'insufficient_privilege', table = 'organization_members', column = 'status', constraint = 'organization_members_own_decision';
      end if;
      if old.status in ('declined', 'left') and new.status <> 'invited' then
        raise exception 'a member who % comes back only through a new invitation they accept (% → invited), never % → % (organization_members_invitation)', old.status, old.status, old.status, new.status
          using errcode = 'insufficient_privilege', table = 'organization_members', column = 'status', constraint = 'organization_members_invitation';
      end if;
      if old.status = 'invited' or (new.status = 'invited' and old.status not in ('declined', 'left')) then
        raise exception 'only the invited user accepts an invitation; a membership cannot be moved % → % by someone else (organization_members_invitation)', old.status, new.status
          using errcode = 'insufficient_privilege', table = 'organization_members', column = 'status', constraint = 'organization_members_invitation';
      end if;
    end if;
  end if;
  -- An organisation keeps an active org admin: the last one neither leaves nor is suspended or
  -- removed. The organisation's row is locked first, so of two such changes at once the second
  -- waits for the first and then counts without it.
  if tg_op <> 'INSERT' and old.role = 'org_admin' and old.status = 'active' and (tg_op = 'DELETE' or new.status <> 'active') then
    perform 1 from public.organizations o where o.id = old.organization_id for no key update;
    if not exists (
      select 1 from public.organization_members m join public.profiles p on p.id = m.user_id
       where m.organization_id = old.organization_id and m.role = 'org_admin' and m.status = 'active'
         and m.id <> old.id and p.deactivated_at is null
    ) then
      raise exception 'the last active org_admin of organisation % cannot leave, be suspended or be removed: another member accepts an org_admin invitation first (organization_members_last_admin)', old.organization_id
        using errcode = 'check_violation', table = 'organization_members', column = 'status', constraint = 'organization_members_last_admin';
    end if;
  end if;
  return coalesce(new, old);
end`,
  comment: "Trigger: a membership's role never changes through the API; a user's own changes are accepting or declining their invitation and leaving (not while suspended); memberships added through the API start invited, only the invited user accepts them, only the member declines or leaves, who declined or left comes back through a new invitation, and the last active org admin stays.",
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
