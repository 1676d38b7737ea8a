/**
 * Shared by the invariant tests: a seeded database per test file, rolled-back attempts, and one
 * assertion for "the database refused this, with this SQLSTATE, naming this rule".
 */
import type postgres from 'postgres';
import { expect } from 'vitest';
import { seedFixture, type Fixture, type OrgFixture } from '../../src/demo';
import { describeDbError, isDbError, type DescribedDbError } from '../../src/errors';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { rolledBack } from '../../src/testing';

export { rolledBack };

export type Sql = postgres.Sql | postgres.TransactionSql;

/** The fixture of `src/demo` plus the ids a test needs that the fixture does not return. */
export interface World {
  readonly db: TestDatabase;
  readonly fx: Fixture;
  /** The single-participant SLP session type of each organisation. */
  readonly sessionTypeId: { readonly a: string; readonly b: string };
}

/** A migrated, seeded database of its own for one test file (call in `beforeAll`). */
export async function createWorld(): Promise<World> {
  const db = await createTestDatabase();
  const fx = await seedFixture(db.sql);
  const types = await db.sql<{ organization_id: string; id: string }[]>`
    select organization_id, id from public.session_types where code = 'SLP-IND'`;
  const typeOf = (o: OrgFixture) => types.find((t) => t.organization_id === o.organizationId)!.id;
  return { db, fx, sessionTypeId: { a: typeOf(fx.a), b: typeOf(fx.b) } };
}

/** Runs `fn` in a rolled-back transaction and returns the database error it raised; fails when it raised none. */
export async function dbErrorOf(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<DescribedDbError> {
  let raised: unknown;
  try {
    await rolledBack(sql, fn);
  } catch (error) {
    raised = error;
  }
  if (raised === undefined) throw new Error('expected the database to refuse this, but it was accepted');
  if (!isDbError(raised)) throw raised;
  return describeDbError(raised);
}

export interface ExpectedRule {
  /** SQLSTATE, e.g. `23P01`. */
  readonly code: string;
  /** The constraint name, or for trigger errors the `constraint` the trigger sets in RAISE … USING. */
  readonly rule: string;
  readonly table?: string;
  readonly column?: string;
}

/** Asserts the database refuses `fn` with `code`, naming `rule`, and that the message for a person names the rule too. */
export async function expectRefusal(sql: postgres.Sql, expected: ExpectedRule, fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<DescribedDbError> {
  const described = await dbErrorOf(sql, fn);
  expect({ code: described.code, constraint: described.constraint }, described.databaseMessage).toEqual({ code: expected.code, constraint: expected.rule });
  expect(described.message).toContain(expected.rule);
  // What PostgREST hands a client is the message, not the constraint field: it must name the rule too.
  expect(described.databaseMessage).toContain(expected.rule);
  if (expected.table) expect(described.table).toBe(expected.table);
  if (expected.column) expect(described.column).toBe(expected.column);
  return described;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A UTC instant `days` from today at `hour:minute`. */
export function at(days: number, hour: number, minute = 0): Date {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, minute, 0, 0);
  return d;
}

/** `[start, start + minutes)`. */
export function slot(start: Date, minutes: number): { start: Date; end: Date } {
  return { start, end: new Date(start.getTime() + minutes * MINUTE) };
}

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

export interface SessionInput {
  readonly org: OrgFixture;
  readonly sessionTypeId: string;
  readonly therapistId: string;
  readonly start: Date;
  readonly end: Date;
  readonly status?: string;
  readonly schoolId?: string | null;
  readonly organizationId?: string;
}

/** Inserts a session (cancelled ones get the cancellation fields) and returns its id. */
export async function insertSession(sql: Sql, s: SessionInput): Promise<string> {
  const status = s.status ?? 'scheduled';
  const cancelled = status === 'cancelled';
  const [row] = await sql<{ id: string }[]>`
    insert into public.therapy_sessions
      (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, status,
       cancellation_reason, cancelled_by, cancelled_at, created_by)
    values (${s.organizationId ?? s.org.organizationId}, ${s.therapistId}, ${s.sessionTypeId},
            ${s.schoolId === undefined ? s.org.schoolIds[0] : s.schoolId}, ${s.start.toISOString()}, ${s.end.toISOString()}, ${status},
            ${cancelled ? 'scheduling_conflict' : null}, ${cancelled ? s.org.users.org_admin : null}, ${cancelled ? new Date().toISOString() : null},
            ${s.org.users.org_admin})
    returning id`;
  return row!.id;
}

/** Adds a student to a session (the trigger copies its time range and checks consent and capacity). */
export async function addParticipant(sql: Sql, org: OrgFixture, sessionId: string, studentId: string, organizationId = org.organizationId): Promise<void> {
  await sql`insert into public.session_participants (organization_id, session_id, student_id) values (${organizationId}, ${sessionId}, ${studentId})`;
}

/** Sets the JWT claims `auth.uid()` reads, as Supabase's API does, without changing the role. */
export async function actAs(sql: Sql, sub: string): Promise<void> {
  await sql`select set_config('request.jwt.claims', ${JSON.stringify({ sub, role: 'authenticated' })}, true)`;
}
