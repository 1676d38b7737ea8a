import { JwtRejectedError } from './errors';

/** A JWT's claims as Supabase Auth issues them; `request.jwt.claims` holds them during a request. */
export interface JwtClaims {
  readonly sub?: string;
  readonly role?: string;
  readonly email?: string;
  readonly exp?: number;
  readonly [claim: string]: unknown;
}

declare const verified: unique symbol;

/**
 * Claims whose signature was checked: made only by a verifier (`jwtVerifier`) or, for claims your own
 * code verified, by `alreadyVerifiedClaims`. The transaction functions take nothing else, so a
 * decoded-but-unverified payload cannot reach the database by mistake (the type refuses it at compile
 * time, the runtime check below at run time).
 */
export type VerifiedClaims = JwtClaims & { readonly [verified]: true };

/** The database roles a request may run as; `set local role` takes an identifier, so only these. */
export type RequestRole = 'authenticated' | 'anon';

const issued = new WeakSet<object>();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Marks claims that your code has already verified (for example the result of supabase-js
 * `auth.getClaims()`, which checks the signature) as usable for a transaction. Never pass a payload
 * you only decoded. Applies the same rules as a verified token: the role must be `authenticated`
 * (with a uuid `sub`) or `anon`; `service_role` is refused.
 */
export function alreadyVerifiedClaims(claims: JwtClaims): VerifiedClaims {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new JwtRejectedError('invalid_claims', 'claims must be a JSON object');
  }
  const copy = Object.freeze({ ...claims }) as VerifiedClaims;
  requestRoleOf(copy);
  issued.add(copy);
  return copy;
}

/** The role a request with these claims runs as, or a `JwtRejectedError` saying why none. */
export function requestRoleOf(claims: JwtClaims): RequestRole {
  const role = claims.role;
  if (role === 'service_role') {
    throw new JwtRejectedError('service_role', 'a service_role token is not accepted: it bypasses row level security; use it only in trusted server code, never as a request\'s identity');
  }
  if (role === 'anon') return 'anon';
  if (role !== 'authenticated') {
    throw new JwtRejectedError('unsupported_role', `the token's role must be "authenticated" or "anon" (got ${role === undefined ? 'none' : JSON.stringify(role)})`);
  }
  if (typeof claims.sub !== 'string' || !uuidPattern.test(claims.sub)) {
    throw new JwtRejectedError('invalid_claims', 'an authenticated token needs a uuid "sub" claim (the user id)');
  }
  return 'authenticated';
}

/** True for claims made by a verifier or `alreadyVerifiedClaims` (not copies of them). */
export function isVerifiedClaims(claims: unknown): claims is VerifiedClaims {
  return typeof claims === 'object' && claims !== null && issued.has(claims);
}

