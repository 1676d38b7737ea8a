import type postgres from 'postgres';
import { noLocator, type Locator } from '../locate';
import { runCheck, type Check, type CheckResult } from '../model';
import { armsHaveRolesCheck } from './arms-have-roles';
import { authCallsWrappedCheck } from './auth-calls-wrapped';
import { clientPrivilegesCheck } from './client-privileges';
import { DEFAULT_API_ROLES, DEFAULT_EXPOSED_SCHEMAS, DEFAULT_PLATFORM_SCHEMAS, type CatalogueContext } from './context';
import { duplicateIndexesCheck } from './duplicate-indexes';
import { extensionsNotInPublicCheck } from './extensions-not-in-public';
import { foreignKeysIndexedCheck } from './foreign-keys-indexed';
import { grantsHavePoliciesCheck } from './grants-have-policies';
import { primaryKeysCheck } from './primary-keys';
import { rlsEnabledCheck } from './rls-enabled';
import { securityDefinerCheck } from './security-definer';
import { tenantForeignKeysCheck } from './tenant-foreign-keys';
import { viewsSecurityInvokerCheck } from './views-security-invoker';

export { DEFAULT_API_ROLES, DEFAULT_EXPOSED_SCHEMAS, DEFAULT_PLATFORM_SCHEMAS, type CatalogueContext } from './context';
export { unwrappedAuthCalls } from './auth-calls-wrapped';
export { armsWithoutRole } from './arms-have-roles';
export { predicateOnlyExcludesNulls } from './foreign-keys-indexed';
export { NON_RLS_TABLE_PRIVILEGES, SEQUENCE_PRIVILEGES } from './client-privileges';
export { staysInTenant, TENANT_COLUMN, type TenantForeignKey } from './tenant-foreign-keys';

/** The catalogue checks, in report order. */
export const catalogueChecks: readonly Check<CatalogueContext>[] = [
  rlsEnabledCheck,
  grantsHavePoliciesCheck,
  clientPrivilegesCheck,
  authCallsWrappedCheck,
  armsHaveRolesCheck,
  foreignKeysIndexedCheck,
  tenantForeignKeysCheck,
  primaryKeysCheck,
  securityDefinerCheck,
  duplicateIndexesCheck,
  viewsSecurityInvokerCheck,
  extensionsNotInPublicCheck,
];

export interface CatalogueOptions {
  /** Default `public`, `audit`. */
  readonly exposedSchemas?: readonly string[];
  /** Default `anon`, `authenticated`. */
  readonly apiRoles?: readonly string[];
  /** Default: Supabase's schemas (`auth`, `storage`, `realtime`, `extensions`, …). */
  readonly platformSchemas?: readonly string[];
  readonly locate?: Locator;
}

/** Runs the catalogue checks (SQL over pg_catalog) on a migrated database. */
export async function runCatalogueChecks(sql: postgres.Sql, options: CatalogueOptions = {}): Promise<CheckResult[]> {
  const context: CatalogueContext = {
    sql,
    exposedSchemas: options.exposedSchemas ?? DEFAULT_EXPOSED_SCHEMAS,
    apiRoles: options.apiRoles ?? DEFAULT_API_ROLES,
    platformSchemas: options.platformSchemas ?? DEFAULT_PLATFORM_SCHEMAS,
    locate: options.locate ?? noLocator,
  };
  const results: CheckResult[] = [];
  for (const check of catalogueChecks) results.push(await runCheck(check, context));
  return results;
}
