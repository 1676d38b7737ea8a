import { invalidArgument } from './errors';
import { node, type ArrayHelper, type HelperNode, type KeyHelper, type Predicate, type Value } from './nodes';
import { MEMBER_ROLES, isMemberRole, type MemberRole } from './personas';
import { describe } from './table';

/**
 * The auth and app helpers policies may call. Each is an expression node that renders as
 * `(select fn(...))`, so Postgres evaluates it once per statement (an initPlan) instead of once per
 * row; the typed API cannot produce a bare call.
 */

function helper<R extends HelperNode['returns']>(name: HelperNode['name'], returns: R, roles?: readonly MemberRole[]): HelperNode<R> {
  return node({ kind: 'helper', name, roles: roles === undefined ? undefined : Object.freeze([...roles]), returns });
}

/** Supabase's `auth` schema. */
export const auth = Object.freeze({
  /** The signed-in user's id: `(select auth.uid())`. */
  uid(): Value<never, string> {
    return helper('auth.uid', 'uuid') as HelperNode<'uuid'>;
  },
});

/** The member roles a role helper takes, validated, in canonical order (the same set always renders the same SQL). */
function memberRoles(builder: string, roles: readonly MemberRole[]): readonly MemberRole[] {
  for (const role of roles) {
    if (!isMemberRole(role)) invalidArgument(builder, `unknown member role ${describe(role)}; expected one of ${MEMBER_ROLES.join(', ')}`);
  }
  return MEMBER_ROLES.filter((role) => roles.includes(role));
}

/** A helper taking the caller's member roles (`'{org_admin,billing}'::text[]`), or none for any role. */
function roleHelper(name: 'app.org_ids' | 'app.member_user_ids', builder: string, roles: readonly MemberRole[]): ArrayHelper {
  const canonical = memberRoles(builder, roles);
  return canonical.length === 0 ? helper(name, 'uuid[]') : helper(name, 'uuid[]', canonical);
}

/**
 * The private `app` schema's SECURITY DEFINER helpers. Each counts only the caller's active
 * memberships (not invited, not suspended), of an account that is not deactivated, in a live
 * organisation; a role's helper establishes that role (see `./roles`: every rule's predicate must
 * establish the persona it serves).
 */
