import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';

/**
 * A Supabase-like token issuer for tests: the legacy HS256 secret and an asymmetric signing key
 * (ES256, as Supabase issues them now) published as a JWKS, plus a second key that is not published
 * (a token signed with it is "wrongly signed").
 */
export interface TestIssuer {
  readonly secret: string;
  readonly jwks: JSONWebKeySet;
  /** A user's access token, signed with the published ES256 key (or `alg: 'HS256'` with the secret). */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
}

export interface SignOptions {
  readonly alg?: 'ES256' | 'HS256';
  /** Seconds from now until `exp`; negative for an expired token; `null` for none. */
  readonly expiresIn?: number | null;
  /** Sign with a key the JWKS does not contain (or, for HS256, another secret). */
  readonly wrongKey?: boolean;
}

export async function createTestIssuer(): Promise<TestIssuer> {
  const secret = 'test-jwt-secret-with-at-least-32-characters-0123456789';
  const published = await generateKeyPair('ES256', { extractable: true });
  const unpublished = await generateKeyPair('ES256', { extractable: true });
  const kid = 'test-key-1';
  const jwk = { ...(await exportJWK(published.publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    secret,
    jwks: { keys: [jwk] },
    async sign(claims, options = {}) {
      const alg = options.alg ?? 'ES256';
      const now = Math.floor(Date.now() / 1000);
      let jwt = new SignJWT(claims).setProtectedHeader(alg === 'HS256' ? { alg, typ: 'JWT' } : { alg, typ: 'JWT', kid }).setIssuedAt(now - 5);
      if (options.expiresIn !== null) jwt = jwt.setExpirationTime(now + (options.expiresIn ?? 3600));
      if (alg === 'HS256') return jwt.sign(new TextEncoder().encode(options.wrongKey ? `${secret}-not-the-projects` : secret));
      return jwt.sign(options.wrongKey ? unpublished.privateKey : published.privateKey);
    },
  };
}

/** An access token's claims for a user, as Supabase Auth writes them. */
export function userClaims(userId: string, extra: JWTPayload = {}): JWTPayload {
  return { sub: userId, role: 'authenticated', aud: 'authenticated', email: `${userId.slice(0, 8)}@example.org`, aal: 'aal1', session_id: crypto.randomUUID(), ...extra };
}

/** `header.payload.` with `alg: none`: an unsigned token an attacker might try. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.`;
}

export interface JwksServer {
  /** The project URL (`SUPABASE_URL`): the JWKS is at `${url}/auth/v1/.well-known/jwks.json`. */
  readonly url: string;
  readonly jwksUrl: string;
  /** How many times the key set was fetched. */
  requests(): number;
  close(): Promise<void>;
}

/** Serves a key set on loopback where Supabase Auth publishes it. */
export async function serveJwks(jwks: JSONWebKeySet): Promise<JwksServer> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    if (request.url !== '/auth/v1/.well-known/jwks.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jwksUrl: `${url}/auth/v1/.well-known/jwks.json`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
