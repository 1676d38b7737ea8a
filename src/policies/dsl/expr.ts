import { invalidArgument } from './errors';
import {
  isPredicateNode,
  isValueNode,
  node,
  type ArrayHelper,
  type ComparisonOperator,
  type Key,
  type KeyHelper,
  type LiteralNode,
  type LiteralValue,
  type Predicate,
  type PredicateNode,
  type Typed,
  type Value,
  type ValueNode,
} from './nodes';
import { columnNodeOf, columnRefs, describe, isColumn, tableRefOf, type AnyTable, type ColumnRefs, type TableColumn, type TableName } from './table';

/** What comparisons accept: a Drizzle column or a value node (column ref, literal, `auth.uid()`). */
export type Operand = TableColumn | Value<string, unknown>;

/** The tables an operand's columns come from (type level). */
export type ScopeOf<O> = O extends TableColumn
  ? O['_']['tableName']
  : O extends { readonly '~scope'?: infer S }
    ? S extends string
      ? S
      : never
    : never;

/** The data type of an operand (type level). */
export type ValueOf<O> = O extends TableColumn ? O['_']['data'] : O extends Typed<infer V> ? V : never;

/** The JavaScript literals comparable with an operand: `'signed'` for a status column of that enum. */
export type LiteralOf<O> = Extract<ValueOf<O>, LiteralValue>;

function literalNode(value: unknown, builder: string): LiteralNode {
  if (value === null || value === undefined) {
    invalidArgument(builder, `received ${describe(value)}; compare with null through isNull(...) or isNotNull(...)`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) invalidArgument(builder, `received ${describe(value)}; literals must be finite numbers`);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    invalidArgument(builder, `expected a column, a value node or a string/number/boolean literal, received ${describe(value)}`);
  }
  return node({ kind: 'literal', value });
}

/** Turns a column, value node or JS literal into a value node. */
export function toValueNode(value: unknown, builder: string): ValueNode {
  if (isColumn(value)) return columnNodeOf(value);
  if (isValueNode(value)) return value;
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'helper') {
    invalidArgument(builder, 'an array or boolean helper cannot be compared; use anyOf(column, app.x()) for arrays, or the boolean helper as a predicate itself');
  }
  if (isPredicateNode(value)) invalidArgument(builder, `expected a value but received a ${value.kind} predicate`);
  return literalNode(value, builder);
}

export function toPredicateNode(value: unknown, builder: string): PredicateNode {
  if (isPredicateNode(value)) return value;
  if (isColumn(value)) invalidArgument(builder, `a column is not a predicate; write eq(column, true) for a boolean column (got ${value.name})`);
  invalidArgument(builder, `expected a predicate (eq, and, anyOf, …), received ${isValueNode(value) ? `a ${value.kind} value` : describe(value)}`);
}

/** A column reference; `eq(t.x, …)` accepts the Drizzle column directly too. */
export function col<C extends TableColumn>(column: C): Value<C['_']['tableName'], C['_']['data']> {
  if (!isColumn(column)) invalidArgument('col', `expected a Drizzle column, received ${describe(column)}`);
  return columnNodeOf(column);
}

/** A literal; comparisons also accept plain strings, numbers and booleans. */
export function lit<V extends LiteralValue>(value: V): Value<never, V> {
  return literalNode(value, 'lit');
}

function comparison(operator: ComparisonOperator, builder: string, a: unknown, b: unknown): PredicateNode {
  return node({ kind: 'comparison', operator, left: toValueNode(a, builder), right: toValueNode(b, builder) });
}

