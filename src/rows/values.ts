import { quoteLiteral } from '../ddl';

/**
 * Values of fixture and probe rows. Plain values are sent as untyped SQL literals (Postgres casts
 * them to the column's type, as it does for untyped parameters); times are SQL expressions relative
 * to the transaction's `now()`, so the same rows are valid whenever they are written — by the test
 * suite today, or by an exported pgTAP file a year from now.
 */

/** A SQL expression used as a value, e.g. a time relative to `now()`. */
export interface SqlExpression {
  readonly sql: string;
}

export type RowValue = string | number | boolean | null | SqlExpression | readonly string[] | { readonly [key: string]: unknown };

/** Column (SQL name) → value. */
export type Row = Readonly<Record<string, RowValue>>;

export const sqlExpression = (sql: string): SqlExpression => Object.freeze({ sql });

export function isSqlExpression(value: unknown): value is SqlExpression {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { sql?: unknown }).sql === 'string';
}

/** `{a,"b c"}`: a Postgres array literal. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** A value as SQL: an untyped literal, `null`, or the expression itself. */
export function renderValue(value: RowValue): string {
  if (value === null) return 'null';
  if (isSqlExpression(value)) return value.sql;
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean') return quoteLiteral(String(value));
  if (Array.isArray(value)) return quoteLiteral(arrayLiteral(value as readonly string[]));
  return quoteLiteral(JSON.stringify(value));
}

/** Midnight (UTC) of the transaction's day. */
const TODAY_UTC = "pg_catalog.date_trunc('day', pg_catalog.now(), 'UTC')";
/** The transaction's date in UTC. */
const TODAY_DATE = "(pg_catalog.now() at time zone 'UTC')::date";

/** `days` from today (UTC) at `hour:minute` UTC, as a `timestamptz` expression. */
export function at(days: number, hour: number, minute = 0): SqlExpression {
  return sqlExpression(`(${TODAY_UTC} + interval '${days} days ${hour} hours ${minute} minutes')`);
}

/** The date `days` from today (UTC). */
export function dateFromToday(days: number): SqlExpression {
  return sqlExpression(days === 0 ? TODAY_DATE : `(${TODAY_DATE} ${days < 0 ? '-' : '+'} ${Math.abs(days)})`);
}

/** `[from, to)` of dates `from`..`to` days from today. */
export function dateRange(fromDays: number, toDays: number): SqlExpression {
  return sqlExpression(`pg_catalog.daterange(${dateFromToday(fromDays).sql}, ${dateFromToday(toDays).sql})`);
}

/** `[from, to)` between two times. */
export function timeRange(from: SqlExpression, to: SqlExpression): SqlExpression {
  return sqlExpression(`pg_catalog.tstzrange(${from.sql}, ${to.sql})`);
}

/** The transaction's time. */
export const now = sqlExpression('pg_catalog.now()');

/** "This school year" of the fixtures: 200 days either side of today. */
export const thisYear = (): SqlExpression => dateRange(-200, 200);
