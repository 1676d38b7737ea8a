/**
 * Why a request's token was refused. Every refusal happens before a database connection is used, so
 * a bad token costs no query.
 */
export type JwtRejectionReason =
  /** No token (no `Authorization: Bearer …` header). */
  | 'missing'
  /** Not a compact JWS (three base64url parts), or an unreadable header or payload. */
  | 'malformed'
  /** `exp` is in the past. */
  | 'expired'
  /** `nbf` is in the future. */
  | 'not_yet_valid'
  /** The signature does not verify with any configured key, or the algorithm is not allowed. */
  | 'bad_signature'
  /** A required claim is missing or wrong (`exp`, `sub`, `iss`, `aud`). */
  | 'invalid_claims'
  /** `role: service_role`: the service key bypasses RLS and is never accepted as a user's token. */
  | 'service_role'
  /** A `role` other than `authenticated` or `anon`. */
  | 'unsupported_role'
  /** The JWKS could not be fetched (a server-side problem, not the client's). */
  | 'keys_unavailable';

const statusOf: Record<JwtRejectionReason, 401 | 403 | 503> = {
  missing: 401,
  malformed: 401,
  expired: 401,
  not_yet_valid: 401,
  bad_signature: 401,
  invalid_claims: 401,
  service_role: 403,
  unsupported_role: 403,
  keys_unavailable: 503,
};

/** A token that will not be used: `reason` says why, `status` is the HTTP status to answer with. */
export class JwtRejectedError extends Error {
  override readonly name = 'JwtRejectedError';
  readonly status: 401 | 403 | 503;

  constructor(
    readonly reason: JwtRejectionReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = statusOf[reason];
  }
}
