import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';

/** Quotes an identifier only when Postgres needs it, so generated SQL stays readable. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `schema.table` of a Drizzle table (schema defaults to `public`). */
export function tableName(table: PgTable): string {
  const config = getTableConfig(table);
  return `${quoteIdent(config.schema ?? 'public')}.${quoteIdent(config.name)}`;
}

/** The bare SQL name of a Drizzle column, for use inside constraint and trigger definitions. */
export function columnName(column: PgColumn): string {
  return quoteIdent(column.name);
}

const RESERVED = new Set([
  'all', 'and', 'any', 'array', 'as', 'asc', 'check', 'collate', 'column', 'constraint', 'create',
  'default', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'for', 'foreign', 'from',
  'grant', 'group', 'having', 'in', 'into', 'is', 'limit', 'not', 'null', 'offset', 'on', 'only', 'or',
  'order', 'primary', 'references', 'select', 'table', 'then', 'to', 'true', 'union', 'unique', 'user',
  'using', 'when', 'where', 'with', 'window', 'both', 'case', 'cast', 'current_date', 'current_time',
  'current_user', 'leading', 'trailing', 'session_user',
]);
