import { Column, getTableColumns, is } from 'drizzle-orm';
import type { ColumnBaseConfig, ColumnDataType } from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { invalidArgument } from './errors';
import { node, type ColumnNode, type TableRef, type Value } from './nodes';

/** Any column of a Drizzle pg table. */
export type TableColumn = PgColumn<ColumnBaseConfig<ColumnDataType, string>, object, object>;

/**
 * Any Drizzle pg table, typed structurally so that tables returned by `.enableRLS()` (which drops
 * the `enableRLS` method from the type) fit too.
 */
export interface AnyTable {
  readonly _: {
    readonly name: string;
    readonly schema: string | undefined;
    readonly columns: Record<string, TableColumn>;
  };
}

export type TableName<T extends AnyTable> = T['_']['name'];
/** The TypeScript keys of a table's columns (`startTime`, not `start_time`). */
export type ColumnKey<T extends AnyTable> = keyof T['_']['columns'] & string;

/** Columns of a table as value nodes qualified by `A` (the table name, or an `exists` alias). */
export type ColumnRefs<T extends AnyTable, A extends string> = {
  readonly [K in ColumnKey<T>]: Value<A, T['_']['columns'][K]['_']['data']>;
};

/**
 * Type-level guard: a table whose type still has `enableRLS` never had it called, and using it in
 * `tableAccess` fails to compile with this property named in the message.
 */
export type RequireRls<T> = T extends { enableRLS: unknown } ? { '~error': 'call .enableRLS() on this pgTable before declaring its access' } : unknown;

export function asPgTable(table: unknown, builder: string): PgTable {
  if (!is(table, PgTable)) invalidArgument(builder, `expected a Drizzle pgTable, received ${describe(table)}`);
  return table;
}

export function tableRefOf(table: AnyTable | PgTable): TableRef {
  const config = getTableConfig(table as PgTable);
  return Object.freeze({ schema: config.schema ?? 'public', name: config.name });
}

/** `widgets` for public tables, `audit.audit_log` otherwise. */
export function displayName(ref: TableRef): string {
  return ref.schema === 'public' ? ref.name : `${ref.schema}.${ref.name}`;
}

export function sameTable(a: TableRef, b: TableRef): boolean {
  return a.schema === b.schema && a.name === b.name;
}

export function isColumn(value: unknown): value is TableColumn {
  return is(value, Column);
}

export function columnNodeOf(column: TableColumn, alias?: string): ColumnNode {
  return node({ kind: 'column', table: tableRefOf(column.table), alias, column: column.name });
}

/** The column value nodes of a table, keyed like its Drizzle columns, qualified by `alias`. */
export function columnRefs<T extends AnyTable, A extends string>(table: T, alias: A | undefined): ColumnRefs<T, A> {
  const columns = getTableColumns(asPgTable(table, 'exists')) as Record<string, TableColumn>;
  const refs: Record<string, ColumnNode> = {};
  for (const [key, column] of Object.entries(columns)) refs[key] = columnNodeOf(column, alias);
  return Object.freeze(refs) as unknown as ColumnRefs<T, A>;
}

/** TypeScript key → SQL name, in declaration order. */
export function columnNames(table: PgTable): ReadonlyMap<string, string> {
  const columns = getTableColumns(table) as Record<string, TableColumn>;
  return new Map(Object.entries(columns).map(([key, column]) => [key, column.name]));
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}
