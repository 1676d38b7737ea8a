import { invalidArgument } from './errors';
import { node, type ArrayHelper, type HelperNode, type Predicate, type Value } from './nodes';
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

/** The private `app` schema's SECURITY DEFINER helpers (they read memberships without recursion). */
export const app = Object.freeze({
  /**
   * Organisations where the user has an active membership with one of `roles` (any role when none
   * are given): `(select app.org_ids('{org_admin,billing}'::text[]))`. Use with `anyOf`.
   */
  orgIds(...roles: MemberRole[]): ArrayHelper {
    for (const role of roles) {
      if (!isMemberRole(role)) invalidArgument('app.orgIds', `unknown member role ${describe(role)}; expected one of ${MEMBER_ROLES.join(', ')}`);
    }
    if (roles.length === 0) return helper('app.org_ids', 'uuid[]');
    // canonical order, so the same set of roles always renders the same SQL
    return helper('app.org_ids', 'uuid[]', MEMBER_ROLES.filter((role) => roles.includes(role)));
  },
  /** Students on the user's active caseload, plus their supervisees' caseloads. */
  caseloadStudentIds(): ArrayHelper {
    return helper('app.caseload_student_ids', 'uuid[]');
  },
  /** Students the user is a guardian of, with portal access. */
  guardianStudentIds(): ArrayHelper {
    return helper('app.guardian_student_ids', 'uuid[]');
  },
  /** Conversations the user currently participates in. */
  conversationIds(): ArrayHelper {
    return helper('app.conversation_ids', 'uuid[]');
  },
  /** Whether the user is a platform admin; a predicate by itself. */
  isPlatformAdmin(): Predicate<never> {
    return helper('app.is_platform_admin', 'boolean');
  },
});
