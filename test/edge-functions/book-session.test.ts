import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture, stableId, type Fixture } from '../../src/demo';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestIssuer, serveJwks, userClaims, type JwksServer, type TestIssuer } from '../support/tokens';
import { checkFunctions, installExample, startFunction, type RunningFunction } from './support';

/**
 * examples/edge-functions/supabase/functions/book-session, run by Deno on a loopback port and called
 * over HTTP as a browser would call it, against the test's database (PGlite, or PostgreSQL with
 * DATABASE_URL). One Deno process for the whole file.
 */

let db: TestDatabase;
let fx: Fixture;
let issuer: TestIssuer;
let auth: JwksServer;
let fn: RunningFunction;

const day = 24 * 60 * 60 * 1000;
let nextDay = 20;
/** A half-hour no other test uses (the fixture's sessions are at ±7 days). */
function freeSlot(): { startTime: string; endTime: string } {
  const start = new Date(Date.now() + nextDay++ * day);
  start.setUTCHours(15, 0, 0, 0);
  return { startTime: start.toISOString(), endTime: new Date(start.getTime() + 30 * 60_000).toISOString() };
}

const a = () => fx.a;
const therapist = () => a().users.therapist;
const sessionType = (org: 'a' | 'b') => stableId(`org-${org}:session-type:slp-individual`);
/** A booking of the therapist's caseload student (s1) in organisation A. */
const booking = (overrides: Record<string, unknown> = {}) => ({
  organizationId: a().organizationId,
  sessionTypeId: sessionType('a'),
  schoolId: a().schoolIds[0],
  ...freeSlot(),
  studentIds: [a().studentIds[0]],
  ...overrides,
});

async function book(body: unknown, token: string | undefined): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(fn.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const therapistToken = (extra: Record<string, unknown> = {}) => issuer.sign(userClaims(therapist(), extra));
const counts = async () =>
  (await db.sql<{ sessions: number; participants: number }[]>`
    select (select count(*)::int from public.therapy_sessions) as sessions, (select count(*)::int from public.session_participants) as participants`)[0]!;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedFixture(db.sql);
  issuer = await createTestIssuer();
  auth = await serveJwks(issuer.jwks);
  installExample();
  fn = await startFunction('book-session', { SUPABASE_URL: auth.url, SUPABASE_DB_URL: db.url, LEGACY_JWT_SECRET: issuer.secret });
  // A build of the package may come first (installExample): minutes on a busy machine.
}, 600_000);
afterAll(async () => {
  await fn?.stop();
  await auth?.close();
  await db?.close();
});

describe('book-session: a therapist books a session under RLS', () => {
  it('201: the session and its participant are written as the therapist (therapist_id and created_by from the token)', async () => {
    const body = booking();
    const { status, body: answer } = await book(body, await therapistToken());
    expect(status, JSON.stringify(answer)).toBe(201);
    const session = answer.session as { id: string; status: string; studentIds: string[] };
    expect(session).toMatchObject({ status: 'scheduled', studentIds: body.studentIds });
    const [row] = await db.sql`select therapist_id, created_by, organization_id from public.therapy_sessions where id = ${session.id}`;
    expect(row).toEqual({ therapist_id: therapist(), created_by: therapist(), organization_id: a().organizationId });
    const participants = await db.sql`select student_id from public.session_participants where session_id = ${session.id}`;
    expect(participants.map((p) => p.student_id)).toEqual(body.studentIds);
  });

  it('201 with a token signed by the legacy HS256 secret too (a project mid-rotation)', async () => {
    const token = await issuer.sign(userClaims(therapist()), { alg: 'HS256' });
    expect((await book(booking(), token)).status).toBe(201);
  });

  it(`a claim containing a quote and "'; drop table …" is data: the booking succeeds and every table is still there`, async () => {
    const hostile = `o'brien'; drop table public.therapy_sessions; --`;
    const { status } = await book(booking(), await therapistToken({ email: hostile, user_metadata: { full_name: `x'); drop table public.students; --` } }));
    expect(status).toBe(201);
    const [tables] = await db.sql`select to_regclass('public.therapy_sessions') is not null as sessions, to_regclass('public.students') is not null as students`;
    expect(tables).toEqual({ sessions: true, students: true });
  });
});

