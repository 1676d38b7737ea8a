import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type { TableAccess } from './access';
import { PolicyDslError, type PolicyIssue } from './errors';
import { byTableName } from './access-matrix';
import type { TableRef } from './nodes';
import { displayName, tableRefOf } from './table';
import { tableAccessIssues } from './validate-table';
import { walk } from './walk';

/** The tables of a schema: an array of tables, or a module namespace (`import * as schema`). */
export type SchemaTables = readonly unknown[] | Readonly<Record<string, unknown>>;

function tablesOf(tables: SchemaTables): PgTable[] {
  const values = Array.isArray(tables) ? tables : Object.values(tables);
  return [...new Set(values.filter((value): value is PgTable => is(value, PgTable)))];
}

function key(ref: TableRef): string {
  return displayName(ref);
}

/** Tables each table's policies read through `exists`. */
function readsOf(access: TableAccess): Set<string> {
  const reads = new Set<string>();
  for (const rule of access.rules) {
    for (const predicate of [rule.using, rule.withCheck]) {
      if (predicate === undefined) continue;
      walk(predicate, (node) => (node.kind === 'exists' ? void reads.add(key(node.table)) : undefined), []);
    }
  }
  return reads;
}

/** Cycles of policies reading each other's tables (`a → b → a`), each reported once. */
function recursionIssues(accessList: readonly TableAccess[]): PolicyIssue[] {
  const graph = new Map(accessList.map((access) => [key(access.table), [...readsOf(access)].sort()]));
  const reported = new Set<string>();
  const issues: PolicyIssue[] = [];
  const visit = (start: string, current: string, path: string[]): void => {
    for (const next of graph.get(current) ?? []) {
      if (next === start) {
        const cycle = [...path, start];
        const canonical = [...path].sort().join(',');
        if (reported.has(canonical)) continue;
        reported.add(canonical);
        issues.push({
          code: 'policy_recursion',
          table: start,
          path: [start],
          message: `${start}: policies read each other in a cycle (${cycle.join(' → ')}); Postgres fails with "infinite recursion detected in policy" — replace one exists with an app helper (SECURITY DEFINER)`,
        });
      } else if (!path.includes(next) && next > start) {
        visit(start, next, [...path, next]);
      }
    }
  };
  for (const start of [...graph.keys()].sort()) visit(start, start, [start]);
  return issues;
}

/**
 * Every problem of a set of access declarations against the schema's tables, without throwing:
 * each table's own issues, tables without RLS, tables without a declaration (coverage),
 * declarations for tables the schema does not have, duplicates, and policy recursion.
 */
export function accessIssues(accessList: readonly TableAccess[], tables: SchemaTables): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const declared = new Map<string, TableAccess>();
  for (const access of byTableName(accessList)) {
    const name = key(access.table);
    if (declared.has(name)) {
      issues.push({ code: 'duplicate_access', table: name, path: [name], message: `${name}: access is declared twice; put all of its rules in one tableAccess(...)` });
      continue;
    }
    declared.set(name, access);
    issues.push(...tableAccessIssues(access));
  }
  const schemaTables = tablesOf(tables);
  const known = new Set<string>();
  for (const table of schemaTables.sort((a, b) => (key(tableRefOf(a)) < key(tableRefOf(b)) ? -1 : 1))) {
    const name = key(tableRefOf(table));
    known.add(name);
    if (declared.has(name)) continue;
    if (!getTableConfig(table).enableRLS) {
      issues.push({ code: 'rls_disabled', table: name, path: [name], message: `${name}: row level security is not enabled; call .enableRLS() on the pgTable` });
    }
    issues.push({
      code: 'missing_access',
      table: name,
      path: [name],
      message: `${name}: table without a policy; declare tableAccess(${name}, …) or noClientAccess(${name}, reason)`,
    });
  }
  for (const name of declared.keys()) {
    if (!known.has(name)) {
      issues.push({ code: 'unknown_table', table: name, path: [name], message: `${name}: access is declared for a table the schema does not export` });
    }
  }
  issues.push(...recursionIssues([...declared.values()]));
  return issues;
}

/** Throws a `PolicyDslError` listing every issue `accessIssues` finds. */
export function validateAccess(accessList: readonly TableAccess[], tables: SchemaTables): void {
  const issues = accessIssues(accessList, tables);
  if (issues.length > 0) throw new PolicyDslError(issues);
}
