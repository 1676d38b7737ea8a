import * as z from 'zod';
import { parseDate, parseTimestamp, type TimestampPrecision } from './datetime';
import { expected, must } from './label';

/**
 * `daterange` and `tstzrange` in PostgreSQL's text form, `[lower,upper)`: `[`/`]` include the bound,
 * `(`/`)` exclude it, an omitted bound is unbounded, and `empty` is the empty range. Bounds are ISO
 * 8601 (see ./datetime), optionally in double quotes. The database refuses a lower bound after the
 * upper one; a range with no point in it (`[2026-01-05,2026-01-05)`) is legal but `empty`, which the
 * `not isempty(...)` CHECKs refuse.
 */
const RANGE = /^([[(])(?:"([^"\\]+)"|([^"\\,()[\]]*)),(?:"([^"\\]+)"|([^"\\,()[\]]*))([\])])$/;

export interface ParsedRange {
  readonly empty: boolean;
}

type BoundParser = (text: string) => number | undefined;

/**
 * Parses a range whose bounds `parse` turns into numbers; `step` is the distance between adjacent
 * values for a discrete range (one day for `daterange`, which PostgreSQL canonicalises to `[)`), or
 * 0 for a continuous one. Undefined when the database would refuse the text.
 */
function parseRange(text: string, parse: BoundParser, step: number): ParsedRange | 'inverted' | undefined {
  if (text === 'empty') return { empty: true };
  const m = RANGE.exec(text);
  if (!m) return undefined;
  const lowerText = m[2] ?? m[3] ?? '';
  const upperText = m[4] ?? m[5] ?? '';
  const lower = lowerText === '' ? undefined : parse(lowerText);
  const upper = upperText === '' ? undefined : parse(upperText);
  if ((lowerText !== '' && lower === undefined) || (upperText !== '' && upper === undefined)) return undefined;
  if (lower === undefined || upper === undefined) return { empty: false };
  if (lower > upper) return 'inverted';
  const lowerInclusive = m[1] === '[';
  const upperInclusive = m[6] === ']';
  if (step > 0) {
    // Canonical [lo, hi): a discrete range is empty when no whole step fits.
    const lo = lowerInclusive ? lower : lower + step;
    const hi = upperInclusive ? upper + step : upper;
    return { empty: lo >= hi };
  }
  return { empty: lower === upper && !(lowerInclusive && upperInclusive) };
}

export const parseDaterange = (text: string) => parseRange(text, parseDate, 1);
export const parseTstzrange = (text: string, precision: TimestampPrecision = 'milliseconds') =>
  parseRange(text, (bound) => parseTimestamp(bound, precision), 0);

function rangeSchema(parse: (text: string) => ParsedRange | 'inverted' | undefined, example: string) {
  const hint = `a range such as ${example} ([ ] include a bound, ( ) exclude it, an omitted bound is open)`;
  return z
    .string({ error: expected(hint) })
    .check(
      z.refine<string>((value) => parse(value) !== undefined, { error: must(`be ${hint}`) }),
      z.refine<string>((value) => parse(value) !== 'inverted', { error: must('not end before it starts') }),
    );
}

/** A `daterange` column. */
export function daterange() {
  return rangeSchema(parseDaterange, '[2026-01-05,2026-06-30)');
}

/** A `tstzrange` column; `microseconds` reads what the database returns. */
export function tstzrange(precision: TimestampPrecision = 'milliseconds') {
  return rangeSchema((text) => parseTstzrange(text, precision), '[2026-01-05T09:00:00Z,2026-01-05T17:00:00Z)');
}

/** `not isempty(x)`. */
export function nonEmptyRange(kind: 'daterange' | 'tstzrange') {
  const parse = kind === 'daterange' ? parseDaterange : parseTstzrange;
  return z.refine<string>(
    (value) => {
      const range = parse(value);
      return typeof range !== 'object' || !range.empty;
    },
    { error: must(kind === 'daterange' ? 'contain at least one day' : 'not be empty (its end must be after its start)') },
  );
}
