import type { PgTable } from 'drizzle-orm/pg-core';
import { PolicyDslError, type PolicyIssue } from './errors';
import { toPredicateNode } from './expr';
import type { PredicateNode, TableRef } from './nodes';
import { type Operation } from './operations';
import { policyRoleOf, PERSONAS, POLICY_ROLES, isPersona, type Persona, type PolicyRole } from './personas';
import type { PredicateInput, RuleSpec } from './rule';
import { asPgTable, columnNames, describe, displayName, isColumn, sameTable, tableRefOf, type AnyTable, type ColumnKey, type RequireRls } from './table';
import { tableAccessIssues } from './validate-table';

/** A rule after resolution against its table: plain data. */
export interface AccessRule {
  /** Position in the table's `rules`, for messages and the matrices. */
  readonly index: number;
  readonly operations: readonly Operation[];
  readonly who: readonly Persona[];
  /** The Postgres roles of `who` (`authenticated`, `anon`). */
  readonly roles: readonly PolicyRole[];
  readonly using: PredicateNode | undefined;
  readonly withCheck: PredicateNode | undefined;
  /** SQL names of the writable columns, or `undefined` for the whole row. */
  readonly columns: readonly string[] | undefined;
  readonly deliberatelyPublic: string | undefined;
  readonly summary: string | undefined;
}

/** The access declaration of one table: who may do what on which rows. */
export interface TableAccess {
  readonly kind: 'table-access';
  readonly table: TableRef;
  /**
   * The tenant column (SQL name); compiles to one restrictive `<table>_tenant_isolation` policy.
   * `nullRows` (a reason) when rows with a null tenant column belong to no organisation and are
   * let through (the rules still decide who sees them), e.g. a shared catalogue.
   */
  readonly tenant:
    | {
        readonly column: string;
        readonly nullRows?: string;
        /** Why the guard is a filter the planner does not estimate (`array_position(…) is not null`). */
        readonly guardAsFilter?: string;
        /** A user column whose value `auth.uid()` lets the row through the tenant policy, and why. */
        readonly ownRows?: { readonly column: string; readonly reason: string };
      }
    | undefined;
  readonly rules: readonly AccessRule[];
  /** Set by `noClientAccess`: why API users get nothing on this table. */
  readonly noClientAccess: string | undefined;
  /** The Drizzle table, for linking policies and reading its config. */
  readonly drizzleTable: PgTable;
}

export interface TableAccessDeclaration<T extends AnyTable> {
  /**
   * The organisation column: rows outside the user's organisations are invisible whatever the rules
   * say. `nullRows: 'why'` lets rows whose column is null through the tenant policy (shared rows that
   * belong to no organisation); the rules still decide who reaches them.
   */
  readonly tenant?: {
    readonly column: T['_']['columns'][ColumnKey<T>];
    readonly nullRows?: string;
    /**
     * The signed-in user's own rows pass the tenant policy too, whatever their organisation: the
     * user column and why (an invited user reads and accepts their own invitation before the
     * organisation counts them). The rules still decide who reaches them.
     */
    readonly ownRows?: { readonly column: T['_']['columns'][ColumnKey<T>]; readonly reason: string };
    /**
     * Write the guard as a filter the planner does not estimate, `array_position(<orgs>, column) is
     * not null`, instead of `column = any (<orgs>)`, and say why. The planner takes `= any` of an
     * array it cannot see as about one organisation in ten: where the table's queries already pin
     * `column = $1` it counts the organisation twice, and a prepared statement's generic plan
     * expects almost no rows (the billing rollup: 1 charge for 2,694, docs/benchmarks.md). The
     * filter form is the same rows for a not-null column (required) but never an index condition:
     * only for tables that no query reaches through the guard alone.
     */
    readonly guardAsFilter?: string;
  };
  readonly rules: readonly RuleSpec<T>[];
}

function resolvePredicate<T extends AnyTable>(
  input: PredicateInput<T> | undefined,
  table: T,
  path: readonly (string | number)[],
  issues: PolicyIssue[],
  name: string,
): PredicateNode | undefined {
  if (input === undefined) return undefined;
  try {
    const value = typeof input === 'function' ? input({ t: table }) : input;
    return toPredicateNode(value, path.at(-1) as string);
  } catch (error) {
    if (!(error instanceof PolicyDslError)) throw error;
    for (const issue of error.issues) issues.push({ ...issue, table: name, path: [...path, ...issue.path.slice(1)], message: `${name}: ${issue.message}` });
    return undefined;
  }
}

/**
 * Declares who may do what on `table`. Resolves the rules against the table and validates them
 * eagerly, throwing a `PolicyDslError` that lists every problem of this table.
 *
 * ```ts
 * export const sessionsAccess = tableAccess(therapySessions, {
 *   tenant: { column: therapySessions.organizationId },
 *   rules: [allow('select', { who: 'therapist', using: ({ t }) => eq(t.therapistId, auth.uid()) })],
 * });
 * ```
 */
