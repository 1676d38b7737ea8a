import { sql } from 'drizzle-orm';
import { pgPolicy, type PgPolicy } from 'drizzle-orm/pg-core';
import { anonRole, authenticatedRole } from 'drizzle-orm/supabase';
import type { TableAccess } from './access';
import { planPolicies } from './plan';
import type { PolicyRole } from './personas';

const ROLES = { authenticated: authenticatedRole, anon: anonRole } as const satisfies Record<PolicyRole, unknown>;

/**
 * Drizzle policies for one table, linked to it (`pgPolicy(...).link(table)`), so drizzle-kit
 * generates their `CREATE POLICY` statements. drizzle-kit only sees policies that are exported
 * one by one from the schema entry (it does not look inside arrays or objects); see
 * docs/policies.md and `missingPolicyExports`.
 */
export function toDrizzlePolicies(access: TableAccess): PgPolicy[] {
  return planPolicies(access).map((plan) =>
    pgPolicy(plan.name, {
      as: plan.as,
      for: plan.for,
      to: ROLES[plan.to],
      ...(plan.usingSql === undefined ? {} : { using: sql.raw(plan.usingSql) }),
      ...(plan.withCheckSql === undefined ? {} : { withCheck: sql.raw(plan.withCheckSql) }),
    }).link(access.drizzleTable),
  );
}

/**
 * The policies of `access`, keyed by policy name, for exporting them one by one:
 * `export const { widgets_select_authenticated } = policiesByName(widgetsAccess)`.
 * A misspelt name yields `undefined`, which drizzle-kit skips: check with `missingPolicyExports`.
 */
export function policiesByName(access: TableAccess): Readonly<Record<string, PgPolicy>> {
  return Object.freeze(Object.fromEntries(toDrizzlePolicies(access).map((policy) => [policy.name, policy])));
}

/**
 * The names of the policies `accessList` compiles to that are not exported (as linked `PgPolicy`
 * values) by `moduleExports`, the module drizzle-kit reads. An empty list means drizzle-kit sees all.
 */
export function missingPolicyExports(moduleExports: Readonly<Record<string, unknown>>, accessList: readonly TableAccess[]): string[] {
  const exported = new Set(
    Object.values(moduleExports)
      .filter((value): value is PgPolicy => typeof value === 'object' && value !== null && typeof (value as { link?: unknown }).link === 'function' && typeof (value as { name?: unknown }).name === 'string')
      .map((policy) => policy.name),
  );
  return accessList.flatMap((access) => planPolicies(access).map((plan) => plan.name)).filter((name) => !exported.has(name));
}
