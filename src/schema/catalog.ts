import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as tables from './tables';

/** Every table of the schema, ordered by qualified name: the list coverage checks iterate over. */
export const allTables: readonly PgTable[] = (Object.values(tables) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .sort((a, b) => qualifiedName(a).localeCompare(qualifiedName(b)));

/** `public.therapy_sessions`, `audit.audit_log`. */
export function qualifiedName(table: PgTable): string {
  const config = getTableConfig(table);
  return `${config.schema ?? 'public'}.${config.name}`;
}
