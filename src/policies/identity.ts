import { organizationMembers, organizations, profiles, schools } from '../schema';
import { allow, and, anyOf, app, auth, eq, inList, isNull, ne, policiesByName, tableAccess } from './dsl';

/**
 * Identity and organisation: the tenant itself, its schools, people's profiles and their app roles.
 * Nobody changes their own membership (the policy below, and the `organization_members_protect_own`
 * trigger) except to accept an invitation, and `profiles.is_platform_admin` is never among the
 * columns `authenticated` may update.
 *
 * Membership needs the member's consent: an org admin only *invites* (`status = 'invited'`), an
 * invitation counts for nothing (every helper reads active memberships only), and only the invited
 * user turns it active or declines it, on their own row, changing nothing else; a member leaves by
 * themselves (`active → left`), not while suspended nor as the last active org admin. A declined
 * or left membership counts for nothing either. A
 * role is what the member accepted: nobody changes it through the API (no column grant, and the
 * trigger's `organization_members_role_immutable`); another role is a new invitation.
 */

export const organizationsAccess = tableAccess(organizations, {
  tenant: { column: organizations.id },
  rules: [
    allow('select', {
      who: 'member',
      summary: 'their organisations (live)',
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.id, app.orgIds())),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'their organisations, soft-deleted included',
      using: ({ t }) => anyOf(t.id, app.orgIds('org_admin')),
    }),
    allow('update', {
      who: 'org_admin',
      summary: "their organisation's details and settings",
      using: ({ t }) => anyOf(t.id, app.orgIds('org_admin')),
      columns: ['name', 'slug', 'orgType', 'stateCode', 'timezone', 'npi', 'medicaidProviderId', 'settings'],
    }),
  ],
});

export const schoolsAccess = tableAccess(schools, {
  tenant: { column: schools.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: 'schools of their organisations (live)',
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.organizationId, app.orgIds())),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'schools of their organisations, soft-deleted included',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow(['insert', 'update'], {
      who: 'org_admin',
      summary: 'schools of their organisations (soft delete: set deleted_at)',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['name', 'ncesSchoolId', 'address', 'timezone', 'deletedAt'],
    }),
  ],
});

export const profilesAccess = tableAccess(profiles, {
  rules: [
    allow('select', {
      who: 'self',
      summary: 'their own profile',
      using: ({ t }) => and(eq(t.id, auth.uid()), app.isActiveUser()),
    }),
    // Conversation peers before organisation members: a guardian reading message senders then never
    // runs the staff-only helper, while staff pay one cheap call (OR arms run left to right).
    allow('select', {
      who: 'member',
      summary: 'people they share a conversation with',
      using: ({ t }) => anyOf(t.id, app.conversationPeerIds()),
    }),
    allow('select', {
      who: ['org_admin', 'therapist', 'billing'],
      summary: 'members of their organisations',
      using: ({ t }) => anyOf(t.id, app.memberUserIds('org_admin', 'therapist', 'billing')),
    }),
    allow('select', {
      who: ['guardian', 'student', 'school_staff'],
      summary: 'their care team: therapists currently serving their students',
      using: ({ t }) => anyOf(t.id, app.careTeamIds()),
    }),
    allow('update', {
      who: 'self',
      summary: 'their own profile, safe columns only (never is_platform_admin)',
      using: ({ t }) => and(eq(t.id, auth.uid()), app.isActiveUser()),
      columns: ['displayName', 'phone', 'avatarPath', 'locale'],
    }),
  ],
});

export const organizationMembersAccess = tableAccess(organizationMembers, {
  tenant: {
    column: organizationMembers.organizationId,
    ownRows: { column: organizationMembers.userId, reason: 'an invited user reads and accepts their own invitation before the organisation counts them' },
  },
  rules: [
    allow('select', {
      who: 'self',
      summary: 'their own memberships, invitations included',
      using: ({ t }) => and(eq(t.userId, auth.uid()), app.isActiveUser()),
    }),
    allow('update', {
      who: 'self',
      summary:
        'their own decisions: accepting or declining their invitation (invited → active or declined), leaving (active → left; not while suspended, not as the last active org admin), nothing else (trigger organization_members_protect_own)',
      using: ({ t }) => and(eq(t.userId, auth.uid()), inList(t.status, ['invited', 'active']), app.isActiveUser()),
      withCheck: ({ t }) => and(eq(t.userId, auth.uid()), inList(t.status, ['active', 'declined', 'left']), app.isActiveUser()),
      columns: ['status'],
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'every membership of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('insert', {
      who: 'org_admin',
      summary: 'inviting people to their organisations (status invited; the user accepts), never themselves',
      withCheck: ({ t }) => and(anyOf(t.organizationId, app.orgIds('org_admin')), ne(t.userId, auth.uid()), eq(t.status, 'invited')),
    }),
    allow(['update', 'delete'], {
      who: 'org_admin',
      summary:
        "memberships of their organisations, never their own (suspend, reinstate, remove, invite again someone who declined or left; never the role, which the member accepted; an invitation is accepted or declined by its user only, and only the member leaves)",
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds('org_admin')), ne(t.userId, auth.uid())),
      columns: ['schoolId', 'status'],
    }),
  ],
});

export const identityAccess = [organizationsAccess, schoolsAccess, profilesAccess, organizationMembersAccess] as const;

export const {
  organizations_tenant_isolation,
  organizations_select_authenticated,
  organizations_update_authenticated,
} = policiesByName(organizationsAccess);

export const {
  schools_tenant_isolation,
  schools_select_authenticated,
  schools_insert_authenticated,
  schools_update_authenticated,
} = policiesByName(schoolsAccess);

export const { profiles_select_authenticated, profiles_update_authenticated } = policiesByName(profilesAccess);

export const {
  organization_members_tenant_isolation,
  organization_members_select_authenticated,
  organization_members_insert_authenticated,
  organization_members_update_authenticated,
  organization_members_delete_authenticated,
} = policiesByName(organizationMembersAccess);
