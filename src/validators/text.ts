import * as z from 'zod';
import { emailMaxLength, emailPattern, whitespace } from '../schema/codes';
import { expected, fieldLabel, must, type Message } from './label';

/**
 * Text as PostgreSQL stores it. A `text` value may hold any Unicode character except U+0000, and
 * its length is counted in characters (code points), not UTF-16 units: `char_length('😀') = 1`.
 * Text reaches the database as JSON (PostgREST) or UTF-8 (a driver), so an unpaired UTF-16
 * surrogate is refused too: JSON cannot carry it into `text`.
 */

/** Why `value` cannot be stored as text, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0) return 'cannot contain the NUL character (U+0000)';
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return 'cannot contain an unpaired UTF-16 surrogate';
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return 'cannot contain an unpaired UTF-16 surrogate';
    }
  }
  return undefined;
}

/** Characters as PostgreSQL counts them (code points). */
export function characterCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The check every text column carries: storable characters only. */
export function storable() {
  return z.refine<string>((value) => textProblem(value) === undefined, {
    error: (issue) => `${fieldLabel(issue.path)} ${textProblem(String(issue.input)) ?? 'is not storable text'}`,
  });
}

/** A `text` column. */
export function text() {
  return z.string({ error: expected('text') }).check(storable());
}

function span(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min} to ${max} characters`;
  if (min !== undefined) return `at least ${min} character${min === 1 ? '' : 's'}`;
  return `at most ${max} characters`;
}

/** `char_length(x) between min and max` (either bound optional). */
export function length(min: number | undefined, max: number | undefined) {
  return z.refine<string>(
    (value) => {
      const count = characterCount(value);
      return (min === undefined || count >= min) && (max === undefined || count <= max);
    },
    { error: must(`be ${span(min, max)}`) },
  );
}

const surroundingWhitespace = new RegExp(`^[${whitespace.join('')}]+|[${whitespace.join('')}]+$`, 'gu');

/** The database's `btrim(x, <whitespace>)`: every Unicode whitespace character trimmed from both ends (tabs, newlines, no-break spaces too). */
export function btrim(value: string): string {
  return value.replace(surroundingWhitespace, '');
}

/** `char_length(btrim(x)) between min and max`. */
export function trimmedLength(min: number, max: number) {
  return z.refine<string>(
    (value) => {
      const count = characterCount(btrim(value));
      return count >= min && count <= max;
    },
    { error: must(`be ${span(min, max)}, not counting leading and trailing whitespace`) },
  );
}

/**
 * `x ~ 'pattern'`. The pattern must mean the same in JavaScript as in PostgreSQL's regular
 * expressions: write classes out (`[0-9]`, not `\d`, which PostgreSQL reads by locale).
 */
export function matches(pattern: RegExp, description: string) {
  return z.refine<string>((value) => pattern.test(value), { error: must(`be ${description}`) });
}

/** `x ~ <emailPattern> and char_length(x) <= 254` (profiles.email, guardians.email). */
export function emailAddress() {
  const pattern = new RegExp(emailPattern);
  return z.refine<string>((value) => pattern.test(value) && characterCount(value) <= emailMaxLength, {
    error: must(`be an e-mail address (name@example.org, ASCII, at most ${emailMaxLength} characters)`),
  });
}

/** A `custom` message check over the whole string, for rules that are not a length or a pattern. */
export function textRule(holds: (value: string) => boolean, message: Message) {
  return z.refine<string>(holds, { error: message });
}

/**
 * `char(n)`: PostgreSQL pads a shorter value with spaces and cuts trailing spaces beyond `n`, but
 * refuses any other character beyond `n`. The output is the stored value (`'OR'`, `'O '`), so checks
 * added after this one see what a CHECK constraint sees.
 */
export function fixedChar(n: number) {
  return text()
    .check(
      z.refine<string>((value) => /^ *$/.test(Array.from(value).slice(n).join('')), {
        error: must(`be at most ${n} characters (trailing spaces aside)`),
      }),
    )
    .overwrite((value) => {
      const characters = Array.from(value);
      if (characters.length > n) return characters.slice(0, n).join('');
      return value + ' '.repeat(n - characters.length);
    });
}
