/**
 * therapy-db/rls: server code (Node, Deno, Supabase Edge Functions) running as a request's user, so
 * the package's row level security applies to it. A token is verified (HS256 secret or JWKS) before
 * any query; the role and claims reach the database only as bound parameters, for one transaction.
 */
export { createRls, type Rls, type RlsTransaction, type RequestIdentity, type RlsSqlOptions, type RlsDrizzleOptions, type PackageSchema } from './client';
export { jwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './verify';
export { alreadyVerifiedClaims, isVerifiedClaims, requestRoleOf, type JwtClaims, type VerifiedClaims, type RequestRole } from './claims';
export { enterRequestContext, enterServiceRole, type ApiRole } from './context';
export { bearerToken } from './bearer';
export { JwtRejectedError, type JwtRejectionReason } from './errors';
