import type { PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';

/** Keeps `updated_at` true whatever client writes the row. */
export const touchUpdatedAt = defineTriggerFunction({
  name: 'touch_updated_at',
  body: `
begin
  new.updated_at := pg_catalog.now();
  return new;
end`,
  comment: 'Trigger: sets updated_at on every update.',
});

/** A `<table>_touch_updated_at` trigger on each table that has an `updated_at` column. */
export function touchTriggers(tables: readonly PgTable[]): DdlObject[] {
  return tables.map((table) => {
    const { name, columns } = getTableConfig(table);
    if (!columns.some((c) => c.name === 'updated_at')) throw new Error(`touchTriggers: ${name} has no updated_at column`);
    return defineTrigger({ name: `${name}_touch_updated_at`, table, timing: 'before', events: ['update'], function: touchUpdatedAt });
  });
}
