import { and, or } from './expr';
import type { PredicateNode } from './nodes';
import { renderPredicate } from './render';
import { nodesOf } from './walk';

/**
 * Factors the helper calls several arms of one policy share out of those arms:
 * `(a and s) or (b and s) or c` → `((a or b) and s) or c` — the same rows in SQL's three-valued
 * logic (`and` distributes over `or`), with one `(select app.x())` where there were several.
 *
 * Why: Postgres plans every `(select …)` of a policy as an initPlan of its own, in every statement
 * that reads the table, even when only one of them ever runs; a statement through a policy that
 * repeats `not (array[school_id] && (select app.soft_deleted_ids())::uuid[])` in four arms plans
 * and sets up four (docs/benchmarks.md measures what it costs).
 *
 * Only conjuncts that call a helper are factored. The group takes the place of its first arm, so
 * the arms keep the order they were declared in (narrowest first, see ./plan.ts), and the shared
 * conjunct keeps its end of the arms: one they start with (`created_by = (select auth.uid())`, cheap
 * and selective) stays first, one they end with (not in the soft-deleted set) stays last, so a row
 * that matches no arm of the group never runs it.
 */
export function factorSharedConjuncts(arms: readonly PredicateNode[]): readonly PredicateNode[] {
  const conjunctsOf = arms.map((arm) => (arm.kind === 'and' ? arm.operands : [arm]));
  const sqlOf = conjunctsOf.map((conjuncts) => conjuncts.map(renderPredicate));
  // The helper-calling conjunct shared by the most arms (the first such on a tie).
  let shared: { sql: string; node: PredicateNode; count: number } | undefined;
  conjunctsOf.forEach((conjuncts, i) =>
    conjuncts.forEach((conjunct, j) => {
      if (!nodesOf(conjunct).some((n) => n.kind === 'helper')) return;
      const sql = sqlOf[i]![j]!;
      const count = sqlOf.filter((texts) => texts.includes(sql)).length;
      if (count >= 2 && (shared === undefined || count > shared.count)) shared = { sql, node: conjunct, count };
    }),
  );
  if (shared === undefined) return arms;
  const members = arms.flatMap((_, i) => (sqlOf[i]!.includes(shared!.sql) ? [i] : []));
  const rests = members.map((i) => conjunctsOf[i]!.filter((_, j) => sqlOf[i]![j] !== shared!.sql));
  // An arm that is nothing but the shared conjunct already matches every row the group would.
  const leads = sqlOf[members[0]!]![0] === shared.sql;
  let group = shared.node;
  if (!rests.some((rest) => rest.length === 0)) {
    const inner = or(...(factorSharedConjuncts(rests.map((rest) => and(...(rest as [PredicateNode, ...PredicateNode[]])))) as [PredicateNode, ...PredicateNode[]]));
    group = leads ? and(shared.node, inner) : and(inner, shared.node);
  }
  const result: PredicateNode[] = [];
  arms.forEach((arm, i) => {
    if (i === members[0]) result.push(group);
    else if (!members.includes(i)) result.push(arm);
  });
  // Other arms may share another conjunct among themselves.
  return result.length === arms.length ? result : factorSharedConjuncts(result);
}
