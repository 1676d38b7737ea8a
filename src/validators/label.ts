/**
 * How messages name a field. Schema keys are Drizzle's camelCase property names (`endTime`); the
 * sentences use the column's own name (`end_time`), the word the database, its error messages and
 * the docs use. Every column of the schema is the snake_case of its key (checked by the tests), so
 * the name follows from the issue's path and no piece needs to be told which column it validates.
 */

/** `endTime` → `end_time`. */
export function columnName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `['endTime']` → `end_time`; `['eventTypes', 2]` → `event_types[2]`; `[]` → `value`. */
export function fieldLabel(path: readonly PropertyKey[] | undefined): string {
  let label = '';
  for (const segment of path ?? []) {
    if (typeof segment === 'number') label += `[${segment}]`;
    else label = columnName(String(segment));
  }
  return label === '' ? 'value' : label;
}

/** The minimal issue shape our message functions read. */
export interface IssueLike {
  readonly input?: unknown;
  readonly path?: readonly PropertyKey[] | undefined;
}

/** A message function: `(issue) => 'start_time must be …'`. */
export type Message = (issue: IssueLike) => string;

/** `must(…)`: `<field> must <rest>`, the shape of nearly every message. */
export function must(rest: string): Message {
  return (issue) => `${fieldLabel(issue.path)} must ${rest}`;
}

/**
 * The message for a value of the wrong type: `<field> is required` when it is missing or null (the
 * column is NOT NULL, or the key is required), `<field> must be <what>` otherwise.
 */
export function expected(what: string): Message {
  return (issue) =>
    issue.input === undefined || issue.input === null
      ? `${fieldLabel(issue.path)} is required`
      : `${fieldLabel(issue.path)} must be ${what}`;
}

/** `endTime` → `end_time`, as a type. */
export type ColumnName<K extends string> = K extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${ColumnName<Tail>}`
  : K;

/**
 * A parsed row with the database's column names, for clients that speak them (supabase-js,
 * PostgREST): `{ startTime }` → `{ start_time }`. Dates stay `Date`s; JSON serialisation writes them
 * as ISO 8601.
 */
export function toColumns<T extends Record<string, unknown>>(row: T): { [K in keyof T & string as ColumnName<K>]: T[K] } {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [columnName(key), value])) as { [K in keyof T & string as ColumnName<K>]: T[K] };
}
