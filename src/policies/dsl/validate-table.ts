import { getTableConfig } from 'drizzle-orm/pg-core';
import type { AccessRule, TableAccess } from './access';
import type { PolicyIssue, PolicyIssueCode } from './errors';
import type { PredicateNode } from './nodes';
import { CLAUSES, OPERATIONS, isOperation, type Operation } from './operations';
import { POLICY_ROLES } from './personas';
import { policyName, tenantPolicyName } from './names';
import { establishesRole } from './roles';
import { displayName, sameTable } from './table';
import { bareHelperCalls, isAlwaysTrue, walk, type Scope } from './walk';

/** Postgres truncates identifiers longer than this many bytes. */
const MAX_IDENTIFIER_BYTES = 63;

/** `update rule for therapist`, `insert/update rule for org_admin/billing`. */
export function ruleLabel(rule: AccessRule): string {
  const ops = rule.operations.length > 0 ? rule.operations.join('/') : 'empty';
  const who = rule.who.length > 0 ? rule.who.join('/') : 'nobody';
  return `${ops} rule for ${who}`;
}

function hasReason(reason: unknown): boolean {
  return typeof reason === 'string' && reason.trim().length > 0;
}

function predicateIssues(
  access: TableAccess,
  rule: AccessRule,
  clause: 'using' | 'withCheck',
  predicate: PredicateNode,
  issue: (code: PolicyIssueCode, message: string, path?: readonly (string | number)[]) => void,
): void {
  const name = displayName(access.table);
  const label = ruleLabel(rule);
  const root: Scope = { table: access.table, alias: undefined };
  walk(
    predicate,
    (node, scopes) => {
      if (node.kind === 'raw') {
        for (const call of bareHelperCalls(node.sql)) {
          issue(
            'bare_helper_call',
            `${name}: ${label} calls ${call} without (select …) in unsafeRaw(${JSON.stringify(node.sql)}); write (select ${call}) or use the DSL helper, so Postgres evaluates it once per statement`,
            [clause],
          );
        }
      } else if (node.kind === 'column') {
        const visible = scopes.some((scope) => sameTable(scope.table, node.table) && scope.alias === node.alias);
        if (!visible) {
          const shown = `${node.alias ?? displayName(node.table)}.${node.column}`;
          issue(
            'column_out_of_scope',
            `${name}: ${label} uses ${shown} in ${clause}, which is neither a column of ${name} nor of an enclosing exists (correlate other tables with exists(table, alias, where))`,
            [clause],
          );
        }
      } else if (node.kind === 'exists' && sameTable(node.table, access.table)) {
        issue(
          'self_reference',
          `${name}: ${label} has an exists over ${name} itself in ${clause}; a policy that reads its own table recurses — use an app helper (SECURITY DEFINER) instead`,
          [clause],
        );
      }
    },
    [root],
  );
}

