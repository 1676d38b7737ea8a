import type { MemberRole } from './personas';

/**
 * The expression nodes a predicate is made of: immutable plain objects with a `kind`, built by the
 * functions in `./expr` and `./helpers`, rendered by `./render`. Nothing here knows SQL text except
 * `raw` (the discouraged escape hatch).
 */

/** A table as policies name it: `public` when drizzle declares no schema. */
export interface TableRef {
  readonly schema: string;
  readonly name: string;
}

/** `"table"."column"`, or `"alias"."column"` inside an aliased `exists`. */
export interface ColumnNode {
  readonly kind: 'column';
  readonly table: TableRef;
  readonly alias: string | undefined;
  /** The SQL column name. */
  readonly column: string;
}

export type LiteralValue = string | number | boolean;

export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: LiteralValue;
}

export type HelperName =
  | 'auth.uid'
  | 'app.is_active_user'
  | 'app.org_ids'
  | 'app.has_role'
  | 'app.member_user_ids'
  | 'app.caseload_student_ids'
  | 'app.assigned_student_ids'
  | 'app.supervised_therapist_ids'
  | 'app.supervision_keys'
  | 'app.managed_therapist_ids'
  | 'app.guardian_student_ids'
  | 'app.own_student_ids'
  | 'app.own_adult_student_ids'
  | 'app.staff_school_ids'
  | 'app.school_student_ids'
  | 'app.care_team_ids'
  | 'app.care_team_keys'
  | 'app.conversation_ids'
  | 'app.message_conversation_ids'
  | 'app.related_student_ids'
  | 'app.related_session_ids'
  | 'app.conversation_peer_ids'
  | 'app.left_conversation_ids'
  | 'app.soft_deleted_ids'
  | 'app.is_platform_admin';

/** A call of an auth/app helper, always rendered as `(select fn(...))` (evaluated once per statement). */
export interface HelperNode<R extends HelperReturn = HelperReturn> {
  readonly kind: 'helper';
  readonly name: HelperName;
  /** `app.org_ids` / `app.member_user_ids` / `app.has_role` only: the member roles, in `MEMBER_ROLES` order; `undefined` means any role. */
  readonly roles: readonly MemberRole[] | undefined;
  readonly returns: R;
}
/** `text[]` helpers return composite keys (`'organization_id/user_id'`), compared with a `key(…)`. */
export type HelperReturn = 'uuid' | 'uuid[]' | 'text[]' | 'boolean';

/** SQL text nobody checked. Only `unsafeRaw` builds it. */
export interface RawNode {
  readonly kind: 'raw';
  readonly sql: string;
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: ValueNode;
  readonly right: ValueNode;
}

export interface NullTestNode {
  readonly kind: 'null-test';
  readonly operand: ValueNode;
  readonly negated: boolean;
}

export interface InListNode {
  readonly kind: 'in-list';
  readonly operand: ValueNode;
  readonly values: readonly LiteralNode[];
}

/**
 * A composite key of a row, `("t"."organization_id"::text || '/' || "t"."therapist_id"::text)`: the
 * left side of `anyOf` against a key helper (`text[]`), so a pair (organisation, person) is matched
 * as a pair and never as two independent sets.
 */
export interface KeyNode {
  readonly kind: 'key';
  readonly parts: readonly ValueNode[];
}

/**
 * `operand = any ((select app.x())::uuid[])`, or for a key
 * `(a::text || '/' || b::text) = any ((select app.x())::text[])`. With `asFilter`,
 * `array_position((select app.x())::uuid[], operand) is not null`: the same rows, but a filter the
 * planner takes as almost always true (and never an index condition) instead of estimating it.
 */
export type AnyNode =
  | { readonly kind: 'any'; readonly operand: ValueNode; readonly array: HelperNode<'uuid[]'>; readonly asFilter?: true }
  | { readonly kind: 'any'; readonly operand: KeyNode; readonly array: HelperNode<'text[]'> };

/**
 * `not (array[a, b] && (select app.x())::uuid[])`: none of the operands is in the helper's set (a
 * null operand is in no set). For the sets a row must stay out of, such as `app.soft_deleted_ids()`.
 */
export interface NoneNode {
  readonly kind: 'none';
  readonly operands: readonly ValueNode[];
  readonly array: HelperNode<'uuid[]'>;
}

export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly PredicateNode[];
}

export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly PredicateNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: PredicateNode;
}

/** `exists (select 1 from "schema"."table" as "alias" where …)`. */
export interface ExistsNode {
  readonly kind: 'exists';
  readonly table: TableRef;
  readonly alias: string | undefined;
  readonly where: PredicateNode;
}

/** `true` / `false`. */
export interface ConstantNode {
  readonly kind: 'constant';
  readonly value: boolean;
}

/** Operands of comparisons. */
export type ValueNode = ColumnNode | LiteralNode | HelperNode<'uuid'> | RawNode;

/** Boolean expressions: what `using` and `withCheck` hold. */
export type PredicateNode =
  | ComparisonNode
  | NullTestNode
  | InListNode
  | AnyNode
  | NoneNode
  | AndNode
  | OrNode
  | NotNode
  | ExistsNode
  | ConstantNode
  | HelperNode<'boolean'>
  | RawNode;

export type ExprNode = ValueNode | PredicateNode | HelperNode | KeyNode;

/**
 * Type-level only: the tables (or `exists` aliases) an expression's columns come from, so a rule on
 * `widgets` cannot use a column of `gadgets` outside an `exists`. Never set at run time.
 */
export interface Scoped<S extends string> {
  readonly '~scope'?: S;
}

/** Type-level only: the TypeScript type of a value's data, to check literals against columns. */
export interface Typed<V> {
  readonly '~value'?: V;
}

/** A boolean expression whose columns come from `S`. */
export type Predicate<S extends string = string> = PredicateNode & Scoped<S>;

/** A comparable value whose columns come from `S` and whose data is `V`. */
export type Value<S extends string = string, V = unknown> = ValueNode & Scoped<S> & Typed<V>;

/** An array-returning helper, the right side of `anyOf`. */
export type ArrayHelper = HelperNode<'uuid[]'>;
/** A key-returning helper (`text[]` of `'a/b'`), the right side of `anyOf(key(…), …)`. */
export type KeyHelper = HelperNode<'text[]'>;
/** A composite key whose columns come from `S`. */
export type Key<S extends string = string> = KeyNode & Scoped<S>;

const NODE_KINDS = new Set([
  'column', 'literal', 'helper', 'raw', 'comparison', 'null-test', 'in-list', 'any', 'none', 'key', 'and', 'or', 'not', 'exists', 'constant',
]);

export function isExprNode(value: unknown): value is ExprNode {
  return typeof value === 'object' && value !== null && NODE_KINDS.has((value as { kind?: unknown }).kind as string);
}

export function isValueNode(value: unknown): value is ValueNode {
  if (!isExprNode(value)) return false;
  return value.kind === 'column' || value.kind === 'literal' || value.kind === 'raw' || (value.kind === 'helper' && value.returns === 'uuid');
}

export function isPredicateNode(value: unknown): value is PredicateNode {
  if (!isExprNode(value)) return false;
  if (value.kind === 'helper') return value.returns === 'boolean';
  return value.kind !== 'column' && value.kind !== 'literal' && value.kind !== 'key';
}

/** Deep-freezes a freshly built node (its children are frozen already). */
export function node<T extends object>(value: T): T {
  return Object.freeze(value);
}
