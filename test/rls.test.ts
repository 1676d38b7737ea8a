import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture, stableId, type Fixture } from '../src/demo';
import { alreadyVerifiedClaims, bearerToken, createRls, JwtRejectedError, jwtVerifier, type JwtRejectionReason, type Rls } from '../src/rls';
import { therapySessions } from '../src/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { createTestIssuer, serveJwks, unsignedToken, userClaims, type JwksServer, type TestIssuer } from './support/tokens';

/**
 * therapy-db/rls: server code runs as the request's user. The threat model: a client holds a token
 * (its own, expired, forged, another project's, the service key) and a body it chose.
 */

let db: TestDatabase;
let fx: Fixture;
let issuer: TestIssuer;
let rls: Rls;
/** A second client whose every query is recorded, to prove refused tokens run none. */
let observed: postgres.Sql;
const queries: string[] = [];
let jwks: JwksServer;

const day = 24 * 60 * 60 * 1000;
/** A free half-hour `days` from now (the fixture's sessions are at ±7 days, 16:00 UTC). */
function slot(days: number, hour = 10): { startTime: Date; endTime: Date } {
  const start = new Date(Date.now() + days * day);
  start.setUTCHours(hour, 0, 0, 0);
  return { startTime: start, endTime: new Date(start.getTime() + 30 * 60 * 1000) };
}

const therapist = () => fx.a.users.therapist;
const sessionType = (org: 'a' | 'b' = 'a') => stableId(`org-${org}:session-type:slp-individual`);
const booking = (days: number, hour = 10) => ({
  organizationId: fx.a.organizationId,
  therapistId: therapist(),
  sessionTypeId: sessionType(),
  createdBy: therapist(),
  ...slot(days, hour),
});

async function refusal(promise: Promise<unknown>): Promise<JwtRejectionReason> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(JwtRejectedError);
  return (error as JwtRejectedError).reason;
}

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedFixture(db.sql);
  issuer = await createTestIssuer();
  rls = createRls({ sql: db.sql, jwt: { secret: issuer.secret, jwks: issuer.jwks } });
  observed = postgres(db.url, { max: 1, onnotice: () => {}, debug: (_connection, query) => queries.push(query) });
  jwks = await serveJwks(issuer.jwks);
});
afterAll(async () => {
  await observed?.end({ timeout: 5 });
  await jwks?.close();
  await db?.close();
});

