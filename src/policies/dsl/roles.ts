import type { HelperName, HelperNode, PredicateNode } from './nodes';
import { MEMBER_ROLES, PERSONAS, type MemberRole, type Persona } from './personas';

/**
 * Which personas a predicate *establishes*: the caller can only satisfy it while holding one of
 * them. Every rule must establish the persona(s) it serves (`who`), or any signed-in user — of any
 * role, suspended, of another organisation — could match an arm meant for one role. A predicate on
 * `auth.uid()` alone (`eq(t.authorId, auth.uid())`) establishes nothing: the author may since have
 * been suspended as a therapist and stay active as a guardian.
 *
 * Only the `app` helpers establish roles; each counts the caller's active memberships of an active
 * account, of the role it serves.
 */

/** Member roles as personas (the same names). */
const personaOfRole = (role: MemberRole): Persona => role;

/** The personas a helper establishes, or `[]` for helpers that establish none (`auth.uid()`, the soft-delete set). */
const HELPER_PERSONAS: Readonly<Record<HelperName, readonly Persona[]>> = {
  'auth.uid': [],
  'app.is_active_user': ['self'],
  'app.org_ids': ['member'],
  'app.has_role': ['member'],
  'app.member_user_ids': ['org_admin', 'therapist', 'school_staff', 'billing'],
  'app.caseload_student_ids': ['therapist'],
  'app.assigned_student_ids': ['therapist'],
  'app.supervised_therapist_ids': ['supervisor'],
  'app.supervision_keys': ['supervisor'],
  'app.managed_therapist_ids': ['org_admin'],
  'app.guardian_student_ids': ['guardian'],
  'app.own_student_ids': ['student'],
  'app.own_adult_student_ids': ['student'],
  'app.staff_school_ids': ['school_staff'],
  'app.school_student_ids': ['school_staff'],
  'app.care_team_ids': ['guardian', 'student', 'school_staff'],
  'app.care_team_keys': ['guardian', 'student', 'school_staff'],
  'app.conversation_ids': ['member'],
  'app.message_conversation_ids': ['member'],
  'app.conversation_peer_ids': ['member'],
  'app.left_conversation_ids': [],
  'app.related_student_ids': ['therapist', 'guardian', 'student'],
  'app.related_session_ids': ['therapist', 'guardian', 'student'],
  'app.soft_deleted_ids': [],
  'app.is_platform_admin': ['platform_admin'],
};

/** The personas a helper call establishes: its roles when it takes some (`app.orgIds('therapist')`). */
export function personasOfHelper(helper: HelperNode): readonly Persona[] {
  if (helper.roles !== undefined && helper.roles.length > 0) return helper.roles.map(personaOfRole);
  return HELPER_PERSONAS[helper.name];
}

const MEMBER_PERSONAS: readonly Persona[] = [...MEMBER_ROLES.map(personaOfRole), 'supervisor'];

/**
 * The personas that satisfy a rule written for `who`: `therapist` also covers a supervisor (a
 * supervisor is a therapist), `member` any member role, `self` any signed-in persona.
 */
export function personasServedBy(who: readonly Persona[]): ReadonlySet<Persona> {
  const served = new Set<Persona>();
  for (const persona of who) {
    served.add(persona);
    if (persona === 'therapist') served.add('supervisor');
    if (persona === 'member') MEMBER_PERSONAS.forEach((p) => served.add(p));
    if (persona === 'self') PERSONAS.filter((p) => p !== 'anon').forEach((p) => served.add(p));
  }
  return served;
}

/**
 * What a predicate guarantees about the caller, as a list of alternatives each of which holds: for
 * every set in the list, the caller holds one of its personas. `and` collects its operands'
 * guarantees; `or` guarantees only what every branch does (the union of one set per branch); an
 * `exists` guarantees what its condition does; a negation guarantees nothing.
 */
export function roleGuarantees(predicate: PredicateNode): ReadonlySet<Persona>[] {
  switch (predicate.kind) {
    case 'any':
      return personasOfHelper(predicate.array).length > 0 ? [new Set(personasOfHelper(predicate.array))] : [];
    case 'helper':
      return personasOfHelper(predicate).length > 0 ? [new Set(personasOfHelper(predicate))] : [];
    case 'and':
      return predicate.operands.flatMap(roleGuarantees);
    case 'or': {
      let combined: ReadonlySet<Persona>[] | undefined;
      for (const operand of predicate.operands) {
        const branch = roleGuarantees(operand);
        combined = combined === undefined ? branch : combined.flatMap((a) => branch.map((b) => new Set([...a, ...b])));
        if (combined.length === 0) return [];
      }
      return combined ?? [];
    }
    case 'exists':
      return roleGuarantees(predicate.where);
    default:
      return [];
  }
}

/** Whether `predicate` establishes one of the personas of `who`: some guarantee lies within what `who` serves. */
export function establishesRole(predicate: PredicateNode, who: readonly Persona[]): boolean {
  const served = personasServedBy(who);
  return roleGuarantees(predicate).some((guarantee) => [...guarantee].every((persona) => served.has(persona)));
}
