import { and, anyOf, app, key, noneOf, type Operand, type Predicate, type ScopeOf } from './dsl';

/**
 * Predicates several areas' policies share, written once.
 */

/**
 * The row's therapist is supervised by the caller *in the row's organisation*. The uuid test comes
 * first and is cheap (most rows fail it); only rows of a supervisee pay for the composite key,
 * which keeps a supervision of org A from reaching the same therapist's rows in org B.
 */
export function supervisedIn<O extends Operand, T extends Operand>(organization: O, therapist: T): Predicate<ScopeOf<O> | ScopeOf<T>> {
  return and(anyOf(therapist, app.supervisedTherapistIds()), anyOf(key(organization, therapist), app.supervisionKeys()));
}

/**
 * None of the row's references (student, session, school) is soft-deleted: soft-deleting a student,
 * session or school hides what hangs off it from everyone but org admins. For the arms whose helper
 * does not already return live rows only.
 */
export function live<C extends readonly [Operand, ...Operand[]]>(...references: C): Predicate<ScopeOf<C[number]>> {
  return noneOf(references, app.softDeletedIds());
}