/** Everything wrong with one table's access declaration, as issues naming the table and operation. */
export function tableAccessIssues(access: TableAccess): PolicyIssue[] {
  const name = displayName(access.table);
  const issues: PolicyIssue[] = [];
  const add = (code: PolicyIssueCode, message: string, path: readonly (string | number)[], operation?: Operation): void => {
    issues.push(operation === undefined ? { code, table: name, path, message } : { code, table: name, operation, path, message });
  };

  if (!getTableConfig(access.drizzleTable).enableRLS) {
    add('rls_disabled', `${name}: row level security is not enabled; call .enableRLS() on the pgTable (without it Postgres ignores every policy and the grants alone decide)`, [name]);
  }

  if (access.noClientAccess !== undefined) {
    if (!hasReason(access.noClientAccess)) add('empty_rules', `${name}: noClientAccess needs a reason, e.g. 'written only by SECURITY DEFINER triggers'`, [name]);
    if (access.rules.length > 0) add('empty_rules', `${name}: declared noClientAccess but has rules`, [name, 'rules']);
    return issues;
  }
  if (access.rules.length === 0) {
    add('empty_rules', `${name}: no rules; if API users must not reach this table, declare noClientAccess(table, reason)`, [name, 'rules']);
  }

  for (const rule of access.rules) {
    const path = [name, 'rules', rule.index];
    const label = ruleLabel(rule);
    const first = rule.operations.find(isOperation);
    const issue = (code: PolicyIssueCode, message: string, sub: readonly (string | number)[] = []): void => add(code, message, [...path, ...sub], first);

    if (rule.operations.length === 0) issue('invalid_operation', `${name}: rule ${rule.index} allows no operation; pass 'select', 'insert', 'update', 'delete' or a list of them`);
    for (const op of rule.operations.filter((o) => !isOperation(o))) {
      issue('invalid_operation', `${name}: rule ${rule.index} allows ${JSON.stringify(op)}, which is not an operation; list them among ${OPERATIONS.join(', ')} (one policy per operation, never 'all')`);
    }
    if (rule.who.length === 0) issue('invalid_persona', `${name}: rule ${rule.index} names no persona in who`, ['who']);
    const ops = rule.operations.filter(isOperation);
    if (ops.length === 0) continue;

    const needsUsing = ops.some((op) => CLAUSES[op].using);
    const takesCheck = ops.some((op) => CLAUSES[op].withCheck);
    if (needsUsing && rule.using === undefined) {
      const op = ops.find((o) => CLAUSES[o].using) as Operation;
      add('missing_clause', `${name}: ${label} has no using predicate; ${op} needs one (the existing rows it may ${op === 'select' ? 'see' : op})`, [...path, 'using'], op);
    }
    if (!needsUsing && rule.using !== undefined) {
      add('insert_using', `${name}: ${label} has a using predicate, which Postgres ignores for insert; write it as withCheck (the rows it may create)`, [...path, 'using'], 'insert');
    }
    if (!needsUsing && rule.withCheck === undefined) {
      add('missing_clause', `${name}: ${label} has no withCheck predicate; insert needs one (the rows it may create)`, [...path, 'withCheck'], 'insert');
    }
    if (!takesCheck && rule.withCheck !== undefined) {
      issue('ignored_clause', `${name}: ${label} has a withCheck predicate, which Postgres ignores for ${ops.join('/')}; only insert and update check written rows`, ['withCheck']);
    }

    if (rule.columns !== undefined) {
      if (!ops.includes('update')) {
        issue('invalid_columns', `${name}: ${label} lists columns, but columns only limit what update may change; drop them or allow update`, ['columns']);
      }
      if (rule.columns.length === 0) issue('invalid_columns', `${name}: ${label} lists no columns; omit columns to allow the whole row`, ['columns']);
      if (access.tenant !== undefined && ops.includes('update') && rule.columns.includes(access.tenant.column)) {
        add(
          'tenant_column_updatable',
          `${name}: ${label} lists ${access.tenant.column} among updatable columns; a user can never move a row to another tenant`,
          [...path, 'columns'],
          'update',
        );
      }
    }

    const isPublic = hasReason(rule.deliberatelyPublic);
    if (rule.deliberatelyPublic !== undefined && !isPublic) {
      issue('public_without_reason', `${name}: ${label} sets deliberatelyPublic without a reason; say why these rows are public`, ['deliberatelyPublic']);
    }
    for (const clause of ['using', 'withCheck'] as const) {
      const predicate = rule[clause];
      if (predicate === undefined) continue;
      if (!isPublic && isAlwaysTrue(predicate)) {
        issue(
          'always_true',
          `${name}: ${label} allows every row (${clause} is always true); mark the rule deliberatelyPublic: '<why>' if that is intended`,
          [clause],
        );
      }
      predicateIssues(access, rule, clause, predicate, (code, message, sub = []) => issue(code, message, sub));
    }
    // Every arm requires the role it serves. Public rules (and anon's, which must be public) serve
    // no role, and an always-true predicate is refused above already.
    if (!isPublic && !rule.who.includes('anon')) {
      for (const clause of ['using', 'withCheck'] as const) {
        const predicate = rule[clause];
        if (predicate === undefined || rule.who.length === 0 || isAlwaysTrue(predicate) || establishesRole(predicate, rule.who)) continue;
        issue(
          'arm_without_role',
          `${name}: ${label} does not establish the role it serves: nothing in its ${clause} requires the caller to be ${rule.who.join(' or ')} (a comparison with auth.uid() matches a user of any role, status or organisation); add the role's helper, e.g. anyOf(t.organizationId, app.orgIds('${rule.who.find((p) => p !== 'self' && p !== 'member' && p !== 'supervisor') ?? 'therapist'}')), or for a user's own rows app.isActiveUser()`,
          [clause],
        );
      }
    }
    if (rule.who.includes('anon') && !isPublic) {
      issue('public_without_reason', `${name}: ${label} opens rows to unauthenticated requests (anon); mark it deliberatelyPublic: '<why>'`, ['who']);
    }
  }

  const tooLong = [tenantPolicyName(access.table), ...OPERATIONS.flatMap((op) => POLICY_ROLES.map((role) => policyName(access.table, op, role)))].find(
    (policy) => new TextEncoder().encode(policy).length > MAX_IDENTIFIER_BYTES,
  );
  if (tooLong !== undefined) {
    add('name_too_long', `${name}: policy name ${tooLong} is longer than ${MAX_IDENTIFIER_BYTES} bytes and Postgres would truncate it; shorten the table name`, [name]);
  }
  return issues;
}
