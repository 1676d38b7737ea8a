/**
 * POST /functions/v1/book-session — a therapist books a session for students of their caseload.
 *
 *   Authorization: Bearer <the therapist's access token>
 *   { "organizationId": "…", "sessionTypeId": "…", "startTime": "2026-03-02T15:00:00Z",
 *     "endTime": "2026-03-02T15:30:00Z", "studentIds": ["…"], "schoolId"?: "…", "location"?: "…",
 *     "deliveryMode"?: "in_person" }
 *
 * 201 with the session; 422 with field messages (the package's validators, then the database's
 * rules); 409 for an overlapping session; 403 when a row belongs to another organisation or is not
 * the therapist's to book; 401 without a valid token. The session and its participants are written
 * in one transaction as the user, under the package's RLS: a refusal writes nothing.
 */
import { therapySessions, sessionParticipants } from 'therapy-db/schema';
import { array, maxItems, minItems, therapySessionInsertSchema, uuid } from 'therapy-db/validators';
import { bearerToken } from 'therapy-db/rls';
import { rls } from '../_shared/database.ts';
import { corsHeaders, json, problemResponse, type FieldIssue } from '../_shared/http.ts';
import { log } from '../_shared/log.ts';
import { serveFunction, type RequestContext } from '../_shared/serve.ts';

/** Columns the server sets from the token: a client that sends them has misunderstood the API. */
const serverSet = ['therapistId', 'createdBy'] as const;
const studentIdsSchema = array(uuid()).check(minItems(1), maxItems(8));

const column = (key: PropertyKey) => String(key).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

serveFunction('book-session', async (request: Request, context: RequestContext): Promise<Response> => {
  if (request.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
  if (request.method !== 'POST') return problemResponse({ status: 405, error: 'method_not_allowed', message: 'use POST' });

  // The token first: a request without a valid one costs no parsing and no query.
  const claims = await rls().verify(bearerToken(request));
  const userId = claims.sub!;
  context.fields.user_id = userId;

  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return problemResponse({ status: 400, error: 'invalid_json', message: 'the body must be a JSON object' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return problemResponse({ status: 400, error: 'invalid_json', message: 'the body must be a JSON object' });
  }
  const { studentIds, ...fields } = body as Record<string, unknown>;
  const issues: FieldIssue[] = serverSet.filter((key) => key in fields).map((key) => ({ field: column(key), message: `${column(key)} is set by the server from your token` }));
  const session = therapySessionInsertSchema.safeParse({ ...fields, therapistId: userId, createdBy: userId });
  if (!session.success) issues.push(...session.error.issues.map((i) => ({ field: column(i.path[0] ?? 'body'), message: i.message })));
  const students = studentIdsSchema.safeParse(studentIds);
  if (!students.success) issues.push(...students.error.issues.map((i) => ({ field: ['student_ids', ...i.path].join('.'), message: i.message.replace(/^value/, 'student_ids') })));
  if (issues.length > 0 || !session.success || !students.success) {
    return problemResponse({ status: 422, error: 'invalid', message: 'the booking is not valid', issues });
  }

  const booked = await rls().transaction(claims, async (tx) => {
    const [row] = await tx.insert(therapySessions).values(session.data).returning({
      id: therapySessions.id,
      organizationId: therapySessions.organizationId,
      startTime: therapySessions.startTime,
      endTime: therapySessions.endTime,
      status: therapySessions.status,
    });
    await tx.insert(sessionParticipants).values(students.data.map((studentId) => ({ organizationId: row!.organizationId, sessionId: row!.id, studentId })));
    return row!;
  });
  log('info', 'session_booked', { request_id: context.requestId, user_id: userId, session_id: booked.id, students: students.data.length });
  return json(201, { session: { ...booked, studentIds: students.data } }, { Location: `/rest/v1/therapy_sessions?id=eq.${booked.id}` });
});
