import type { DdlObject } from '../ddl';
import { allTables } from '../schema';
import { auditAccess, auditSchemaUsage } from './audit';
import { billingAccess } from './billing';
import { caseloadAccess } from './caseload';
import { chatAccess } from './chat';
import { documentationAccess } from './documentation';
import { validateAccess, toGrants, type TableAccess } from './dsl';
import { filesAccess } from './files';
import { goalsAreaAccess } from './goals';
import { rlsHelpers } from './helpers';
import { identityAccess } from './identity';
import { integrationsAccess } from './integrations';
import { notificationsAreaAccess } from './notifications';
import { peopleAccess } from './people';
import { schedulingAccess } from './scheduling';
import { sequenceGrants } from './sequences';

/**
 * The policies of every table, one module per domain area (as in `src/schema`). drizzle-kit reads
 * this module and only sees the policies exported one by one, hence the `export *`s; the test
 * `missingPolicyExports(policies, allAccess)` proves none is forgotten.
 */
export * from './dsl';
export * from './identity';
export * from './people';
export * from './caseload';
export * from './scheduling';
export * from './documentation';
export * from './goals';
export * from './chat';
export * from './files';
export * from './billing';
export * from './notifications';
export * from './integrations';
export * from './audit';
export { ACCESS_MATRIX_PATH, accessMatrixDocument } from './document';
export { rlsHelpers } from './helpers';
export { accessSetObjects, accessSetSources } from './access-sets';
export { identitySequences, sequenceGrants } from './sequences';

/** Every table's access declaration, by area. */
export const allAccess: readonly TableAccess[] = Object.freeze([
  ...identityAccess,
  ...peopleAccess,
  ...caseloadAccess,
  ...schedulingAccess,
  ...documentationAccess,
  ...goalsAreaAccess,
  ...chatAccess,
  ...filesAccess,
  ...billingAccess,
  ...notificationsAreaAccess,
  ...integrationsAccess,
  ...auditAccess,
]);

// Every table has exactly one declaration, and no two tables' policies read each other.
validateAccess(allAccess, allTables);

/**
 * The policies' database objects drizzle-kit cannot express: the RLS helpers (`pre`, before the
 * policies that call them), the least-privilege grants of every table (`service_role` included)
 * and of every identity sequence (none for API roles), and the audit schema's usage grant.
 */
export const policyObjects: readonly DdlObject[] = [...rlsHelpers, ...toGrants(allAccess), ...sequenceGrants(allTables), auditSchemaUsage];
