import * as z from 'zod';
import { expected, must } from './label';

/**
 * Dates and times in the one spelling every client produces and every PostgreSQL reads the same
 * way: ISO 8601. PostgreSQL's date/time parser also reads `today`, `epoch`, `Jan 5 2026`, `20260105`
 * and times without a zone (read in the *server's* time zone); those are refused here on purpose
 * (see docs/validators.md, "Spellings"). Within ISO 8601 the rules are the database's: real calendar
 * days (proleptic Gregorian, year 0001 to 9999), offsets up to ±15:59.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * `2026-01-05T09:30:00.123+01:00`: `T`, `t` or a space between date and time; seconds and fractional
 * digits optional; `Z`, `±hh`, `±hhmm` or `±hh:mm`. Input takes up to three fractional digits (a
 * JavaScript `Date` holds milliseconds, and the validated value is a `Date`: more digits could not be
 * passed on unchanged); what the database *returns* has up to six (microseconds).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** `milliseconds`: what the validators accept as input; `microseconds`: what the database returns. */
export type TimestampPrecision = 'milliseconds' | 'microseconds';
/** `09:30`, `09:30:15`, `09:30:15.123456`; `24:00` is the end of the day and a valid `time`. */
const TIME = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?|24:00(?::00(?:\.0{1,6})?)?)$/;

const MS_PER_DAY = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

function validDay(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when the database would refuse it. */
export function parseDate(value: string): number | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDay(year, month, day) ? daysFromCivil(year, month, day) : undefined;
}

/** `YYYY-MM-DD` of a day number (inverse of `parseDate`, for range arithmetic and messages). */
export function formatDate(days: number): string {
  const date = new Date(days * MS_PER_DAY);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

/**
 * Milliseconds since the epoch of an ISO 8601 timestamp, or undefined when it is not one we accept.
 * With `microseconds`, digits beyond the millisecond are dropped, as `new Date()` drops them.
 */
export function parseTimestamp(value: string, precision: TimestampPrecision = 'milliseconds'): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  if (precision === 'milliseconds' && m[7] !== undefined && m[7].length > 3) return undefined;
  const [year, month, day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetRest = m[10] === undefined ? 0 : Number(m[10]);
    // PostgreSQL refuses displacements beyond ±15:59 (MAX_TZDISP_HOUR).
    if (offsetHours > 15 || offsetRest > 59) return undefined;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

/**
 * The instants a validated timestamp may be: years 0001 to 9999 *in UTC*. The output is a `Date`,
 * which Drizzle writes as `toISOString()`, in UTC: `0001-01-01T00:30:00+01:00` would be written as
 * `0000-12-31T23:30:00.000Z` (year 0 does not exist: 22008) and `9999-12-31T23:30:00-01:00` as
 * `+010000-01-01T00:30:00.000Z` (22009). So the UTC instant is judged, not the local date.
 */
const FIRST_INSTANT = daysFromCivil(1, 1, 1) * MS_PER_DAY;
const LAST_INSTANT = daysFromCivil(10_000, 1, 1) * MS_PER_DAY - 1;

/** Milliseconds since the epoch of a timestamp input, or undefined when it is not one. */
function instantOf(value: string | Date, precision: TimestampPrecision): number | undefined {
  const time = typeof value === 'string' ? parseTimestamp(value, precision) : value.getTime();
  return time === undefined || Number.isNaN(time) ? undefined : time;
}

const timestampHint = 'an ISO 8601 date and time with a UTC offset (e.g. 2026-01-05T09:30:00Z)';

/**
 * A `timestamptz` column: an ISO 8601 string with an offset, or a `Date`. The output is a `Date`,
 * what Drizzle writes and reads for these columns, always one the database can store.
 */
export function timestamptz(precision: TimestampPrecision = 'milliseconds') {
  return z
    .union([z.string(), z.date()], { error: expected(timestampHint) })
    .check(
      z.refine<string | Date>((value) => instantOf(value, precision) !== undefined, { error: must(`be ${timestampHint}`) }),
      z.refine<string | Date>(
        (value) => {
          const time = instantOf(value, precision);
          return time === undefined || (time >= FIRST_INSTANT && time <= LAST_INSTANT);
        },
        { error: must('be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z once converted to UTC') },
      ),
    )
    .transform((value) => new Date(instantOf(value, precision) ?? Number.NaN));
}

/** A `date` column (Drizzle's string mode): `YYYY-MM-DD`. */
export function isoDate() {
  return z
    .string({ error: expected('a date as YYYY-MM-DD') })
    .check(z.refine<string>((value) => parseDate(value) !== undefined, { error: must('be a real date as YYYY-MM-DD (e.g. 2026-01-05)') }));
}

/** A `time` column: `HH:MM`, `HH:MM:SS` or `HH:MM:SS.ffffff`, 00:00 to 24:00. */
export function timeOfDay() {
  return z
    .string({ error: expected('a time of day as HH:MM or HH:MM:SS') })
    .check(z.refine<string>((value) => TIME.test(value), { error: must('be a time of day as HH:MM or HH:MM:SS (00:00 to 24:00)') }));
}