export function tableAccess<T extends AnyTable>(table: T & RequireRls<T>, declaration: TableAccessDeclaration<T>): TableAccess {
  const pgTable = asPgTable(table, 'tableAccess');
  const ref = tableRefOf(pgTable);
  const name = displayName(ref);
  const issues: PolicyIssue[] = [];
  const names = columnNames(pgTable);

  let tenant: TableAccess['tenant'];
  if (declaration.tenant !== undefined) {
    const column: unknown = declaration.tenant.column;
    if (!isColumn(column) || !sameTable(tableRefOf(column.table), ref)) {
      issues.push({
        code: 'invalid_tenant',
        table: name,
        path: [name, 'tenant', 'column'],
        message: `${name}: tenant.column must be a column of ${name} (e.g. ${name}.organizationId)`,
      });
    } else if (declaration.tenant.nullRows !== undefined) {
      const reason: unknown = declaration.tenant.nullRows;
      if (typeof reason !== 'string' || reason.trim() === '') {
        issues.push({
          code: 'invalid_tenant',
          table: name,
          path: [name, 'tenant', 'nullRows'],
          message: `${name}: tenant.nullRows must say why rows without an organisation are shared`,
        });
      } else if (column.notNull) {
        issues.push({
          code: 'invalid_tenant',
          table: name,
          path: [name, 'tenant', 'nullRows'],
          message: `${name}: tenant.nullRows is set but ${column.name} is not null; drop nullRows`,
        });
      } else {
        tenant = Object.freeze({ column: column.name, nullRows: reason });
      }
    } else {
      tenant = Object.freeze({ column: column.name });
    }
    const asFilter: unknown = declaration.tenant.guardAsFilter;
    if (tenant !== undefined && asFilter !== undefined) {
      if (typeof asFilter !== 'string' || asFilter.trim() === '') {
        issues.push({ code: 'invalid_tenant', table: name, path: [name, 'tenant', 'guardAsFilter'], message: `${name}: tenant.guardAsFilter must say why the planner should not estimate the guard (the table's queries pin its organisation)` });
      } else if (isColumn(column) && !column.notNull) {
        // array_position finds a null: for a null organisation the two forms would differ.
        issues.push({ code: 'invalid_tenant', table: name, path: [name, 'tenant', 'guardAsFilter'], message: `${name}: tenant.guardAsFilter needs a not-null tenant column (${tenant.column} may be null)` });
      } else {
        tenant = Object.freeze({ ...tenant, guardAsFilter: asFilter });
      }
    }
    const own = declaration.tenant.ownRows;
    if (tenant !== undefined && own !== undefined) {
      const ownColumn: unknown = own.column;
      const reason: unknown = own.reason;
      if (!isColumn(ownColumn) || !sameTable(tableRefOf(ownColumn.table), ref)) {
        issues.push({ code: 'invalid_tenant', table: name, path: [name, 'tenant', 'ownRows', 'column'], message: `${name}: tenant.ownRows.column must be a user column of ${name} (e.g. ${name}.userId)` });
      } else if (typeof reason !== 'string' || reason.trim() === '') {
        issues.push({ code: 'invalid_tenant', table: name, path: [name, 'tenant', 'ownRows', 'reason'], message: `${name}: tenant.ownRows must say why a user's own rows outside their organisations are theirs to reach` });
      } else {
        tenant = Object.freeze({ ...tenant, ownRows: Object.freeze({ column: ownColumn.name, reason }) });
      }
    }
  }

  const specs: readonly unknown[] = Array.isArray(declaration.rules) ? declaration.rules : [];
  const rules = specs.map((raw, index): AccessRule => {
    const spec = raw as RuleSpec<T>;
    const path = [name, 'rules', index];
    const whoList: readonly unknown[] = Array.isArray(spec.who) ? spec.who : spec.who === undefined ? [] : [spec.who];
    const who = [...new Set(whoList.filter(isPersona))];
    for (const persona of whoList.filter((p) => !isPersona(p))) {
      issues.push({
        code: 'invalid_persona',
        table: name,
        path: [...path, 'who'],
        message: `${name}: rule ${index} is for ${describe(persona)}, which is not a persona (expected one of ${PERSONAS.join(', ')})`,
      });
    }
    const roles = POLICY_ROLES.filter((role) => who.some((persona) => policyRoleOf(persona) === role));
    let columns: string[] | undefined;
    if (spec.columns !== undefined) {
      columns = [];
      for (const key of spec.columns as readonly string[]) {
        const sqlName = names.get(key);
        if (sqlName === undefined) {
          issues.push({
            code: 'unknown_column',
            table: name,
            path: [...path, 'columns'],
            message: `${name}: rule ${index} lists ${JSON.stringify(key)} among its columns, but ${name} has no such column (use the TypeScript key, e.g. ${[...names.keys()].slice(0, 3).join(', ')})`,
          });
        } else if (!columns.includes(sqlName)) {
          columns.push(sqlName);
        }
      }
    }
    return Object.freeze({
      index,
      operations: Object.freeze([...new Set(spec.operations ?? [])]),
      who: Object.freeze(who),
      roles: Object.freeze(roles),
      using: resolvePredicate(spec.using, table, [...path, 'using'], issues, name),
      withCheck: resolvePredicate(spec.withCheck, table, [...path, 'withCheck'], issues, name),
      columns: columns === undefined ? undefined : Object.freeze(columns),
      deliberatelyPublic: spec.deliberatelyPublic,
      summary: spec.summary,
    });
  });

  const access: TableAccess = Object.freeze({
    kind: 'table-access',
    table: ref,
    tenant,
    rules: Object.freeze(rules),
    noClientAccess: undefined,
    drizzleTable: pgTable,
  });
  issues.push(...tableAccessIssues(access));
  if (issues.length > 0) throw new PolicyDslError(issues);
  return access;
}

/**
 * Declares that API users (`anon`, `authenticated`) get nothing on `table`: no policies, all
 * privileges revoked; only the server (`service_role`) and SECURITY DEFINER functions reach it.
 */
export function noClientAccess<T extends AnyTable>(table: T & RequireRls<T>, reason: string): TableAccess {
  const pgTable = asPgTable(table, 'noClientAccess');
  const access: TableAccess = Object.freeze({
    kind: 'table-access',
    table: tableRefOf(pgTable),
    tenant: undefined,
    rules: Object.freeze([]),
    noClientAccess: reason,
    drizzleTable: pgTable,
  });
  const issues = tableAccessIssues(access);
  if (issues.length > 0) throw new PolicyDslError(issues);
  return access;
}
