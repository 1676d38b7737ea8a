import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { alreadyVerifiedClaims, type JwtClaims, type VerifiedClaims } from './claims';
import { JwtRejectedError } from './errors';

export interface JwtVerifierOptions {
  /**
   * The project's legacy JWT secret (HS256, shared), as text or bytes. Tokens signed with it are
   * accepted while it is configured.
   */
  readonly secret?: string | Uint8Array;
  /**
   * The project's signing keys (asymmetric: ES256, RS256, as Supabase issues them now): the JWKS URL
   * (`https://<ref>.supabase.co/auth/v1/.well-known/jwks.json`, fetched when a token names a key not
   * yet seen and cached) or the key set itself.
   */
  readonly jwks?: string | URL | JSONWebKeySet;
  /** Expected `iss` (Supabase: `https://<ref>.supabase.co/auth/v1`); not checked when omitted. */
  readonly issuer?: string | readonly string[];
  /** Expected `aud` (Supabase user tokens: `authenticated`); not checked when omitted. */
  readonly audience?: string | readonly string[];
  /** Clock skew tolerated for `exp` and `nbf`, in seconds (default 0). */
  readonly clockToleranceSeconds?: number;
  /** Asymmetric algorithms accepted from the JWKS (default ES256, RS256, EdDSA). */
  readonly algorithms?: readonly string[];
  /** The verifier's clock, for tests (default now). */
  readonly currentDate?: () => Date;
}

/**
 * Verifies a token and returns its claims, or throws `JwtRejectedError` (with the HTTP status to
 * answer). The claims are `VerifiedClaims`: what the transaction functions take.
 */
export type JwtVerifier = (token: string | null | undefined) => Promise<VerifiedClaims>;

const defaultAsymmetric = ['ES256', 'RS256', 'EdDSA'] as const;
const symmetric = ['HS256'] as const;
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * A verifier for the project's tokens: HS256 with the shared secret, asymmetric keys from a JWKS, or
 * both during a key rotation (the token's `alg` picks). Every token must carry `exp`. The signature is
 * checked by `jose`; `alg: none` and algorithm confusion (an HS256 token "signed" with a public key)
 * are refused because each algorithm is accepted only with its own kind of key.
 */
export function jwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const secret = options.secret === undefined ? undefined : secretBytes(options.secret);
  const keySet = options.jwks === undefined ? undefined : jwksResolver(options.jwks);
  if (!secret && !keySet) throw new TypeError('jwtVerifier: give the JWT secret (`secret`), the signing keys (`jwks`), or both');
  const asymmetric = options.algorithms ?? defaultAsymmetric;
  const algorithms = [...(secret ? symmetric : []), ...(keySet ? asymmetric : [])];

  const key: JWTVerifyGetKey = async (header, token) => {
    if (header.alg && (symmetric as readonly string[]).includes(header.alg)) {
      if (!secret) throw new errors.JOSEAlgNotAllowed(`"${header.alg}" tokens are not accepted: no JWT secret is configured`);
      return secret;
    }
    if (!keySet) throw new errors.JOSEAlgNotAllowed(`"${header.alg}" tokens are not accepted: no signing keys (JWKS) are configured`);
    try {
      return await keySet(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      // Fetching or reading the key set failed (connection refused, timeout, non-200, not a JWKS).
      throw new JwtRejectedError('keys_unavailable', `the signing keys could not be loaded: ${(error as Error).message}`, { cause: error });
    }
  };

  return async (token) => {
    if (token === null || token === undefined || token === '') throw new JwtRejectedError('missing', 'no token: send `Authorization: Bearer <access token>`');
    if (typeof token !== 'string' || !compactJws.test(token)) throw new JwtRejectedError('malformed', 'the token is not a JWT (three base64url parts separated by dots)');
    try {
      decodeProtectedHeader(token);
    } catch (error) {
      throw new JwtRejectedError('malformed', 'the token\'s header is not readable JSON', { cause: error });
    }
    let payload: JwtClaims;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms,
        requiredClaims: ['exp'],
        ...(options.issuer ? { issuer: options.issuer as string | string[] } : {}),
        ...(options.audience ? { audience: options.audience as string | string[] } : {}),
        ...(options.clockToleranceSeconds ? { clockTolerance: options.clockToleranceSeconds } : {}),
        ...(options.currentDate ? { currentDate: options.currentDate() } : {}),
      }));
    } catch (error) {
      throw rejection(error);
    }
    return alreadyVerifiedClaims(payload);
  };
}

function secretBytes(secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.length < 32) throw new TypeError('jwtVerifier: the JWT secret must be at least 32 bytes');
  return bytes;
}

function jwksResolver(jwks: string | URL | JSONWebKeySet): JWTVerifyGetKey {
  if (typeof jwks === 'string' || jwks instanceof URL) return createRemoteJWKSet(new URL(jwks), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return createLocalJWKSet(jwks);
}

/** jose's errors, as the reasons and messages a client and a log can use. */
function rejection(error: unknown): JwtRejectedError {
  if (error instanceof JwtRejectedError) return error;
  const cause = { cause: error };
  if (error instanceof errors.JWTExpired) return new JwtRejectedError('expired', 'the token has expired: sign in again or refresh the session', cause);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new JwtRejectedError('not_yet_valid', 'the token is not valid yet (nbf is in the future)', cause);
    return new JwtRejectedError('invalid_claims', `the token's "${error.claim}" claim is ${error.reason === 'missing' ? 'missing' : 'not accepted'}`, cause);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new JwtRejectedError('bad_signature', 'the token\'s signature does not verify', cause);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new JwtRejectedError('bad_signature', 'the token was not signed by any of the project\'s signing keys', cause);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new JwtRejectedError('bad_signature', `the token's algorithm is not accepted: ${error.message}`, cause);
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new JwtRejectedError('malformed', `the token is malformed: ${error.message}`, cause);
  }
  if (error instanceof errors.JOSEError) return new JwtRejectedError('malformed', `the token was refused: ${error.message}`, cause);
  throw error;
}
