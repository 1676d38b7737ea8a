/**
 * The vocabulary of access rules: who (personas, app member roles, Postgres roles) may do what
 * (operations). Plain constant lists, so docs, validators and the test matrix iterate the same data.
 */

/** App roles stored in `organization_members.role`; the argument type of `app.orgIds(...)`. */
export const MEMBER_ROLES = ['org_admin', 'therapist', 'school_staff', 'guardian', 'student', 'billing'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Who a rule is written for. Used for documentation and the test matrix only: every persona except
 * `anon` reaches the database as the Postgres role `authenticated`, and what separates them is the
 * rule's predicate (membership helpers, `auth.uid()` comparisons), never the role.
 *
 * - `member`: any active member of the organisation, whatever their role.
 * - `self`: the signed-in user acting on rows about themselves (own profile, own notifications).
 * - `supervisor`: a therapist with an active supervision of other therapists.
 * - `platform_admin`: a profile with `is_platform_admin`.
 * - `anon`: an API request without a session (Postgres role `anon`).
 */
export const PERSONAS = [
  'org_admin',
  'therapist',
  'supervisor',
  'school_staff',
  'guardian',
  'student',
  'billing',
  'platform_admin',
  'member',
  'self',
  'anon',
] as const;
export type Persona = (typeof PERSONAS)[number];

/** The Postgres roles a policy can be written for (Supabase's API roles; `service_role` bypasses RLS). */
export const POLICY_ROLES = ['authenticated', 'anon'] as const;
export type PolicyRole = (typeof POLICY_ROLES)[number];

/** The Postgres role a persona's requests run as. */
export function policyRoleOf(persona: Persona): PolicyRole {
  return persona === 'anon' ? 'anon' : 'authenticated';
}

export function isPersona(value: unknown): value is Persona {
  return typeof value === 'string' && (PERSONAS as readonly string[]).includes(value);
}

export function isMemberRole(value: unknown): value is MemberRole {
  return typeof value === 'string' && (MEMBER_ROLES as readonly string[]).includes(value);
}

const MEMBER_PERSONAS: readonly Persona[] = ['org_admin', 'therapist', 'supervisor', 'school_staff', 'guardian', 'student', 'billing'];

/**
 * The personas whose rules also apply to `persona`: itself; `member` for every member role;
 * `self` for every signed-in persona (everyone has their own rows); `therapist` for `supervisor`
 * (a supervisor is a therapist too). Used by the matrices; it never widens a policy.
 */
export function personasCovering(persona: Persona): readonly Persona[] {
  const covering: Persona[] = [persona];
  if (persona === 'supervisor') covering.push('therapist');
  if (MEMBER_PERSONAS.includes(persona)) covering.push('member');
  if (persona !== 'anon' && persona !== 'self') covering.push('self');
  return covering;
}
