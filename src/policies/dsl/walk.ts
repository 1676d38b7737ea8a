import type { ExprNode, PredicateNode, TableRef } from './nodes';

/** A table visible at a point of a predicate: the policy's table, or an enclosing `exists`. */
export interface Scope {
  readonly table: TableRef;
  readonly alias: string | undefined;
}

/** Visits every node depth-first, passing the scopes visible at it (innermost last). */
export function walk(expr: ExprNode, visit: (node: ExprNode, scopes: readonly Scope[]) => void, scopes: readonly Scope[]): void {
  visit(expr, scopes);
  switch (expr.kind) {
    case 'comparison':
      walk(expr.left, visit, scopes);
      walk(expr.right, visit, scopes);
      return;
    case 'null-test':
    case 'in-list':
      walk(expr.operand, visit, scopes);
      return;
    case 'any':
      walk(expr.operand, visit, scopes);
      walk(expr.array, visit, scopes);
      return;
    case 'none':
      for (const operand of expr.operands) walk(operand, visit, scopes);
      walk(expr.array, visit, scopes);
      return;
    case 'key':
      for (const part of expr.parts) walk(part, visit, scopes);
      return;
    case 'and':
    case 'or':
      for (const operand of expr.operands) walk(operand, visit, scopes);
      return;
    case 'not':
      walk(expr.operand, visit, scopes);
      return;
    case 'exists':
      walk(expr.where, visit, [...scopes, { table: expr.table, alias: expr.alias }]);
      return;
    default:
      return;
  }
}

/** All nodes of a predicate, in visiting order. */
export function nodesOf(predicate: PredicateNode): ExprNode[] {
  const nodes: ExprNode[] = [];
  walk(predicate, (n) => nodes.push(n), []);
  return nodes;
}

/** Whether the predicate is true for every row (`true`, `x or true`, `1 = 1` in raw SQL…). */
export function isAlwaysTrue(predicate: PredicateNode): boolean {
  switch (predicate.kind) {
    case 'constant':
      return predicate.value;
    case 'or':
      return predicate.operands.some(isAlwaysTrue);
    case 'and':
      return predicate.operands.every(isAlwaysTrue);
    case 'not':
      return predicate.operand.kind === 'constant' && !predicate.operand.value;
    case 'raw': {
      const text = predicate.sql.toLowerCase().replace(/[\s()]/g, '');
      return text === 'true' || text === '1=1' || text === "'t'" || text === 'nottrue=false';
    }
    case 'comparison':
      return (
        predicate.operator === '=' &&
        predicate.left.kind === 'literal' &&
        predicate.right.kind === 'literal' &&
        predicate.left.value === predicate.right.value
      );
    default:
      return false;
  }
}

const HELPER_CALL = /(?<![\w."])("?(?:auth|app)"?)\s*\.\s*("?[a-z_][a-z0-9_]*"?)\s*\(/gi;

/**
 * Calls of `auth.*()` / `app.*()` in raw SQL that are not wrapped as `(select fn(...))`: Postgres
 * would evaluate them once per row instead of once per statement.
 */
export function bareHelperCalls(sqlText: string): string[] {
  const found: string[] = [];
  for (const match of sqlText.matchAll(HELPER_CALL)) {
    const before = sqlText.slice(0, match.index);
    if (!/\(\s*select\s+$/i.test(before)) found.push(`${match[1]}.${match[2]}()`.replace(/"/g, ''));
  }
  return found;
}
