import type { Predicate } from './nodes';
import type { Operation } from './operations';
import type { Persona } from './personas';
import type { AnyTable, ColumnKey, TableName } from './table';

/** What a rule's predicate callbacks receive: `t` is the Drizzle table the access is declared on. */
export interface RuleContext<T extends AnyTable> {
  readonly t: T;
}

/** A predicate over the table's own columns, or a function of the table that returns one. */
export type PredicateInput<T extends AnyTable> = Predicate<TableName<T>> | ((context: RuleContext<T>) => Predicate<TableName<T>>);

export interface RuleOptions<T extends AnyTable> {
  /** Who the rule is for: documentation and the test matrix (the Postgres role follows: `anon` or `authenticated`). */
  readonly who: Persona | readonly [Persona, ...Persona[]];
  /** Rows the user may see / update / delete (`USING`). Required for select, update and delete. */
  readonly using?: PredicateInput<T>;
  /**
   * Rows the user may write (`WITH CHECK`). Required for an insert-only rule; for update (and
   * insert in a multi-operation rule) it defaults to `using`, as Postgres does for `for all`.
   */
  readonly withCheck?: PredicateInput<T>;
  /**
   * The columns (TypeScript keys) update may change, granted column by column (`grant update (…)`);
   * the rule must allow update. Grants are per table and Postgres role, not per rule: the table's
   * grant is the union over its update rules, and an update rule without `columns` makes the whole
   * row updatable. Insert stays whole-row (it must set keys and the tenant column).
   */
  readonly columns?: readonly [ColumnKey<T>, ...ColumnKey<T>[]];
  /** Required when the predicate is always true, or the rule is for `anon`: say why the rows are public. */
  readonly deliberatelyPublic?: string;
  /** A short human description for the access matrix, e.g. `own sessions`; defaults to the SQL. */
  readonly summary?: string;
}

/** A rule as written, before `tableAccess` resolves it against its table. */
export interface RuleSpec<T extends AnyTable> extends RuleOptions<T> {
  readonly kind: 'rule';
  readonly operations: readonly Operation[];
  /** Type-level only: ties the rule to its table so callbacks see the right columns. */
  readonly '~table'?: (table: T) => T;
}

/**
 * Allows `operations` to `who` on the rows matched by the predicates. Rules of one table, operation
 * and Postgres role are OR-ed into one permissive policy, so rules only ever add access.
 *
 * ```ts
 * allow('select', { who: 'therapist', using: ({ t }) => eq(t.therapistId, auth.uid()) })
 * ```
 */
export function allow<T extends AnyTable>(operations: Operation | readonly [Operation, ...Operation[]], options: RuleOptions<T>): RuleSpec<T> {
  const list: readonly Operation[] = typeof operations === 'string' ? [operations] : Array.isArray(operations) ? operations : [];
  return Object.freeze({ ...options, kind: 'rule' as const, operations: Object.freeze([...list]) });
}
