import type { ColumnNode, ExprNode, HelperNode, KeyNode, LiteralNode, PredicateNode, TableRef, ValueNode } from './nodes';

/**
 * Renders expression nodes to SQL text. Deterministic (same nodes, same bytes) and with few
 * parentheses: only where precedence needs them, plus around an `and` inside an `or` so a reviewer
 * never has to remember that `and` binds tighter. Helpers always render as `(select …)`.
 */

/** Always-quoted identifier, as drizzle-kit writes column references. */
export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

export function renderTable(table: TableRef): string {
  return `${quote(table.schema)}.${quote(table.name)}`;
}

function renderColumn(column: ColumnNode): string {
  if (column.alias !== undefined) return `${quote(column.alias)}.${quote(column.column)}`;
  const qualifier = column.table.schema === 'public' ? quote(column.table.name) : `${quote(column.table.schema)}.${quote(column.table.name)}`;
  return `${qualifier}.${quote(column.column)}`;
}

function renderLiteral(literal: LiteralNode): string {
  const { value } = literal;
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

/** `(select auth.uid())`, `(select app.org_ids('{org_admin,billing}'::text[]))`. */
export function renderHelper(helper: HelperNode): string {
  const args = helper.roles === undefined ? '' : `'{${helper.roles.join(',')}}'::text[]`;
  return `(select ${helper.name}(${args}))`;
}

function renderValue(value: ValueNode): string {
  switch (value.kind) {
    case 'column':
      return renderColumn(value);
    case 'literal':
      return renderLiteral(value);
    case 'helper':
      return renderHelper(value);
    case 'raw':
      return `(${value.sql})`;
  }
}

/** `("t"."organization_id"::text || '/' || "t"."therapist_id"::text)`. */
function renderKey(key: KeyNode): string {
  return `(${key.parts.map((part) => `${renderValue(part)}::text`).join(" || '/' || ")})`;
}

type Context = 'top' | 'or' | 'and' | 'not';

function wrapIf(condition: boolean, text: string): string {
  return condition ? `(${text})` : text;
}

function renderIn(predicate: PredicateNode, context: Context): string {
  switch (predicate.kind) {
    case 'or':
      return wrapIf(context !== 'top' && context !== 'or', predicate.operands.map((p) => renderIn(p, 'or')).join(' or '));
    case 'and':
      return wrapIf(context !== 'top' && context !== 'and', predicate.operands.map((p) => renderIn(p, 'and')).join(' and '));
    case 'not': {
      const operand = predicate.operand;
      const bare = operand.kind === 'exists' || operand.kind === 'helper' || operand.kind === 'constant' || operand.kind === 'not';
      return `not ${bare ? renderIn(operand, 'not') : `(${renderIn(operand, 'top')})`}`;
    }
    case 'comparison':
      return `${renderValue(predicate.left)} ${predicate.operator} ${renderValue(predicate.right)}`;
    case 'null-test':
      return `${renderValue(predicate.operand)} is ${predicate.negated ? 'not null' : 'null'}`;
    case 'in-list':
      return `${renderValue(predicate.operand)} in (${predicate.values.map(renderLiteral).join(', ')})`;
    case 'any':
      if (predicate.operand.kind === 'key') return `${renderKey(predicate.operand)} = any (${renderHelper(predicate.array)}::text[])`;
      return 'asFilter' in predicate && predicate.asFilter
        ? `pg_catalog.array_position(${renderHelper(predicate.array)}::uuid[], ${renderValue(predicate.operand)}) is not null`
        : `${renderValue(predicate.operand)} = any (${renderHelper(predicate.array)}::uuid[])`;
    case 'none':
      return `not (array[${predicate.operands.map(renderValue).join(', ')}] && ${renderHelper(predicate.array)}::uuid[])`;
    case 'exists': {
      const alias = predicate.alias === undefined ? '' : ` as ${quote(predicate.alias)}`;
      return `exists (select 1 from ${renderTable(predicate.table)}${alias} where ${renderIn(predicate.where, 'top')})`;
    }
    case 'constant':
      return predicate.value ? 'true' : 'false';
    case 'helper':
      return renderHelper(predicate);
    case 'raw':
      return wrapIf(context !== 'top', predicate.sql);
  }
}

/** The SQL of a predicate, without outer parentheses (drizzle-kit adds `using (…)`). */
export function renderPredicate(predicate: PredicateNode): string {
  return renderIn(predicate, 'top');
}

/** Renders any node: predicates as by `renderPredicate`, values as operands. */
export function renderSql(expr: ExprNode): string {
  if (expr.kind === 'column' || expr.kind === 'literal') return renderValue(expr);
  if (expr.kind === 'helper') return renderHelper(expr);
  if (expr.kind === 'key') return renderKey(expr);
  return renderPredicate(expr);
}
