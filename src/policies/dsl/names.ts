import type { TableRef } from './nodes';
import type { Operation } from './operations';
import type { PolicyRole } from './personas';

/** The one permissive policy of a table, operation and role: `therapy_sessions_select_authenticated`. */
export function policyName(table: TableRef, operation: Operation, role: PolicyRole): string {
  return `${table.name}_${operation}_${role}`;
}

/** The restrictive tenant policy of a table: `therapy_sessions_tenant_isolation`. */
export function tenantPolicyName(table: TableRef): string {
  return `${table.name}_tenant_isolation`;
}
