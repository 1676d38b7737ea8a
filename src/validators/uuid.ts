import * as z from 'zod';
import { expected, must } from './label';

/**
 * A `uuid` as PostgreSQL reads it: 32 hex digits in either case, optionally in braces, with an
 * optional hyphen after any group of four (`uuid_in`). Any version and variant: the database does
 * not care, so neither do we (`z.uuid()` would refuse the nil UUID's neighbours and version-0 ids
 * that the database stores happily). The output is the canonical form the database returns, so
 * comparing two ids (`supervisor_id <> supervisee_id`) compares what the database compares.
 */
const UUID = /^(?:[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}|\{[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}\})$/i;

/** True when PostgreSQL reads `value` as a uuid. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `{A0EEBC99…}` → `a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11`; anything else is returned unchanged. */
export function canonicalUuid(value: string): string {
  if (!UUID.test(value)) return value;
  const hex = value.replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A `uuid` column. */
export function uuid() {
  return z
    .string({ error: expected('a UUID') })
    .check(z.refine<string>(isUuid, { error: must('be a UUID (32 hex digits, e.g. 0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90)') }))
    .overwrite(canonicalUuid);
}