/** `a = b`. */
export function eq<A extends Operand, B extends Operand | LiteralOf<A>>(a: A, b: B): Predicate<ScopeOf<A> | ScopeOf<B>> {
  return comparison('=', 'eq', a, b);
}
/** `a <> b` (false when either side is null; add `isNull` if null should match). */
export function ne<A extends Operand, B extends Operand | LiteralOf<A>>(a: A, b: B): Predicate<ScopeOf<A> | ScopeOf<B>> {
  return comparison('<>', 'ne', a, b);
}
export function lt<A extends Operand, B extends Operand | LiteralOf<A>>(a: A, b: B): Predicate<ScopeOf<A> | ScopeOf<B>> {
  return comparison('<', 'lt', a, b);
}
export function lte<A extends Operand, B extends Operand | LiteralOf<A>>(a: A, b: B): Predicate<ScopeOf<A> | ScopeOf<B>> {
  return comparison('<=', 'lte', a, b);
}
export function gt<A extends Operand, B extends Operand | LiteralOf<A>>(a: A, b: B): Predicate<ScopeOf<A> | ScopeOf<B>> {
  return comparison('>', 'gt', a, b);
}
export function gte<A extends Operand, B extends Operand | LiteralOf<A>>(a: A, b: B): Predicate<ScopeOf<A> | ScopeOf<B>> {
  return comparison('>=', 'gte', a, b);
}

/** `a is null`. */
export function isNull<A extends Operand>(a: A): Predicate<ScopeOf<A>> {
  return node({ kind: 'null-test', operand: toValueNode(a, 'isNull'), negated: false });
}
/** `a is not null`. */
export function isNotNull<A extends Operand>(a: A): Predicate<ScopeOf<A>> {
  return node({ kind: 'null-test', operand: toValueNode(a, 'isNotNull'), negated: true });
}

/** `a in ('x', 'y')` over literals of the column's type. */
export function inList<A extends Operand>(a: A, values: readonly LiteralOf<A>[]): Predicate<ScopeOf<A>> {
  if (!Array.isArray(values) || values.length === 0) invalidArgument('inList', 'needs a non-empty array of literals; an empty list matches nothing');
  const literals = values.map((value) => literalNode(value, 'inList'));
  return node({ kind: 'in-list', operand: toValueNode(a, 'inList'), values: Object.freeze(literals) });
}

/**
 * `a = any ((select app.x())::uuid[])`, for the array helpers (`app.orgIds()`, `app.caseloadStudentIds()`, …);
 * or, for a composite key and a key helper, `(a::text || '/' || b::text) = any ((select app.x())::text[])`.
 */
export function anyOf<A extends Operand>(a: A, array: ArrayHelper): Predicate<ScopeOf<A>>;
export function anyOf<S extends string>(a: Key<S>, array: KeyHelper): Predicate<S>;
export function anyOf(a: unknown, array: unknown): PredicateNode {
  const helper = array as { kind?: unknown; returns?: unknown } | null;
  const isHelper = typeof helper === 'object' && helper !== null && helper.kind === 'helper';
  if (isKeyNode(a)) {
    if (!isHelper || helper.returns !== 'text[]') {
      invalidArgument('anyOf', `a key(…) is compared with a key helper such as app.supervisionKeys(), received ${describe(array)}`);
    }
    return node({ kind: 'any', operand: a, array: array as KeyHelper });
  }
  if (!isHelper || helper.returns !== 'uuid[]') {
    invalidArgument(
      'anyOf',
      `the second argument must be an array helper such as app.orgIds('org_admin') or app.caseloadStudentIds()${isHelper && helper.returns === 'text[]' ? ' (a key helper needs key(…) on the left)' : ''}, received ${describe(array)}`,
    );
  }
  return node({ kind: 'any', operand: toValueNode(a, 'anyOf'), array: array as ArrayHelper });
}

function isKeyNode(value: unknown): value is Key {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'key';
}

/**
 * A composite key of columns, `("t"."organization_id"::text || '/' || "t"."therapist_id"::text)`,
 * for `anyOf(key(…), app.supervisionKeys())`: the pair matched as a pair.
 */
export function key<A extends Operand, B extends Operand>(a: A, b: B): Key<ScopeOf<A> | ScopeOf<B>> {
  return node({ kind: 'key', parts: Object.freeze([toValueNode(a, 'key'), toValueNode(b, 'key')]) });
}

/**
 * `not (array[a, b] && (select app.x())::uuid[])`: none of the columns is in the helper's set; a
 * null column is in no set. For sets a row must stay out of, e.g.
 * `noneOf([t.studentId, t.sessionId], app.softDeletedIds())`.
 */
