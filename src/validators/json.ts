import { z } from 'zod';
import { fieldLabel, type IssueLike } from './label';
import { textProblem } from './text';

/**
 * `jsonb` values. The database takes any JSON, but `jsonb` refuses the escape `\u0000` and an
 * unpaired surrogate in strings and keys; and only JSON values survive the trip (a `Date` or
 * `undefined` inside an object would be changed or dropped on the way), so only JSON values pass.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Why `value` is not storable JSON, with where (`.a[2]`), or undefined when it is. */
export function jsonProblem(value: unknown, at = ''): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at || 'it'} is not a finite number`;
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem && `${at ? `the string at ${at}` : 'it'} ${problem}`;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return `a key at ${at || 'the top level'} ${keyProblem}`;
      const problem = jsonProblem(item, `${at}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  return `${at || 'it'} is not a JSON value (${value === undefined ? 'undefined' : typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value})`;
}

function jsonMessage(object: boolean) {
  return (issue: IssueLike) => {
    const label = fieldLabel(issue.path);
    if (issue.input === undefined || issue.input === null) return `${label} is required`;
    if (object && !isPlainObject(issue.input)) return `${label} must be a JSON object`;
    return `${label} must be storable JSON: ${jsonProblem(issue.input) ?? 'unknown problem'}`;
  };
}

/** A `jsonb` column holding any JSON value. */
export function json() {
  return z.custom<JsonValue>((value) => value !== undefined && jsonProblem(value) === undefined, { error: jsonMessage(false) });
}

/** A `jsonb` column holding an object: `jsonb_typeof(x) = 'object'`, or the column's TypeScript type says so. */
export function jsonObject() {
  return z.custom<JsonObject>((value) => isPlainObject(value) && jsonProblem(value) === undefined, { error: jsonMessage(true) });
}
