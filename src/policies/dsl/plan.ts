import type { AccessRule, TableAccess } from './access';
import { anyOf, eq, or } from './expr';
import { factorSharedConjuncts } from './factor';
import { app, auth } from './helpers';
import { policyName, tenantPolicyName } from './names';
import { node, type AnyNode, type ColumnNode, type PredicateNode, type TableRef } from './nodes';
import { CLAUSES, OPERATIONS, type Operation } from './operations';
import { POLICY_ROLES, type PolicyRole } from './personas';
import { renderPredicate } from './render';

/**
 * One policy to create, as data: what every compiler (Drizzle, docs, tests) starts from. A table
 * gets at most one restrictive tenant policy and one permissive policy per operation and role.
 */
export interface PolicyPlan {
  readonly name: string;
  readonly table: TableRef;
  readonly as: 'permissive' | 'restrictive';
  readonly for: Operation | 'all';
  readonly to: PolicyRole;
  readonly using: PredicateNode | undefined;
  readonly withCheck: PredicateNode | undefined;
  /** The rendered SQL of `using` / `withCheck`. */
  readonly usingSql: string | undefined;
  readonly withCheckSql: string | undefined;
  /** Indexes of the rules OR-ed into this policy (empty for the tenant policy). */
  readonly rules: readonly number[];
}

/** A rule's effective clauses for one operation, as Postgres evaluates them. */
export function clausesFor(rule: AccessRule, operation: Operation): { using: PredicateNode | undefined; withCheck: PredicateNode | undefined } {
  return {
    using: CLAUSES[operation].using ? rule.using : undefined,
    withCheck: CLAUSES[operation].withCheck ? (rule.withCheck ?? rule.using) : undefined,
  };
}

/**
 * ORs predicates, dropping duplicates (by rendered SQL) and keeping the first occurrence's order;
 * a helper call several of them share is factored out of them (`./factor`).
 */
function anyOfPredicates(predicates: readonly (PredicateNode | undefined)[]): PredicateNode | undefined {
  const seen = new Set<string>();
  const unique: PredicateNode[] = [];
  for (const predicate of predicates) {
    if (predicate === undefined) continue;
    const text = renderPredicate(predicate);
    if (seen.has(text)) continue;
    seen.add(text);
    unique.push(predicate);
  }
  const [first, ...rest] = factorSharedConjuncts(unique);
  if (first === undefined) return undefined;
  return rest.length === 0 ? first : or(first, ...rest);
}

function plan(fields: Omit<PolicyPlan, 'usingSql' | 'withCheckSql'>): PolicyPlan {
  return Object.freeze({
    ...fields,
    usingSql: fields.using === undefined ? undefined : renderPredicate(fields.using),
    withCheckSql: fields.withCheck === undefined ? undefined : renderPredicate(fields.withCheck),
    rules: Object.freeze([...fields.rules]),
  });
}

/**
 * `organization_id = any ((select app.org_ids())::uuid[])` for the table's tenant column (or its
 * filter form, `guardAsFilter`), preceded by `organization_id is null or` when the declaration
 * shares rows without an organisation, and followed by `or user_id = (select auth.uid())` when it
 * lets the user's own rows through.
 */
export function tenantPredicate(access: TableAccess): PredicateNode | undefined {
  if (access.tenant === undefined) return undefined;
  const column: ColumnNode = node({ kind: 'column', table: access.table, alias: undefined, column: access.tenant.column });
  const member: PredicateNode =
    access.tenant.guardAsFilter === undefined
      ? anyOf(column, app.orgIds())
      : node<AnyNode>({ kind: 'any', operand: column, array: app.orgIds(), asFilter: true });
  const own = access.tenant.ownRows;
  const alsoOwn: PredicateNode =
    own === undefined ? member : or(member, eq(node<ColumnNode>({ kind: 'column', table: access.table, alias: undefined, column: own.column }), auth.uid()));
  if (access.tenant.nullRows === undefined) return alsoOwn;
  return or(node({ kind: 'null-test', operand: column, negated: false }), alsoOwn);
}

/** The policies of one table: the tenant policy first, then by operation, then by role. */
export function planPolicies(access: TableAccess): readonly PolicyPlan[] {
  if (access.noClientAccess !== undefined) return Object.freeze([]);
  const plans: PolicyPlan[] = [];
  const tenant = tenantPredicate(access);
  if (tenant !== undefined) {
    plans.push(plan({ name: tenantPolicyName(access.table), table: access.table, as: 'restrictive', for: 'all', to: 'authenticated', using: tenant, withCheck: tenant, rules: [] }));
  }
  for (const operation of OPERATIONS) {
    for (const role of POLICY_ROLES) {
      const rules = access.rules.filter((rule) => rule.operations.includes(operation) && rule.roles.includes(role));
      if (rules.length === 0) continue;
      const clauses = rules.map((rule) => clausesFor(rule, operation));
      plans.push(
        plan({
          name: policyName(access.table, operation, role),
          table: access.table,
          as: 'permissive',
          for: operation,
          to: role,
          using: anyOfPredicates(clauses.map((c) => c.using)),
          withCheck: anyOfPredicates(clauses.map((c) => c.withCheck)),
          rules: rules.map((rule) => rule.index),
        }),
      );
    }
  }
  return Object.freeze(plans);
}
