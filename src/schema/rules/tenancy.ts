import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { defineTrigger, defineTriggerFunction, quoteLiteral, tableName, type DdlObject } from '../../ddl';
import { billingCodes, serviceCharges } from '../billing';
import { sessionTypes } from '../scheduling';

/**
 * No row points into another tenant. References to tenant tables are composite foreign keys
 * `(organization_id, x_id)` (declared with the tables; `therapy-db check` refuses any other). A
 * shared catalogue — a table whose rows are global (`organization_id` null) or one
 * organisation's override — cannot be the target of such a key, so references to it are checked
 * here: the referenced row is global or of the referencing row's organisation.
 */

/**
 * Trigger function: `TG_ARGV[0]` names the referencing column, `TG_ARGV[1]` the catalogue table
 * (`schema.table`), `TG_ARGV[2]` the rule's name. Security definer: the rule holds whatever the
 * writer may read, and a row of another organisation is refused exactly as a missing one is (the
 * trigger runs before the foreign key), so the answer tells nothing about other tenants; an API
 * client outside the organisation is left to row level security (`app.writer_outside`).
 */
export const checkCatalogueReference = defineTriggerFunction({
  name: 'check_catalogue_reference',
  security: 'definer',
  body: `
declare
  v_column constant text := tg_argv[0];
  v_rule constant text := tg_argv[2];
  v_id uuid := (pg_catalog.to_jsonb(new) ->> v_column)::uuid;
  v_ok boolean;
begin
  if v_id is null or new.organization_id is null or app.writer_outside(new.organization_id) then
    return new;
  end if;
  if tg_op = 'UPDATE' and (pg_catalog.to_jsonb(old) ->> v_column)::uuid is not distinct from v_id
     and old.organization_id is not distinct from new.organization_id then
    return new;
  end if;
  execute pg_catalog.format('select exists (select 1 from %s c where c.id = $1 and (c.organization_id is null or c.organization_id = $2))', tg_argv[1])
    into v_ok using v_id, new.organization_id;
  if not v_ok then
    raise exception '%.%: % is neither a global entry of % nor one of organisation % (%)', tg_table_name, v_column, v_id, tg_argv[1], new.organization_id, v_rule
      using errcode = 'foreign_key_violation', table = tg_table_name, column = v_column, constraint = v_rule;
  end if;
  return new;
end`,
  comment: 'Trigger: a reference into a shared catalogue (organization_id null = global) names a global row or one of its own organisation.',
});

/**
 * A `<table>_<column>_scope` trigger: `column` names a row of `catalogue` that is global or of the
 * organisation in `organization` (a column of the same table).
 */
export function catalogueReference(column: PgColumn, organization: PgColumn, catalogue: PgTable): DdlObject {
  const table = column.table as PgTable;
  const name = `${getTableConfig(table).name}_${column.name}_scope`;
  return defineTrigger({
    name,
    table,
    timing: 'before',
    events: ['insert', { updateOf: [column, organization] }],
    function: checkCatalogueReference,
    arguments: [column.name, tableName(catalogue), name].map(quoteLiteral),
  });
}

export const tenancyRules: readonly DdlObject[] = [
  checkCatalogueReference,
  // Billing codes: the global catalogue (organization_id null) and each organisation's overrides.
  catalogueReference(sessionTypes.defaultBillingCodeId, sessionTypes.organizationId, billingCodes),
  catalogueReference(serviceCharges.billingCodeId, serviceCharges.organizationId, billingCodes),
];
