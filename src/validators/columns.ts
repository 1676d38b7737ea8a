import type { Column } from 'drizzle-orm';
import type { z } from 'zod';
import { array } from './array';
import { boolean as booleanSchema } from './boolean';
import { codeList } from './codes';
import { describeColumn } from './describe';
import type { DescribedColumn } from './described';
import { isoDate, timeOfDay, timestamptz, type TimestampPrecision } from './datetime';
import { jsonObject } from './json';
import { decimal, integer } from './numeric';
import { daterange, tstzrange } from './range';
import { fixedChar, text } from './text';
import { uuid } from './uuid';

/**
 * The schema of a column's *type*, read off the Drizzle column: what any value of that PostgreSQL
 * type must be before a table's own rules (CHECKs) are applied. One function for every table, so a
 * column gets the same treatment wherever it appears.
 */

type Timestamptz = ReturnType<typeof timestamptz>;
type Decimal = ReturnType<typeof decimal>;
type JsonObjectSchema = ReturnType<typeof jsonObject>;
type IsEnum<T> = [T] extends [readonly [string, ...string[]]] ? ([string, ...string[]] extends T ? false : true) : false;
type CodeList<T> = T extends readonly [string, ...string[]] ? ReturnType<typeof codeList<T>> : never;

/** The static type of `columnSchema(column)`. */
export type ColumnSchema<C extends Column> = C['_']['columnType'] extends 'PgArray'
  ? C['_'] extends { baseColumn: infer B extends Column }
    ? z.ZodArray<ColumnSchema<B>>
    : never
  : IsEnum<C['_']['enumValues']> extends true
    ? CodeList<C['_']['enumValues']>
    : C['_']['columnType'] extends 'PgTimestamp'
      ? Timestamptz
      : C['_']['columnType'] extends 'PgNumeric'
        ? Decimal
        : C['_']['columnType'] extends 'PgSmallInt' | 'PgInteger' | 'PgBigInt53'
          ? z.ZodNumber
          : C['_']['columnType'] extends 'PgBoolean'
            ? z.ZodBoolean
            : C['_']['columnType'] extends 'PgJsonb'
              ? JsonObjectSchema
              : z.ZodString;

/**
 * `columnSchema(therapySessions.startTime)` → `timestamptz()`. `precision` is `microseconds` for
 * select schemas, which read what the database returns rather than what a client sends.
 */
export function columnSchema<C extends Column>(column: C, precision: TimestampPrecision = 'milliseconds'): ColumnSchema<C> {
  return describedColumnSchema(describeColumn(column), precision) as ColumnSchema<C>;
}

/** The schema of a described column's type: `columnSchema` without the Drizzle column. */
export function describedColumnSchema(column: DescribedColumn, precision: TimestampPrecision = 'milliseconds'): z.ZodType {
  const enumValues = column.values;
  if (column.type === 'PgArray') {
    if (!column.element) throw new Error(`columnSchema: array column ${column.name} has no base column`);
    return array(describedColumnSchema(column.element, precision));
  }
  if (enumValues && enumValues.length > 0) return codeList(enumValues as unknown as readonly [string, ...string[]]);
  switch (column.type) {
    case 'PgUUID':
      return uuid();
    case 'PgText':
      return text();
    case 'PgChar':
      return fixedChar(column.length ?? 1);
    case 'PgTimestamp':
      return timestamptz(precision);
    case 'PgDateString':
      return isoDate();
    case 'PgTime':
      return timeOfDay();
    case 'PgSmallInt':
      return integer('smallint');
    case 'PgInteger':
      return integer('integer');
    case 'PgBigInt53':
      return integer('bigint');
    case 'PgBoolean':
      return booleanSchema();
    case 'PgJsonb':
      return jsonObject();
    case 'PgNumeric':
      if (column.precision === undefined || column.scale === undefined) throw new Error(`columnSchema: numeric column ${column.name} needs a precision and a scale`);
      return decimal(column.precision, column.scale);
    case 'PgCustomColumn': {
      const sqlType = column.sqlType;
      if (sqlType === 'daterange') return daterange();
      if (sqlType === 'tstzrange') return tstzrange(precision);
      throw new Error(`columnSchema: no schema for custom type ${sqlType} (column ${column.name})`);
    }
    default:
      throw new Error(`columnSchema: no schema for ${column.type} (column ${column.name})`);
  }
}
