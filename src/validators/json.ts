import * as z from 'zod';
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

/**
 * The deepest nesting of arrays and objects accepted. PostgreSQL stores far deeper `jsonb`, but the
 * value has to get there: `JSON.stringify` (what Drizzle, postgres.js and supabase-js send with)
 * overflows the call stack a little beyond 4 000 levels in Node and in browsers, less inside a deep
 * call stack. 1 000 leaves room for that and for any real document.
 */
export const MAX_JSON_DEPTH = 1_000;

/** A place in a JSON value, as a chain to the root (rendered only when a problem is reported). */
interface JsonPath {
  readonly parent: JsonPath | undefined;
  readonly segment: string | number;
}

function renderPath(prefix: string, path: JsonPath | undefined): string {
  const segments: (string | number)[] = [];
  for (let p = path; p; p = p.parent) segments.push(p.segment);
  return prefix + segments.reverse().map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
}

/** One step of the walk: look at a value, check an object key, or leave a container. */
type Step =
  | { readonly kind: 'value'; readonly value: unknown; readonly path: JsonPath | undefined; readonly depth: number }
  | { readonly kind: 'key'; readonly key: string; readonly path: JsonPath | undefined }
  | { readonly kind: 'leave'; readonly container: object };

/**
 * Why `value` is not storable JSON, with where (`.a[2]`), or undefined when it is. The walk is
 * iterative (an explicit stack, document order), so no nesting and no width makes it throw; a
 * container inside itself is reported, not followed.
 */
export function jsonProblem(value: unknown, at = ''): string | undefined {
  const stack: Step[] = [{ kind: 'value', value, path: undefined, depth: 0 }];
  const open = new Set<object>();
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.kind === 'leave') {
      open.delete(step.container);
      continue;
    }
    if (step.kind === 'key') {
      const keyProblem = textProblem(step.key);
      if (keyProblem) return `a key at ${renderPath(at, step.path) || 'the top level'} ${keyProblem}`;
      continue;
    }
    const { value: v, path, depth } = step;
    const where = () => renderPath(at, path);
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `${where() || 'it'} is not a finite number`;
      continue;
    }
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return `${where() ? `the string at ${where()}` : 'it'} ${problem}`;
      continue;
    }
    const isArray = Array.isArray(v);
    if (!isArray && !isPlainObject(v)) {
      return `${where() || 'it'} is not a JSON value (${v === undefined ? 'undefined' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v})`;
    }
    if (open.has(v)) return `${where() || 'it'} contains itself (a circular reference is not JSON)`;
    if (depth >= MAX_JSON_DEPTH) return `it nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`;
    open.add(v);
    stack.push({ kind: 'leave', container: v });
    // Pushed in reverse, so they are looked at in document order: a key, then its value.
    if (isArray) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ kind: 'value', value: v[i], path: { parent: path, segment: i }, depth: depth + 1 });
    } else {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        stack.push({ kind: 'value', value: item, path: { parent: path, segment: key }, depth: depth + 1 });
        stack.push({ kind: 'key', key, path });
      }
    }
  }
  return undefined;
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