export function noneOf<C extends readonly [Operand, ...Operand[]]>(columns: C, array: ArrayHelper): Predicate<ScopeOf<C[number]>> {
  if (!Array.isArray(columns) || columns.length === 0) invalidArgument('noneOf', 'needs a non-empty array of columns');
  if (typeof array !== 'object' || array === null || (array as { kind?: unknown }).kind !== 'helper' || array.returns !== 'uuid[]') {
    invalidArgument('noneOf', `the second argument must be an array helper such as app.softDeletedIds(), received ${describe(array)}`);
  }
  return node({ kind: 'none', operands: Object.freeze(columns.map((c) => toValueNode(c, 'noneOf'))), array });
}

function junction(kind: 'and' | 'or', predicates: readonly unknown[]): PredicateNode {
  if (predicates.length === 0) invalidArgument(kind, 'needs at least one predicate');
  const operands: PredicateNode[] = [];
  for (const predicate of predicates) {
    const operand = toPredicateNode(predicate, kind);
    if (operand.kind === kind) operands.push(...operand.operands);
    else operands.push(operand);
  }
  if (operands.length === 1) return operands[0] as PredicateNode;
  return node({ kind, operands: Object.freeze(operands) });
}

/** All of the predicates (nested `and`s are flattened). */
export function and<S extends string>(...predicates: readonly [Predicate<S>, ...Predicate<S>[]]): Predicate<S> {
  return junction('and', predicates);
}

/** Any of the predicates (nested `or`s are flattened). */
export function or<S extends string>(...predicates: readonly [Predicate<S>, ...Predicate<S>[]]): Predicate<S> {
  return junction('or', predicates);
}

export function not<S extends string>(predicate: Predicate<S>): Predicate<S> {
  return node({ kind: 'not', operand: toPredicateNode(predicate, 'not') });
}

/**
 * `exists (select 1 from <table> [as alias] where …)`, correlated with the policy's table through
 * its columns. `where` receives the subquery table's columns (qualified by the alias). Prefer the
 * `app` helpers: an `exists` over a table with its own policies is where policy recursion starts.
 */
export function exists<T extends AnyTable, S extends string>(
  table: T,
  where: (refs: ColumnRefs<T, TableName<T>>) => Predicate<S>,
): Predicate<Exclude<S, TableName<T>>>;
export function exists<T extends AnyTable, A extends string, S extends string>(
  table: T,
  alias: A,
  where: (refs: ColumnRefs<T, A>) => Predicate<S>,
): Predicate<Exclude<S, A>>;
export function exists(table: AnyTable, aliasOrWhere: unknown, maybeWhere?: unknown): PredicateNode {
  const alias = typeof aliasOrWhere === 'string' ? aliasOrWhere : undefined;
  const where = typeof aliasOrWhere === 'function' ? aliasOrWhere : maybeWhere;
  if (alias !== undefined && !/^[a-z_][a-z0-9_]*$/.test(alias)) invalidArgument('exists', `alias ${JSON.stringify(alias)} must be a lower-case SQL identifier`);
  if (typeof where !== 'function') invalidArgument('exists', 'expects (table, where) or (table, alias, where) with where a function of the columns');
  const refs = columnRefs(table, alias);
  const condition = toPredicateNode((where as (refs: unknown) => unknown)(refs), 'exists');
  return node({ kind: 'exists', table: tableRefOf(table), alias, where: condition });
}

/**
 * The always-true predicate (`using (true)`). Refused by validation unless the rule says why with
 * `deliberatelyPublic`.
 */
export function always(): Predicate<never> {
  return node({ kind: 'constant', value: true });
}

/**
 * Unchecked SQL, rendered verbatim (wrapped in parentheses when nested). Discouraged: it is not
 * typed, not scoped, and only screened for bare `auth.uid()` / `app.*()` calls. Usable as a
 * predicate or as a comparison operand, e.g. `gt(t.createdAt, unsafeRaw("now() - interval '15 minutes'"))`.
 */
export function unsafeRaw<V = unknown>(sqlText: string): Predicate<never> & Value<never, V> {
  if (typeof sqlText !== 'string' || sqlText.trim() === '') invalidArgument('unsafeRaw', 'needs non-empty SQL text');
  return node({ kind: 'raw', sql: sqlText.trim() });
}
