import { quoteIdent, tableName } from '../../ddl/names';
import type { DdlObject } from '../../ddl/object';
import { statement } from '../../ddl/statement';
import type { TableAccess } from './access';
import { columnNames } from './table';
import { OPERATIONS, type Operation } from './operations';
import { POLICY_ROLES, type PolicyRole } from './personas';

/** What one Postgres role may do on a table: operations, and the columns update may change. */
export interface RolePrivileges {
  readonly role: PolicyRole;
  readonly operations: readonly Operation[];
  /** When update is granted: the updatable columns (table order), or `'all'` for the whole row. */
  readonly updateColumns: readonly string[] | 'all' | undefined;
}

/**
 * The privileges the rules of a table need, per Postgres role: an operation is granted when some
 * rule allows it; update is column-level when every update rule lists columns (their union).
 */
export function privilegesOf(access: TableAccess): readonly RolePrivileges[] {
  const tableColumns = [...columnNames(access.drizzleTable).values()];
  const result: RolePrivileges[] = [];
  for (const role of POLICY_ROLES) {
    const rules = access.rules.filter((rule) => rule.roles.includes(role));
    const operations = OPERATIONS.filter((op) => rules.some((rule) => rule.operations.includes(op)));
    if (operations.length === 0) continue;
    const listed = rules.filter((rule) => rule.operations.includes('update')).map((rule) => rule.columns);
    const updateColumns =
      listed.length === 0
        ? undefined
        : listed.some((list) => list === undefined)
          ? 'all'
          : Object.freeze(tableColumns.filter((column) => listed.some((list) => list?.includes(column))));
    result.push(Object.freeze({ role, operations: Object.freeze(operations), updateColumns }));
  }
  return Object.freeze(result);
}

/** The GRANT statements of a table, after the revoke that makes them idempotent. */
export function grantStatements(access: TableAccess): string[] {
  const table = tableName(access.drizzleTable);
  const statements = [`revoke all on table ${table} from anon, authenticated`];
  for (const { role, operations, updateColumns } of privilegesOf(access)) {
    const whole = operations.filter((op) => op !== 'update' || updateColumns === 'all');
    if (whole.length > 0) statements.push(`grant ${whole.join(', ')} on table ${table} to ${role}`);
    if (Array.isArray(updateColumns)) statements.push(`grant update (${updateColumns.map(quoteIdent).join(', ')}) on table ${table} to ${role}`);
  }
  // The server keeps full DML; service_role bypasses RLS by design.
  statements.push(`grant select, insert, update, delete on table ${table} to service_role`);
  return statements;
}

/**
 * Least-privilege grants, one DDL object per table (so a change migrates that table's grants
 * only): revoke everything Supabase grants `anon`/`authenticated` by default, then grant exactly
 * the operations (and update columns) the rules cover. Idempotent: `create` starts with the
 * revoke, so it is re-run as is when the rules change.
 */
export function toGrants(accessList: readonly TableAccess[]): DdlObject[] {
  return accessList.map((access) => {
    const table = tableName(access.drizzleTable);
    const regclass = table.replace(/'/g, "''");
    return statement({
      kind: 'grant',
      key: `grants on ${table}`,
      phase: 'post',
      create: grantStatements(access),
      // guarded: when the table itself was dropped, its grants went with it
      drop: [`do $$ begin if to_regclass('${regclass}') is not null then execute 'revoke all on table ${table.replace(/'/g, "''")} from anon, authenticated'; end if; end $$`],
      onChange: 'replace',
    });
  });
}
