import { statement, type DdlObject } from '../ddl';
import { auditLog } from '../schema';
import { allow, anyOf, app, policiesByName, tableAccess } from './dsl';

/**
 * The audit trail: written only by the SECURITY DEFINER `app.audit_row` trigger, append-only for
 * everyone (trigger `audit_log_no_update_delete`); org admins read their organisations' entries.
 */
export const auditLogAccess = tableAccess(auditLog, {
  tenant: { column: auditLog.organizationId },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: "their organisations' audit trail",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
  ],
});

/** Org admins reach `audit.audit_log` through the API only if the schema is usable at all. */
export const auditSchemaUsage: DdlObject = statement({
  kind: 'grant',
  key: 'usage on schema audit',
  phase: 'post',
  create: ['grant usage on schema audit to authenticated, service_role'],
  drop: ["do $$ begin if to_regnamespace('audit') is not null then revoke usage on schema audit from authenticated, service_role; end if; end $$"],
  onChange: 'replace',
});

export const auditAccess = [auditLogAccess] as const;

export const { audit_log_tenant_isolation, audit_log_select_authenticated } = policiesByName(auditLogAccess);
