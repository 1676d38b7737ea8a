import type { AccessRule, TableAccess } from './access';
import { CLAUSES, OPERATIONS, type Operation } from './operations';
import { PERSONAS, POLICY_ROLES, personasCovering, policyRoleOf, type Persona, type PolicyRole } from './personas';
import { clausesFor, planPolicies, tenantPredicate } from './plan';
import { renderPredicate } from './render';
import { displayName } from './table';
import { grantStatements } from './to-grants';

/** One rule giving one persona one operation on one table. */
export interface AccessMatrixRow {
  readonly table: string;
  readonly persona: Persona;
  readonly operation: Operation;
  readonly role: PolicyRole;
  /** The rule's index in the table's `rules`. */
  readonly rule: number;
  /** The persona the rule names (differs from `persona` when inherited, e.g. `member`). */
  readonly via: Persona;
  /** The rule's `summary`, or its SQL. */
  readonly summary: string;
  readonly using: string | undefined;
  readonly withCheck: string | undefined;
  /** Update: the columns this rule may change, or `'all'`. */
  readonly columns: readonly string[] | 'all' | undefined;
  readonly deliberatelyPublic: string | undefined;
}

export interface AccessMatrixPolicy {
  readonly name: string;
  readonly as: 'permissive' | 'restrictive';
  readonly for: Operation | 'all';
  readonly to: PolicyRole;
  readonly using: string | undefined;
  readonly withCheck: string | undefined;
}

export interface AccessMatrixRule {
  readonly index: number;
  readonly operations: readonly Operation[];
  readonly who: readonly Persona[];
  readonly summary: string | undefined;
  readonly using: string | undefined;
  readonly withCheck: string | undefined;
  readonly columns: readonly string[] | undefined;
  readonly deliberatelyPublic: string | undefined;
}

/** What the document says about one table besides the grid. */
export interface AccessMatrixTable {
  readonly table: string;
  readonly tenantColumn: string | undefined;
  readonly tenantUsing: string | undefined;
  /** Why rows without an organisation pass the tenant policy, when they do. */
  readonly tenantNullRows: string | undefined;
  /** Why the signed-in user's own rows pass the tenant policy, when they do. */
  readonly tenantOwnRows: string | undefined;
  /** Why the tenant guard is a filter the planner does not estimate. */
  readonly tenantGuardAsFilter: string | undefined;
  readonly noClientAccess: string | undefined;
  readonly rules: readonly AccessMatrixRule[];
  readonly policies: readonly AccessMatrixPolicy[];
  readonly grants: readonly string[];
  /** Things a reviewer should know, e.g. a column-limited update rule widened by another rule. */
  readonly notes: readonly string[];
}

export interface AccessMatrix {
  /** Sorted by table name. */
  readonly tables: readonly AccessMatrixTable[];
  /** Sorted by table, persona (PERSONAS order), operation, rule. */
  readonly rows: readonly AccessMatrixRow[];
}

function ruleSummary(rule: AccessRule, operation: Operation): string {
  if (rule.summary !== undefined) return rule.summary;
  const { using, withCheck } = clausesFor(rule, operation);
  const predicate = CLAUSES[operation].using ? using : withCheck;
  return predicate === undefined ? '' : renderPredicate(predicate);
}

/** Column-limited update rules that another update rule of the same role widens to the whole row. */
function notesOf(access: TableAccess): string[] {
  const notes: string[] = [];
  for (const role of POLICY_ROLES) {
    const updates = access.rules.filter((rule) => rule.roles.includes(role) && rule.operations.includes('update'));
    const limited = updates.filter((rule) => rule.columns !== undefined).map((rule) => rule.index);
    const whole = updates.filter((rule) => rule.columns === undefined).map((rule) => rule.index);
    if (limited.length > 0 && whole.length > 0) {
      notes.push(
        `update rule(s) ${limited.join(', ')} list columns but rule(s) ${whole.join(', ')} do not, so ${role} may update every column of rows any update rule matches (column grants are per table and role, not per rule).`,
      );
    }
  }
  return notes;
}

/** Sorts accesses by display name (without mutating the input). */
export function byTableName(accessList: readonly TableAccess[]): TableAccess[] {
  return [...accessList].sort((a, b) => (displayName(a.table) < displayName(b.table) ? -1 : displayName(a.table) > displayName(b.table) ? 1 : 0));
}

/** The rows of the access matrix: table × persona × operation × rule, as data. */
export function toAccessMatrix(accessList: readonly TableAccess[]): AccessMatrix {
  const rows: AccessMatrixRow[] = [];
  const tables: AccessMatrixTable[] = [];
  for (const access of byTableName(accessList)) {
    const table = displayName(access.table);
    for (const persona of PERSONAS) {
      const covering = personasCovering(persona);
      for (const operation of OPERATIONS) {
        for (const rule of access.rules) {
          if (!rule.operations.includes(operation)) continue;
          const via = covering.find((p) => rule.who.includes(p) && policyRoleOf(p) === policyRoleOf(persona));
          if (via === undefined) continue;
          const { using, withCheck } = clausesFor(rule, operation);
          rows.push(
            Object.freeze({
              table,
              persona,
              operation,
              role: policyRoleOf(persona),
              rule: rule.index,
              via,
              summary: ruleSummary(rule, operation),
              using: using === undefined ? undefined : renderPredicate(using),
              withCheck: withCheck === undefined ? undefined : renderPredicate(withCheck),
              columns: operation === 'update' ? (rule.columns ?? 'all') : undefined,
              deliberatelyPublic: rule.deliberatelyPublic,
            }),
          );
        }
      }
    }
    const tenant = tenantPredicate(access);
    tables.push(
      Object.freeze({
        table,
        tenantColumn: access.tenant?.column,
        tenantUsing: tenant === undefined ? undefined : renderPredicate(tenant),
        tenantNullRows: access.tenant?.nullRows,
        tenantOwnRows: access.tenant?.ownRows?.reason,
        tenantGuardAsFilter: access.tenant?.guardAsFilter,
        noClientAccess: access.noClientAccess,
        rules: Object.freeze(
          access.rules.map((rule) =>
            Object.freeze({
              index: rule.index,
              operations: rule.operations,
              who: rule.who,
              summary: rule.summary,
              using: rule.using === undefined ? undefined : renderPredicate(rule.using),
              withCheck: rule.withCheck === undefined ? undefined : renderPredicate(rule.withCheck),
              columns: rule.columns,
              deliberatelyPublic: rule.deliberatelyPublic,
            }),
          ),
        ),
        policies: Object.freeze(
          planPolicies(access).map((plan) =>
            Object.freeze({ name: plan.name, as: plan.as, for: plan.for, to: plan.to, using: plan.usingSql, withCheck: plan.withCheckSql }),
          ),
        ),
        grants: Object.freeze(grantStatements(access)),
        notes: Object.freeze(notesOf(access)),
      }),
    );
  }
  rows.sort((a, b) => {
    if (a.table !== b.table) return a.table < b.table ? -1 : 1;
    const persona = PERSONAS.indexOf(a.persona) - PERSONAS.indexOf(b.persona);
    if (persona !== 0) return persona;
    const op = OPERATIONS.indexOf(a.operation) - OPERATIONS.indexOf(b.operation);
    return op !== 0 ? op : a.rule - b.rule;
  });
  return Object.freeze({ tables: Object.freeze(tables), rows: Object.freeze(rows) });
}