describe('a verified token runs the transaction as its user', () => {
  it('an ES256 token (JWKS): the callback gets a typed Drizzle transaction, RLS applies, and the write is committed', async () => {
    const token = await issuer.sign(userClaims(therapist()));
    const inserted = await rls.transaction(token, async (tx) => {
      const [who] = await tx.execute<{ uid: string; role: string }>(sql`select auth.uid() as uid, current_user as role`);
      expect(who).toEqual({ uid: therapist(), role: 'authenticated' });
      const [row] = await tx.insert(therapySessions).values(booking(3)).returning({ id: therapySessions.id });
      // The relational API knows the package's schema: the therapist reads their own session back.
      const read = await tx.query.therapySessions.findFirst({ where: eq(therapySessions.id, row!.id), columns: { therapistId: true } });
      expect(read).toEqual({ therapistId: therapist() });
      return row!.id;
    });
    const [stored] = await db.sql`select therapist_id, created_by from public.therapy_sessions where id = ${inserted}`;
    expect(stored).toEqual({ therapist_id: therapist(), created_by: therapist() });
  });

  it('an HS256 token (the legacy shared secret) works through the postgres.js transaction', async () => {
    const token = await issuer.sign(userClaims(therapist()), { alg: 'HS256' });
    const [row] = await rls.sqlTransaction(token, (tx) => tx`select auth.uid() as uid, auth.role() as role, current_user as who`);
    expect(row).toEqual({ uid: therapist(), role: 'authenticated', who: 'authenticated' });
  });

  it('the JWKS can be a URL: fetched once, then cached', async () => {
    const remote = createRls({ sql: db.sql, jwt: { jwks: jwks.jwksUrl } });
    const before = jwks.requests();
    for (let i = 0; i < 3; i++) {
      const token = await issuer.sign(userClaims(therapist()));
      const [row] = await remote.sqlTransaction(token, (tx) => tx`select auth.uid() as uid`);
      expect(row?.uid).toBe(therapist());
    }
    expect(jwks.requests() - before).toBe(1);
  });

  it('a thrown error rolls the transaction back', async () => {
    const token = await issuer.sign(userClaims(therapist()));
    const values = booking(4);
    await expect(
      rls.transaction(token, async (tx) => {
        await tx.insert(therapySessions).values(values);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const [row] = await db.sql`select count(*)::int as n from public.therapy_sessions where start_time = ${values.startTime.toISOString()}`;
    expect(row?.n).toBe(0);
  });

  it('the role and claims end with the transaction: the connection is back to its own role', async () => {
    const token = await issuer.sign(userClaims(therapist()));
    await rls.sqlTransaction(token, (tx) => tx`select 1`);
    const [row] = await db.sql`select current_user as who, auth.uid() as uid, coalesce(current_setting('request.jwt.claims', true), '') as claims`;
    expect(row).toEqual({ who: 'postgres', uid: null, claims: '' });
  });

  it('a legacy per-claim setting left on a pooled connection does not stand in for the token', async () => {
    const intruder = fx.b.users.org_admin;
    const token = await issuer.sign(userClaims(therapist()));
    // Session-level (not local): as if other code on this pooled connection had set it.
    await observed`select set_config('request.jwt.claim.sub', ${intruder}, false)`;
    const [row] = await createRls({ sql: observed, jwt: { jwks: issuer.jwks } }).sqlTransaction(token, (tx) => tx`select auth.uid() as uid`);
    expect(row?.uid).toBe(therapist());
    await observed`select set_config('request.jwt.claim.sub', '', false)`;
  });

  it('an anon token (the anon key) runs as anon: no policy gives it a session', async () => {
    const token = await issuer.sign({ role: 'anon', iss: 'supabase' }, { alg: 'HS256' });
    const rows = await rls.sqlTransaction(token, async (tx) => {
      const [who] = await tx`select current_user as who, auth.uid() as uid`;
      expect(who).toEqual({ who: 'anon', uid: null });
      return tx.savepoint((sp) => sp`select id from public.therapy_sessions`).catch((e: { code?: string }) => e.code);
    });
    expect(rows === '42501' || (Array.isArray(rows) && rows.length === 0)).toBe(true);
  });

  it('claims that code verified elsewhere are accepted only through alreadyVerifiedClaims', async () => {
    const claims = alreadyVerifiedClaims({ sub: therapist(), role: 'authenticated' });
    const [row] = await rls.sqlTransaction(claims, (tx) => tx`select auth.uid() as uid`);
    expect(row?.uid).toBe(therapist());
    // A plain object (say, a payload decoded without checking its signature) is refused, typed or not.
    const decoded = { sub: therapist(), role: 'authenticated' };
    await expect(rls.sqlTransaction(decoded as never, (tx) => tx`select 1`)).rejects.toThrow(/unverified claims/);
    // A copy of verified claims is not verified claims: only the object the verifier returned counts.
    await expect(rls.sqlTransaction({ ...claims } as never, (tx) => tx`select 1`)).rejects.toThrow(/unverified claims/);
  });
});

describe('claims reach the database only as bound parameters', () => {
  const hostile = `o'brien'; drop table public.therapy_sessions; --`;

  it(`a claim containing a quote and "'; drop table …" is compared literally, and nothing is dropped`, async () => {
    const token = await issuer.sign(userClaims(therapist(), { email: hostile, app_metadata: { note: `'); drop table public.students; --` } }));
    const [row] = await rls.sqlTransaction(token, (tx) =>
      tx`select auth.email() = ${hostile} as email_matches, auth.jwt() -> 'app_metadata' ->> 'note' as note, auth.uid() as uid`,
    );
    expect(row).toEqual({ email_matches: true, note: `'); drop table public.students; --`, uid: therapist() });
    const [tables] = await db.sql`select to_regclass('public.therapy_sessions') is not null as sessions, to_regclass('public.students') is not null as students`;
    expect(tables).toEqual({ sessions: true, students: true });
  });

  it('the statement that sets them has no claim in its text: only $1 and $2', async () => {
    queries.length = 0;
    const token = await issuer.sign(userClaims(therapist(), { email: hostile }));
    await createRls({ sql: observed, jwt: { jwks: issuer.jwks } }).sqlTransaction(token, (tx) => tx`select 1`);
    const setter = queries.find((q) => q.includes('request.jwt.claims'));
    expect(setter).toMatch(/set_config\('role', \$1, true\), set_config\('request\.jwt\.claims', \$2, true\)/);
    expect(queries.join('\n')).not.toContain('brien');
  });
});

describe('refused tokens run no query', () => {
  const refusedCases: [string, () => Promise<string | undefined>, JwtRejectionReason][] = [
    ['no token', async () => undefined, 'missing'],
    ['not a JWT', async () => 'not-a-token', 'malformed'],
    ['three parts of garbage', async () => 'eyJhbGciOi.bm90IGpzb24.c2ln', 'malformed'],
    ['an expired token', () => issuer.sign(userClaims(therapist()), { expiresIn: -60 }), 'expired'],
    ['a token without exp', () => issuer.sign(userClaims(therapist()), { expiresIn: null }), 'invalid_claims'],
    ['a token signed with a key the JWKS does not hold', () => issuer.sign(userClaims(therapist()), { wrongKey: true }), 'bad_signature'],
    ['an HS256 token signed with another secret', () => issuer.sign(userClaims(therapist()), { alg: 'HS256', wrongKey: true }), 'bad_signature'],
    ['an unsigned token (alg: none)', async () => unsignedToken(userClaims(therapist())), 'bad_signature'],
    ['a validly signed service_role token', () => issuer.sign({ role: 'service_role', iss: 'supabase' }), 'service_role'],
    ['a validly signed token with the role postgres', () => issuer.sign({ ...userClaims(therapist()), role: 'postgres' }), 'unsupported_role'],
    ['an authenticated token whose sub is not a uuid', () => issuer.sign(userClaims(therapist(), { sub: "x' or 1=1" })), 'invalid_claims'],
  ];

  for (const [name, token, reason] of refusedCases) {
    it(`${name}: ${reason}`, async () => {
      const guarded = createRls({ sql: observed, jwt: { secret: issuer.secret, jwks: issuer.jwks } });
      queries.length = 0;
      const t = await token();
      expect(await refusal(guarded.transaction(t, async () => 'ran'))).toBe(reason);
      expect(await refusal(guarded.sqlTransaction(t, async () => 'ran'))).toBe(reason);
      expect(queries).toEqual([]);
    });
  }

  it('an HS256 token is refused where only the signing keys are configured (no algorithm confusion)', async () => {
    const jwksOnly = createRls({ sql: observed, jwt: { jwks: issuer.jwks } });
    queries.length = 0;
    expect(await refusal(jwksOnly.transaction(await issuer.sign(userClaims(therapist()), { alg: 'HS256' }), async () => 'ran'))).toBe('bad_signature');
    expect(queries).toEqual([]);
  });

  it('unreachable signing keys are a 503, not the client\'s fault', async () => {
    const unreachable = createRls({ sql: observed, jwt: { jwks: 'http://127.0.0.1:9/auth/v1/.well-known/jwks.json' } });
    queries.length = 0;
    const error = await unreachable.transaction(await issuer.sign(userClaims(therapist())), async () => 'ran').catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'keys_unavailable', status: 503 });
    expect(queries).toEqual([]);
  });

  it('every refusal carries the HTTP status to answer and a sentence saying why', async () => {
    const verify = jwtVerifier({ secret: issuer.secret });
    const expired = await verify(await issuer.sign(userClaims(therapist()), { alg: 'HS256', expiresIn: -5 })).catch((e: unknown) => e);
    expect(expired).toMatchObject({ name: 'JwtRejectedError', reason: 'expired', status: 401, message: expect.stringMatching(/expired/) });
    const service = await verify(await issuer.sign({ role: 'service_role' }, { alg: 'HS256' })).catch((e: unknown) => e);
    expect(service).toMatchObject({ reason: 'service_role', status: 403, message: expect.stringMatching(/service_role/) });
    expect(() => jwtVerifier({})).toThrow(/secret.*jwks/);
    expect(() => jwtVerifier({ secret: 'short' })).toThrow(/32 bytes/);
  });
});

describe('bearerToken', () => {
  it('reads Authorization: Bearer from a Request, Headers or the header value', () => {
    expect(bearerToken(new Request('http://x/', { headers: { authorization: 'Bearer abc.def.ghi' } }))).toBe('abc.def.ghi');
    expect(bearerToken(new Headers({ Authorization: 'bearer abc.def.ghi' }))).toBe('abc.def.ghi');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });
});
