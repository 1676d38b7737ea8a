import { columnName } from './label';

/**
 * Row rules: the CHECK constraints (and the single-row parts of triggers) that read more than one
 * column. A rule names the database rule it mirrors, the keys it reads and the issues it finds;
 * the table builder runs it when every key it reads is known and valid, so a rule never reports
 * about a field that is missing or already wrong.
 */

export interface RuleIssue<K extends string> {
  /** The field the form should highlight. */
  readonly path: K;
  readonly message: string;
}

/**
 * A rule over the columns `K` of rows of type `Row` (the table's row as the database holds it, so
 * comparing with a value outside a code list does not compile).
 */
export interface RowRule<K extends string = string, Row = Record<K, unknown>> {
  /** The database rule mirrored, as the database names it (`therapy_sessions_end_after_start_check`). */
  readonly constraint: string;
  /** The keys the rule reads. */
  readonly reads: readonly K[];
  /**
   * Issues for a row. Values are parsed (a `Date` for timestamps, canonical uuids, stored decimals)
   * and `null` for SQL NULL.
   */
  readonly check: (row: Readonly<Pick<Row, K & keyof Row>>) => readonly RuleIssue<K>[];
}

/**
 * A rule with one message, under SQL's three-valued logic: a CHECK fails only when its expression
 * is false, so `holds` returns `true`, `false` or `null` (unknown, which passes).
 */
export function rule<Row, const K extends keyof Row & string>(spec: {
  constraint: string;
  reads: readonly K[];
  path: NoInfer<K>;
  message: string;
  holds: (row: Readonly<Pick<Row, K>>) => boolean | null;
}): RowRule<K, Row> {
  return {
    constraint: spec.constraint,
    reads: spec.reads,
    check: (row) => (spec.holds(row as Readonly<Pick<Row, K>>) === false ? [{ path: spec.path, message: spec.message }] : []),
  };
}

/** Orders two dates, timestamps or numbers; `null` when either is NULL. */
export function compare(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0; // ISO dates sort as text
  return null;
}

/**
 * `later > earlier` (or `>=` with `orEqual`), passing when either is NULL: `end_time must be after
 * start_time`, `ends_on must not be before starts_on`.
 */
export function ordered<Row, const L extends keyof Row & string, const E extends keyof Row & string>(
  constraint: string,
  later: L,
  earlier: E,
  options: { orEqual?: boolean } = {},
): RowRule<L | E, Row> {
  return rule<Row, L | E>({
    constraint,
    reads: [later, earlier],
    path: later,
    message: options.orEqual
      ? `${columnName(later)} must not be before ${columnName(earlier)}`
      : `${columnName(later)} must be after ${columnName(earlier)}`,
    holds: (row) => {
      const order = compare(row[later], row[earlier]);
      return order === null ? null : options.orEqual ? order >= 0 : order > 0;
    },
  });
}

/** `(a is null) = (b is null)`: the field left empty gets the issue. */
export function bothOrNeither<Row, const A extends keyof Row & string, const B extends keyof Row & string>(constraint: string, a: A, b: B): RowRule<A | B, Row> {
  return {
    constraint,
    reads: [a, b],
    check: (row) => {
      const values = row as Readonly<Record<A | B, unknown>>;
      const hasA = values[a] !== null;
      const hasB = values[b] !== null;
      if (hasA === hasB) return [];
      const [missing, present] = hasA ? [b, a] : [a, b];
      return [{ path: missing, message: `${columnName(missing)} is required when ${columnName(present)} is set` }];
    },
  };
}