export const app = Object.freeze({
  /**
   * Whether the signed-in user's account is active (a profile that is not deactivated): a predicate by
   * itself, the role of `self` rules about the user's own rows (`eq(t.userId, auth.uid())` alone says
   * nothing about the account).
   */
  isActiveUser(): Predicate<never> {
    return helper('app.is_active_user', 'boolean');
  },
  /**
   * Organisations where the user has an active membership with one of `roles` (any role when none
   * are given): `(select app.org_ids('{org_admin,billing}'::text[]))`. Use with `anyOf`.
   */
  orgIds(...roles: MemberRole[]): ArrayHelper {
    return roleHelper('app.org_ids', 'app.orgIds', roles);
  },
  /**
   * Whether the user has an active membership with one of `roles` in any organisation: a predicate
   * by itself, `(select app.has_role('{org_admin,billing}'::text[]))`. For rows that belong to no
   * organisation (a shared catalogue), where `anyOf(t.organizationId, …)` cannot apply.
   */
  hasRole(...roles: [MemberRole, ...MemberRole[]]): Predicate<never> {
    if (roles.length === 0) invalidArgument('app.hasRole', 'needs at least one member role');
    return helper('app.has_role', 'boolean', memberRoles('app.hasRole', roles));
  },
  /**
   * Active members of the organisations where the signed-in user is an active member with one of
   * `roles` (any role when none are given), the user included:
   * `(select app.member_user_ids('{org_admin}'::text[]))`. For tables keyed by user (profiles, therapists).
   */
  memberUserIds(...roles: MemberRole[]): ArrayHelper {
    return roleHelper('app.member_user_ids', 'app.memberUserIds', roles);
  },
  /** Students on the user's current caseload, plus their supervisees' current caseloads (reading). */
  caseloadStudentIds(): ArrayHelper {
    return helper('app.caseload_student_ids', 'uuid[]');
  },
  /** Students on the user's own current caseload, without supervisees' (writing clinical records). */
  assignedStudentIds(): ArrayHelper {
    return helper('app.assigned_student_ids', 'uuid[]');
  },
  /**
   * Therapists the user actively supervises today, in some organisation. A set of people only: pair it
   * with `anyOf(key(t.organizationId, t.therapistId), app.supervisionKeys())`, which keeps each
   * supervision in its own organisation.
   */
  supervisedTherapistIds(): ArrayHelper {
    return helper('app.supervised_therapist_ids', 'uuid[]');
  },
  /** The user's supervisions as `'organization_id/supervisee_id'` keys, for `anyOf(key(…), …)`. */
  supervisionKeys(): KeyHelper {
    return helper('app.supervision_keys', 'text[]');
  },
  /**
   * Therapists whose global record (NPI, licence) the user may write as an org admin: active members
   * of an organisation the user administers who belong to no other organisation.
   */
  managedTherapistIds(): ArrayHelper {
    return helper('app.managed_therapist_ids', 'uuid[]');
  },
  /** Students the user is a guardian of, with portal access. */
  guardianStudentIds(): ArrayHelper {
    return helper('app.guardian_student_ids', 'uuid[]');
  },
  /** The user's own student record(s) (the `student` persona). */
  ownStudentIds(): ArrayHelper {
    return helper('app.own_student_ids', 'uuid[]');
  },
  /** The user's own student record(s), once 18 (an adult student holds their own consent rights). */
  ownAdultStudentIds(): ArrayHelper {
    return helper('app.own_adult_student_ids', 'uuid[]');
  },
  /** Schools where the user is active school staff. */
  staffSchoolIds(): ArrayHelper {
    return helper('app.staff_school_ids', 'uuid[]');
  },
  /** Live students enrolled at the schools where the user is active school staff. */
  schoolStudentIds(): ArrayHelper {
    return helper('app.school_student_ids', 'uuid[]');
  },
  /**
   * The user's care team: therapists currently serving the students the user is a guardian of
   * (portal access), is, or (school staff) has at their school. Empty for everyone else.
   */
  careTeamIds(): ArrayHelper {
    return helper('app.care_team_ids', 'uuid[]');
  },
  /** `careTeamIds()` per student, as `'student_id/therapist_id'` keys: who serves which of the user's students. */
  careTeamKeys(): KeyHelper {
    return helper('app.care_team_keys', 'text[]');
  },
  /** Conversations the user currently participates in. */
  conversationIds(): ArrayHelper {
    return helper('app.conversation_ids', 'uuid[]');
  },
  /**
   * Conversations whose messages the user may read and write: `conversationIds()`, except that a
   * student needs an active `messaging` consent in the conversation's organisation.
   */
  messageConversationIds(): ArrayHelper {
    return helper('app.message_conversation_ids', 'uuid[]');
  },
  /**
   * `caseloadStudentIds()`, `guardianStudentIds()` and `ownStudentIds()` in one evaluation: for
   * tables that grant the same rows to the therapist, guardian and student personas.
   */
  relatedStudentIds(): ArrayHelper {
    return helper('app.related_student_ids', 'uuid[]');
  },
  /** Sessions in which a student of `relatedStudentIds()` takes part (one evaluation per statement instead of a per-row EXISTS). */
  relatedSessionIds(): ArrayHelper {
    return helper('app.related_session_ids', 'uuid[]');
  },
  /** Users who take (or took) part in a conversation of `conversationIds()`. */
  conversationPeerIds(): ArrayHelper {
    return helper('app.conversation_peer_ids', 'uuid[]');
  },
  /**
   * Conversations the user took part in and left (or was made to leave, as a guardian whose link to
   * the child ended): `noneOf([t.conversationId], app.leftConversationIds())` keeps a starter who
   * left from managing the conversation. Establishes no role.
   */
  leftConversationIds(): ArrayHelper {
    return helper('app.left_conversation_ids', 'uuid[]');
  },
  /**
   * Soft-deleted schools, students and sessions of the user's organisations, and the students of a
   * deleted school: `noneOf([t.studentId, t.sessionId], app.softDeletedIds())` hides what hangs off
   * them. Establishes no role.
   */
  softDeletedIds(): ArrayHelper {
    return helper('app.soft_deleted_ids', 'uuid[]');
  },
  /** Whether the user is a platform admin; a predicate by itself. */
  isPlatformAdmin(): Predicate<never> {
    return helper('app.is_platform_admin', 'boolean');
  },
});
