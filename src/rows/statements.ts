import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { quoteIdent } from '../ddl';
import { renderValue, type Row, type RowValue } from './values';

/**
 * Data statements as plain SQL text with inline literals: the same text runs in the test suite
 * (postgres.js `unsafe`) and is written into exported pgTAP files.
 */

/** `"public"."therapy_sessions"`, `"audit"."audit_log"` from `therapy_sessions` or `audit.audit_log`. */
export function qualified(table: string): string {
  const [schema, name] = table.includes('.') ? (table.split('.') as [string, string]) : ['public', table];
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** The matrix's name of a Drizzle table: `therapy_sessions`, `audit.audit_log`. */
export function tableKey(table: PgTable): string {
  const config = getTableConfig(table);
  return (config.schema ?? 'public') === 'public' ? config.name : `${config.schema}.${config.name}`;
}

/** A row keyed by the Drizzle table's property names (`organizationId`) → keyed by SQL column names. */
export function columnsOf(table: PgTable, row: Readonly<Record<string, RowValue | undefined>>): Row {
  const columns = table as unknown as Record<string, { name?: string } | undefined>;
  const out: Record<string, RowValue> = {};
  for (const [property, value] of Object.entries(row)) {
    if (value === undefined) continue;
    const name = columns[property]?.name;
    if (name === undefined) throw new Error(`${tableKey(table)} has no column ${property}`);
    out[name] = value;
  }
  return out;
}

function where(key: Row): string {
  return Object.entries(key)
    .map(([column, value]) => (Array.isArray(value) ? `${quoteIdent(column)} in (${(value as readonly string[]).map((v) => renderValue(v)).join(', ')})` : `${quoteIdent(column)} = ${renderValue(value)}`))
    .join(' and ');
}

/** `insert into … (…) values (…), (…)`; a column some rows leave out gets its `default` in those. */
export function insertSql(table: string, rows: Row | readonly Row[]): string {
  const list = (Array.isArray(rows) ? rows : [rows]) as readonly Row[];
  const columns = [...new Set(list.flatMap((row) => Object.keys(row)))];
  if (columns.length === 0) throw new Error(`insert into ${table}: no columns`);
  const values = list.map((row) => `(${columns.map((c) => (c in row ? renderValue(row[c]!) : 'default')).join(', ')})`).join(', ');
  return `insert into ${qualified(table)} (${columns.map(quoteIdent).join(', ')}) values ${values}`;
}

/** `update … set … where …` (an array value in `key` is an `in` list). */
export function updateSql(table: string, key: Row, set: Row): string {
  return `update ${qualified(table)} set ${Object.entries(set).map(([c, v]) => `${quoteIdent(c)} = ${renderValue(v)}`).join(', ')} where ${where(key)}`;
}

export function deleteSql(table: string, key: Row): string {
  return `delete from ${qualified(table)} where ${where(key)}`;
}

export function selectSql(table: string, filter?: string): string {
  return `select 1 from ${qualified(table)}${filter === undefined ? '' : ` where ${filter}`}`;
}