describe('book-session: refusals write nothing', () => {
  it('422: the package validators name each field (end before start, not a uuid, no students)', async () => {
    const before = await counts();
    const slot = freeSlot();
    const { status, body } = await book(
      booking({ startTime: slot.endTime, endTime: slot.startTime, sessionTypeId: 'not-a-uuid', studentIds: [] }),
      await therapistToken(),
    );
    expect(status).toBe(422);
    const fields = (body.issues as { field: string; message: string }[]).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['end_time', 'session_type_id', 'student_ids']));
    expect(body.issues).toContainEqual({ field: 'end_time', message: 'end_time must be after start_time' });
    expect(await counts()).toEqual(before);
  });

  it('422: a client may not choose the therapist or the author (they come from the token)', async () => {
    const { status, body } = await book(booking({ therapistId: fx.a.users.supervisor, createdBy: fx.a.users.supervisor }), await therapistToken());
    expect(status).toBe(422);
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'therapist_id' }), expect.objectContaining({ field: 'created_by' })]));
  });

  it('400: a body that is not a JSON object', async () => {
    expect((await book('{"organizationId": ', await therapistToken())).status).toBe(400);
    expect((await book([1, 2], await therapistToken())).status).toBe(400);
  });

  it("409: a session overlapping the therapist's booked one, with the field and the constraint", async () => {
    const before = await counts();
    const [upcoming] = await db.sql`select start_time, end_time from public.therapy_sessions where id = ${a().sessionIds.upcomingS1}`;
    const start = new Date(new Date(upcoming!.start_time).getTime() + 10 * 60_000);
    const { status, body } = await book(
      booking({ startTime: start.toISOString(), endTime: new Date(start.getTime() + 30 * 60_000).toISOString() }),
      await therapistToken(),
    );
    expect(status).toBe(409);
    expect(body).toMatchObject({ error: 'conflict', field: 'start_time', code: '23P01', constraint: 'therapy_sessions_therapist_overlap_excl' });
    expect(await counts()).toEqual(before);
  });

  it("403: another organisation's student — and the session booked before it is rolled back too", async () => {
    const before = await counts();
    const { status, body } = await book(booking({ studentIds: [fx.b.studentIds[0]] }), await therapistToken());
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: 'forbidden', code: '42501' });
    expect(await counts()).toEqual(before);
  });

  it("a body pointing at another organisation's rows writes nothing: its organisation (403), its session type (422), its school (422)", async () => {
    const before = await counts();
    const otherOrg = await book(booking({ organizationId: fx.b.organizationId, sessionTypeId: sessionType('b'), schoolId: fx.b.schoolIds[0] }), await therapistToken());
    expect(otherOrg.status).toBe(403);
    const otherType = await book(booking({ sessionTypeId: sessionType('b') }), await therapistToken());
    expect(otherType.status).toBe(422);
    expect(otherType.body).toMatchObject({ field: 'session_type_id', code: '23503' });
    const otherSchool = await book(booking({ schoolId: fx.b.schoolIds[0] }), await therapistToken());
    expect(otherSchool.status).toBe(422);
    expect(otherSchool.body).toMatchObject({ field: 'school_id', code: '23503' });
    expect(await counts()).toEqual(before);
  });

  it('a guardian cannot book: the therapist named (from their token) is not a therapist of the organisation (422 on therapist_id)', async () => {
    const before = await counts();
    const { status, body } = await book(booking(), await issuer.sign(userClaims(a().users.guardian)));
    expect(status).toBe(422);
    expect(body).toMatchObject({ field: 'therapist_id', code: '23503', constraint: 'therapy_sessions_therapist_id_member' });
    expect(await counts()).toEqual(before);
  });

  const badTokens: [string, () => Promise<string | undefined>, number, string][] = [
    ['no token', async () => undefined, 401, 'missing'],
    ['a malformed token', async () => 'definitely.not.a-jwt', 401, 'malformed'],
    ['an expired token', () => issuer.sign(userClaims(fx.a.users.therapist), { expiresIn: -30 }), 401, 'expired'],
    ['a token signed with a key the project does not publish', () => issuer.sign(userClaims(fx.a.users.therapist), { wrongKey: true }), 401, 'bad_signature'],
    ['an HS256 token signed with another secret', () => issuer.sign(userClaims(fx.a.users.therapist), { alg: 'HS256', wrongKey: true }), 401, 'bad_signature'],
    ['the service_role key', () => issuer.sign({ role: 'service_role', iss: 'supabase' }), 403, 'service_role'],
  ];
  for (const [name, token, status, reason] of badTokens) {
    it(`${status} for ${name} (${reason})`, async () => {
      const before = await counts();
      const answer = await book(booking(), await token());
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ error: reason });
      expect(await counts()).toEqual(before);
    });
  }
});

describe('book-session: structured logs', () => {
  it('one JSON line per request with its status and user, refusals with SQLSTATE and constraint, and never a token', async () => {
    const token = await therapistToken();
    await book(booking(), token);
    const requests = fn.logs().filter((l) => l.event === 'request');
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.at(-1)).toMatchObject({ level: 'info', function: 'book-session', method: 'POST', status: 201, user_id: therapist() });
    expect(fn.logs()).toContainEqual(expect.objectContaining({ event: 'request_refused', status: 409, code: '23P01', constraint: 'therapy_sessions_therapist_overlap_excl' }));
    const signature = token.split('.')[2]!;
    expect(fn.output.join('\n')).not.toContain(signature);
  });
});

// The types do not depend on the database: checked once, in the embedded pass.
describe.skipIf(process.env.DATABASE_URL)('the example type-checks', () => {
  it("both functions type-check against the package's shipped .d.ts (deno check)", async () => {
    const { code, output } = await checkFunctions(['book-session', 'n8n-callback']);
    expect(code, output).toBe(0);
  }, 180_000);
});

describe.runIf(process.env.DATABASE_URL)('book-session: concurrency (PostgreSQL: PGlite serves one connection at a time)', () => {
  it('10 concurrent bookings of one slot: one 201, nine 409', async () => {
    const token = await therapistToken();
    const body = booking();
    const answers = await Promise.all(Array.from({ length: 10 }, () => book(body, token)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const [row] = await db.sql`select count(*)::int as n from public.therapy_sessions where therapist_id = ${therapist()} and start_time = ${body.startTime}`;
    expect(row?.n).toBe(1);
  });
});
