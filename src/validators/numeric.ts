import * as z from 'zod';
import { expected, must } from './label';

/**
 * Numbers as the database stores them. Integer columns take JSON numbers; PostgreSQL would also
 * read the string `"5"` into a `smallint`, but a typed client never sends one, so the validators
 * follow the TypeScript types there. `numeric(p, s)` takes a number or a decimal string and, like
 * PostgreSQL, rounds it to `s` places (half away from zero) *before* checking ranges: `100.004` is
 * `100.00` and within `0..100`.
 */

const INTEGER_RANGES = {
  smallint: [-32_768, 32_767],
  integer: [-2_147_483_648, 2_147_483_647],
  // bigint columns are read as JavaScript numbers (Drizzle's `mode: 'number'`): safe integers only.
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

export type IntegerType = keyof typeof INTEGER_RANGES;

/** A `smallint`, `integer` or `bigint` column. */
export function integer(type: IntegerType) {
  const [min, max] = INTEGER_RANGES[type];
  return z
    .number({ error: expected('a whole number') })
    .int({ error: must('be a whole number') })
    .min(min, { error: must(`be at least ${min} (${type})`) })
    .max(max, { error: must(`be at most ${max} (${type})`) });
}

/** `x between min and max` on an integer column. */
export function between(min: number, max: number) {
  return z.refine<number>((value) => value >= min && value <= max, { error: must(`be between ${min} and ${max}`) });
}

/** `x >= min` / `x > min` on an integer column. */
export function atLeast(min: number, options: { exclusive?: boolean } = {}) {
  return options.exclusive
    ? z.refine<number>((value) => value > min, { error: must(`be greater than ${min}`) })
    : z.refine<number>((value) => value >= min, { error: must(`be at least ${min}`) });
}

// ------------------------------------------------------------------ numeric(p, s)
/** PostgreSQL's decimal syntax (sign, digits, point, exponent); `NaN`, `Infinity`, `0x…` and `1_000` are refused. */
const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** A decimal rounded to `scale` places: `digits` is the absolute value × 10^scale, without leading zeros. */
interface ScaledDecimal {
  readonly negative: boolean;
  readonly digits: string;
}

/** `value` × 10^scale rounded half away from zero, or undefined when it is not a decimal. */
function scaleDecimal(value: string, scale: number): ScaledDecimal | undefined {
  const m = DECIMAL.exec(value);
  if (!m) return undefined;
  const exponent = m[5] === undefined ? 0 : Number(m[5]);
  // Beyond ±1000 what PostgreSQL does depends on its version and on the digits; no client writes that.
  if (Math.abs(exponent) > 1000) return undefined;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? m[4] ?? '';
  const mantissa = whole + fraction;
  const point = whole.length + exponent + scale; // digits of `mantissa` before the (scaled) point
  let kept = point <= 0 ? '0' : mantissa.slice(0, point).padEnd(point, '0');
  const next = point >= 0 && point < mantissa.length ? Number(mantissa[point]) : 0;
  if (next >= 5) kept = increment(kept);
  kept = kept.replace(/^0+(?=\d)/, '');
  return { negative: m[1] === '-' && kept !== '0', digits: kept };
}

function increment(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '9') chars[i] = '0';
    else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}

function formatScaled({ negative, digits }: ScaledDecimal, scale: number): string {
  const padded = digits.padStart(scale + 1, '0');
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

const asText = (value: string | number): string => (typeof value === 'number' ? String(value) : value);

/**
 * The value a `numeric(precision, scale)` column stores for `value` (`'80'` → `'80.00'`), or
 * undefined when the column refuses it: not a decimal, or too large once rounded.
 */
export function storedDecimal(value: string | number, precision: number, scale: number): string | undefined {
  const scaled = scaleDecimal(asText(value), scale);
  if (!scaled || scaled.digits.length > precision) return undefined;
  return formatScaled(scaled, scale);
}

/** A `numeric(precision, scale)` column: a number or a decimal string in, the stored decimal string out. */
export function decimal(precision: number, scale: number) {
  const limit = `1${'0'.repeat(precision - scale)}`;
  return z
    .union([z.string(), z.number()], { error: expected('a number') })
    .check(
      z.refine<string | number>((value) => scaleDecimal(asText(value), scale) !== undefined, {
        error: must('be a decimal number (e.g. 80 or 80.5)'),
      }),
      z.refine<string | number>(
        (value) => {
          const scaled = scaleDecimal(asText(value), scale);
          return scaled === undefined || scaled.digits.length <= precision;
        },
        { error: must(`be less than ${limit} in size, rounded to ${scale} decimal places (numeric(${precision}, ${scale}))`) },
      ),
    )
    .transform((value) => storedDecimal(value, precision, scale) ?? asText(value));
}

/** `x between min and max` on a stored decimal string. */
export function decimalBetween(min: number, max: number) {
  return z.refine<string>((value) => Number(value) >= min && Number(value) <= max, { error: must(`be between ${min} and ${max}`) });
}

/** `x >= min` on a stored decimal string. */
export function decimalAtLeast(min: number) {
  return z.refine<string>((value) => Number(value) >= min, { error: must(`be at least ${min}`) });
}
