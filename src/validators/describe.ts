import { getTableColumns, is, SQL, type Column } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { DescribedColumn, DescribedTable } from './described';

/** The loose runtime view of a Drizzle column that a description reads. */
interface ColumnMeta {
  readonly name: string;
  readonly columnType: string;
  readonly enumValues?: readonly string[] | undefined;
  readonly length?: number | undefined;
  readonly precision?: number | undefined;
  readonly scale?: number | undefined;
  readonly baseColumn?: Column | undefined;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly defaultFn?: unknown;
  readonly generated?: { readonly type?: string } | undefined;
  readonly generatedIdentity?: { readonly type?: string } | undefined;
  getSQLType(): string;
}

/**
 * What an omitted column holds after an insert, when the validators can know it: NULL for a nullable
 * column without a default, the literal default otherwise. A SQL default (`now()`, `current_date`)
 * or a `$defaultFn` is unknown here, so a rule reading it is left to the database.
 */
function insertDefault(column: ColumnMeta): { value: unknown } | undefined {
  if (!column.hasDefault) return column.notNull ? undefined : { value: null };
  if (column.defaultFn !== undefined || column.default === undefined || is(column.default, SQL)) return undefined;
  return { value: column.default };
}

/** `describeColumn(therapySessions.startTime)`: the column as plain data. */
export function describeColumn(column: Column): DescribedColumn {
  const c = column as unknown as ColumnMeta;
  const fallback = insertDefault(c);
  return {
    name: c.name,
    type: c.columnType,
    ...(c.columnType === 'PgCustomColumn' ? { sqlType: c.getSQLType() } : {}),
    ...(c.enumValues && c.enumValues.length > 0 ? { values: [...c.enumValues] } : {}),
    ...(c.columnType === 'PgChar' && c.length !== undefined ? { length: c.length } : {}),
    ...(c.columnType === 'PgNumeric' && c.precision !== undefined ? { precision: c.precision } : {}),
    ...(c.columnType === 'PgNumeric' && c.scale !== undefined ? { scale: c.scale } : {}),
    ...(c.columnType === 'PgArray' && c.baseColumn ? { element: describeColumn(c.baseColumn) } : {}),
    notNull: c.notNull,
    hasDefault: c.hasDefault,
    ...(fallback ? { insertDefault: fallback } : {}),
    ...(c.generated?.type === 'always' || c.generatedIdentity?.type === 'always' ? { generated: true as const } : {}),
  };
}

/** `describeTable(therapySessions)`: the table's qualified name and its columns as plain data. */
export function describeTable<T extends PgTable>(table: T): DescribedTable<T> {
  const config = getTableConfig(table);
  const columns = getTableColumns(table) as Record<string, Column>;
  return {
    name: `${config.schema ?? 'public'}.${config.name}`,
    columns: Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, describeColumn(column)])),
  };
}
