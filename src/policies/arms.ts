import { therapySessions } from '../schema';
import { and, anyOf, app, auth, eq, exists, isNull, key, noneOf, type Operand, type Predicate, type ScopeOf } from './dsl';

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

/**
 * The row's session is the caller's own live session, in an organisation where they count as a
 * therapist: "CRU own" sessions. A caseload student does not open a colleague's session to the
 * caller (adding the student, recording attendance, a note or a data point there). The EXISTS reads
 * `therapy_sessions` by primary key, under its own select policy.
 */
export function ownSession<S extends Operand>(session: S): Predicate<ScopeOf<S>> {
  return exists(therapySessions, 'os', (s) =>
    and(eq(s.id, session), eq(s.therapistId, auth.uid()), isNull(s.deletedAt), anyOf(s.organizationId, app.orgIds('therapist'))),
  ) as Predicate<ScopeOf<S>>;
}
