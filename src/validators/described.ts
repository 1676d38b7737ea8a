import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * A table as the validators read it: plain data about its columns, with no Drizzle runtime in it.
 * The package's own tables are described once, at generate time (`./described-tables`, written by
 * `npm run db:generate`), so one table's schemas carry that table's columns and nothing of the
 * Drizzle tables, whose foreign keys reach every other table. An app's own tables are described at
 * run time by `describeTable` (`./describe`), which `defineTable` calls.
 */

/** A column's type and the facts about it that decide what a write may send. */
export interface DescribedColumn {
  /** The SQL column name (`start_time`). */
  readonly name: string;
  /** Drizzle's column type (`PgTimestamp`, `PgUUID`, `PgArray`, `PgCustomColumn`, …). */
  readonly type: string;
  /** A custom type's SQL type (`daterange`, `tstzrange`). */
  readonly sqlType?: string;
  /** A code list's values (`CHECK (x in (…))`). */
  readonly values?: readonly string[];
  /** `char(n)`. */
  readonly length?: number;
  /** `numeric(p, s)`. */
  readonly precision?: number;
  readonly scale?: number;
  /** An array's element column. */
  readonly element?: DescribedColumn;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  /** The value an omitted column gets on insert, when it is a literal (not `now()`, not a function). */
  readonly insertDefault?: { readonly value: unknown };
  /** `generated always` (an expression or an identity): never written. */
  readonly generated?: true;
}

declare const drizzleTable: unique symbol;

/** A table's columns by Drizzle property name, typed by the Drizzle table `T` it describes (a type only). */
export interface DescribedTable<T extends PgTable = PgTable> {
  /** `public.therapy_sessions`. */
  readonly name: string;
  readonly columns: { readonly [key: string]: DescribedColumn };
  /** The Drizzle table's type, for the schemas' static types; never present at run time. */
  readonly [drizzleTable]?: T;
}
