import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { check, customType, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { emailMaxLength, emailPattern, whitespace } from './codes';

/**
 * Column types and helpers shared by the area files. Nothing here is exported from the package's
 * table barrel: they are building blocks, not schema.
 */

/**
 * `daterange`, as Postgres' text form, e.g. `'[2026-01-01,2026-06-30)'`. Postgres normalises
 * discrete ranges to `[)`, so what comes back may differ in form from what went in.
 */
export const daterange = customType<{ data: string; driverData: string }>({
  dataType: () => 'daterange',
});

/** `tstzrange`, as Postgres' text form, e.g. `'["2026-01-05 09:00:00+00","2026-01-05 09:30:00+00")'`. */
export const tstzrange = customType<{ data: string; driverData: string }>({
  dataType: () => 'tstzrange',
});

/** `created_at timestamptz not null default now()`. */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** `updated_at timestamptz not null default now()`; kept current by the `touch_updated_at` trigger. */
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** `deleted_at timestamptz`: soft delete, null while the row is live. */
export const deletedAt = () => timestamp('deleted_at', { withTimezone: true });

/** A SQL string literal; the code lists are constants, but quoting stays correct for any text. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `'a', 'b', 'c'` as raw SQL, for `in (...)` lists in checks, index predicates and generated columns. */
export function literalList(values: readonly string[]): SQL {
  if (values.length === 0) throw new Error('literalList: empty list');
  return sql.raw(values.map(literal).join(', '));
}

/** `check(name, column in ('a', 'b', ...))` over one of the code lists in `./codes`. */
export function oneOf(name: string, column: SQLWrapper, values: readonly string[]) {
  return check(name, sql`${column} in (${literalList(values)})`);
}

/** `E'\u0009\u000a…'`: the whitespace characters as an escaped literal, readable in a migration. */
const whitespaceLiteral = `E'${whitespace.map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('')}'`;

/** `btrim(x, <every Unicode whitespace character>)`: `btrim(x)` alone trims spaces only. */
export function trimmed(column: SQLWrapper): SQL {
  return sql`btrim(${column}, ${sql.raw(whitespaceLiteral)})`;
}

/** `check(name, char_length(trimmed(x)) between min and max)`: text that is not blank, measured without surrounding whitespace. */
export function trimmedLength(name: string, column: SQLWrapper, min: number, max: number) {
  return check(name, sql`char_length(${trimmed(column)}) between ${sql.raw(String(min))} and ${sql.raw(String(max))}`);
}

/** `check(name, x ~ <emailPattern> and char_length(x) <= 254)` (null passes). */
export function emailCheck(name: string, column: SQLWrapper) {
  return check(name, sql`${column} ~ ${sql.raw(literal(emailPattern))} and char_length(${column}) <= ${sql.raw(String(emailMaxLength))}`);
}

/**
 * `on delete set null (column)` for a composite foreign key `(organization_id, x_id)`: Postgres 15
 * nulls only the listed column, so the reference can be composite (it cannot point into another
 * tenant) and still be cleared when its target goes, without nulling `organization_id`.
 * drizzle-orm has no column list for the action and writes the action verbatim, so the list rides
 * along in it.
 */
export function setNullOnly(column: AnyPgColumn): 'set null' {
  return `set null (${column.name})` as 'set null';
}
