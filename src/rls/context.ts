import type postgres from 'postgres';
import { isVerifiedClaims, requestRoleOf, type VerifiedClaims } from './claims';

/** What a statement tag returns: postgres.js runs it, Drizzle's `sql` builds a query of it. */
type Tag<R> = (strings: TemplateStringsArray, ...values: string[]) => R;

/**
 * The one statement that makes a transaction a request's, written once for both drivers (postgres.js
 * and Drizzle's `sql` are both template tags that bind `${…}` as parameters). `set_config(…, true)` is
 * `set local`: it ends with the transaction, as PostgREST does it. The role is a bound parameter too
 * and comes only from the fixed set of API roles; the claims are one bound JSON text, never
 * interpolated into SQL. The legacy per-claim settings (`request.jwt.claim.sub`, …), which
 * `auth.uid()` reads first, are blanked so a value left on a pooled connection cannot stand in for
 * this request's claims.
 */
export function requestContextStatement<R>(tag: Tag<R>, role: ApiRole, claimsJson: string): R {
  return tag`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${claimsJson}, true),
    set_config('request.jwt.claim.sub', '', true), set_config('request.jwt.claim.role', '', true),
    set_config('request.jwt.claim.email', '', true), set_config('request.jwt.claim', '', true)`;
}

/** Supabase's API roles: a request is `authenticated` or `anon`; `service_role` is for server code. */
export type ApiRole = 'authenticated' | 'anon' | 'service_role';

/** The role and claims JSON for verified claims; throws for anything else. */
export function requestContext(claims: VerifiedClaims): { role: ApiRole; claimsJson: string } {
  if (!isVerifiedClaims(claims)) {
    throw new TypeError('claims must come from a jwtVerifier or alreadyVerifiedClaims(): refusing unverified claims');
  }
  return { role: requestRoleOf(claims), claimsJson: JSON.stringify(claims) };
}

/**
 * Inside a transaction you opened (postgres.js `sql.begin`): from here to its end, run as the
 * request's user (`authenticated` or `anon`) with its claims, so `auth.uid()` and every policy see
 * them.
 */
export async function enterRequestContext(tx: postgres.TransactionSql, claims: VerifiedClaims): Promise<void> {
  const { role, claimsJson } = requestContext(claims);
  await requestContextStatement(tx, role, claimsJson);
}

/**
 * Inside a transaction you opened: from here to its end, run as Supabase's `service_role` (which
 * bypasses RLS, with that role's grants), as PostgREST does for the service key. For server jobs and
 * tests; it takes no input, so nothing a client sends can choose it.
 */
export async function enterServiceRole(tx: postgres.TransactionSql): Promise<void> {
  await requestContextStatement(tx, 'service_role', JSON.stringify({ role: 'service_role' }));
}
