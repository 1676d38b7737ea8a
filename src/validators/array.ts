import * as z from 'zod';
import { expected, must } from './label';

/**
 * A PostgreSQL array column (`text[]`) as a JSON array of its elements. Nested arrays and null
 * elements are refused: the column's TypeScript type is a flat array of strings.
 */
export function array<T extends z.ZodType>(element: T) {
  return z.array(element, { error: expected('a list') });
}

/** `cardinality(x) <= max`. */
export function maxItems(max: number) {
  return z.refine<readonly unknown[]>((value) => value.length <= max, { error: must(`have at most ${max} item${max === 1 ? '' : 's'}`) });
}

/** `cardinality(x) >= min`. */
export function minItems(min: number) {
  return z.refine<readonly unknown[]>((value) => value.length >= min, { error: must(`have at least ${min} item${min === 1 ? '' : 's'}`) });
}
