import * as z from 'zod';
import { expected } from './label';

/** A `boolean` column: JSON `true` or `false` (the database would also read `'yes'` or `1`; typed clients never send them). */
export function boolean() {
  return z.boolean({ error: expected('true or false') });
}
