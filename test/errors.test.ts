import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/postgres-js';
import { describeDbError, findDbError, formatDbError, isDbError } from '../src/errors';
import { organizations } from '../src/schema';
import { at, createWorld, insertSession, slot, type World } from './invariants/helpers';
import type postgres from 'postgres';

/** The error a statement raises, from a transaction that is rolled back either way. */
async function raised(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<unknown> {
  let error: unknown;
  await sql
    .begin(async (tx) => {
      await fn(tx);
      throw new Error('the statement was accepted');
    })
    .catch((e: unknown) => {
      error = e;
    });
  if (!isDbError(error)) throw error;
  return error;
}

describe('describeDbError, on real errors from the database', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  it('23505 unique: the table, the constraint and the key columns', async () => {
    const error = await raised(w.db.sql, (tx) =>
      tx`insert into public.organizations (name, slug, org_type) values ('Copy Cat District', 'maple-valley', 'school_district')`,
    );
    expect(describeDbError(error)).toMatchObject({
      code: '23505',
      kind: 'unique',
      table: 'organizations',
      constraint: 'organizations_slug_key',
      message: 'organizations with this slug already exists (organizations_slug_key)',
    });
  });

  it('23503 foreign key: a reference to a row of another organisation', async () => {
    const error = await raised(w.db.sql, (tx) =>
      insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId: w.fx.a.users.therapist, ...slot(at(70, 15), 30), schoolId: w.fx.b.schoolIds[0] }),
    );
    expect(describeDbError(error)).toMatchObject({
      code: '23503',
      kind: 'foreign_key',
      table: 'therapy_sessions',
      constraint: 'therapy_sessions_organization_id_school_id_fkey',
      message: 'organization_id, school_id must point to an existing schools row of the same organisation (therapy_sessions_organization_id_school_id_fkey)',
    });
  });

  it('23503 foreign key: a row still referenced cannot be removed', async () => {
    // Students and sessions refer to the school (no action): checked at the end of the statement.
    const error = await raised(w.db.sql, (tx) => tx`delete from public.schools where id = ${w.fx.a.schoolIds[1]}`);
    const described = describeDbError(error);
    expect(described).toMatchObject({ code: '23503', kind: 'foreign_key' });
    expect(described.message).toMatch(/^schools is still referenced by (students|therapy_sessions) and cannot be removed \((students|therapy_sessions)_organization_id_school_id_fkey\)$/);
  });

  it('23001 (PostgreSQL 18) or 23503 restrict: a row an ON DELETE RESTRICT key still refers to cannot be removed', async () => {
    // A new student whose only reference is a consent, which refers to its student with on delete restrict.
    const error = await raised(w.db.sql, async (tx) => {
      const [s] = await tx<{ id: string }[]>`
        insert into public.students (organization_id, first_name, last_name, date_of_birth) values (${w.fx.a.organizationId}, 'Rae', 'Restrict', '2015-01-01') returning id`;
      await tx`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
               values (${w.fx.a.organizationId}, ${s!.id}, 'treatment', now(), 'e_signature', ${w.fx.a.users.org_admin})`;
      await tx`delete from public.students where id = ${s!.id}`;
    });
    // PostgreSQL 18 (PGlite) reports ON DELETE RESTRICT as restrict_violation; 15 to 17 as foreign_key_violation.
    const [{ version }] = await w.db.sql<[{ version: number }]>`select current_setting('server_version_num')::int as version`;
    expect(describeDbError(error)).toMatchObject({
      code: version >= 180000 ? '23001' : '23503',
      kind: 'foreign_key',
      table: 'consents',
      constraint: 'consents_organization_id_student_id_fkey',
      message: 'students is still referenced by consents and cannot be removed (consents_organization_id_student_id_fkey)',
    });
  });

  it('23514 check constraint: the rule by name', async () => {
    const error = await raised(w.db.sql, (tx) => tx`update public.organizations set slug = 'Not A Slug!' where id = ${w.fx.a.organizationId}`);
    expect(describeDbError(error)).toMatchObject({
      code: '23514',
      kind: 'check',
      table: 'organizations',
      constraint: 'organizations_slug_check',
      message: 'organizations breaks the rule organizations_slug_check',
    });
  });

  it("23514 raised by a trigger: the trigger's own sentence, its table, column and rule", async () => {
    const error = await raised(w.db.sql, (tx) => tx`update public.therapy_sessions set status = 'scheduled' where id = ${w.fx.a.sessionIds.pastS1}`);
    const described = describeDbError(error);
    expect(described).toMatchObject({ code: '23514', kind: 'check', table: 'therapy_sessions', column: 'status', constraint: 'therapy_sessions_status_transition' });
    expect(described.message).toBe('illegal session status transition completed -> scheduled (therapy_sessions_status_transition)');
  });

  it('23P01 exclusion: what overlaps, by rule', async () => {
    const t = w.fx.a.users.therapist;
    const error = await raised(w.db.sql, async (tx) => {
      await insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId: t, ...slot(at(70, 15), 30) });
      await insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId: t, ...slot(at(70, 15, 10), 30) });
    });
    const described = describeDbError(error);
    expect(described).toMatchObject({
      code: '23P01',
      kind: 'exclusion',
      table: 'therapy_sessions',
      constraint: 'therapy_sessions_therapist_overlap_excl',
      message: 'therapy_sessions overlaps an existing one (therapy_sessions_therapist_overlap_excl)',
    });
    expect(described.detail).toMatch(/^Key \(organization_id, therapist_id, tstzrange\(start_time, end_time, '\[\)'::text\)\)=/);
  });

  it('23502 not null: the missing column', async () => {
    const error = await raised(w.db.sql, (tx) =>
      tx`insert into public.students (organization_id, last_name, date_of_birth) values (${w.fx.a.organizationId}, 'Nameless', '2015-01-01')`,
    );
    const described = describeDbError(error);
    expect(described).toMatchObject({ code: '23502', kind: 'not_null', table: 'students', column: 'first_name', message: 'first_name is required on students' });
    expect(described.constraint).toBeUndefined();
  });

  it('P0001 raised: the message as the database gave it, with a rule when one is named', async () => {
    const plain = describeDbError(await raised(w.db.sql, (tx) => tx`do $$ begin raise exception 'nothing to schedule'; end $$`));
    expect(plain).toMatchObject({ code: 'P0001', kind: 'raised', message: 'nothing to schedule' });
    expect(plain.constraint).toBeUndefined();
    const named = describeDbError(
      await raised(w.db.sql, (tx) => tx`do $$ begin raise exception 'the term has ended' using table = 'therapy_sessions', constraint = 'term_is_open'; end $$`),
    );
    expect(named).toMatchObject({ code: 'P0001', kind: 'raised', table: 'therapy_sessions', constraint: 'term_is_open', message: 'the term has ended (term_is_open)' });
  });

  it('42501 raised by a trigger: the append-only audit log', async () => {
    const described = describeDbError(await raised(w.db.sql, (tx) => tx`delete from audit.audit_log`));
    expect(described).toMatchObject({
      code: '42501',
      kind: 'permission',
      table: 'audit_log',
      constraint: 'audit_log_append_only',
      message: 'not allowed: audit.audit_log is append-only (audit_log_append_only)',
    });
  });

  it('42501 missing privilege: the table from the message', async () => {
    const described = describeDbError(
      await raised(w.db.sql, async (tx) => {
        await tx`select set_config('role', 'anon', true)`;
        await tx`select * from public.students`;
      }),
    );
    expect(described).toMatchObject({ code: '42501', kind: 'permission', table: 'students', message: 'not allowed: permission denied for table students' });
  });

  it('42501 row level security: the table from the message', async () => {
    const described = describeDbError(
      await raised(w.db.sql, async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: w.fx.a.users.therapist, role: 'authenticated' })}, true)`;
        await tx`insert into public.calendar_blackouts (organization_id, kind, during) values (${w.fx.b.organizationId}, 'holiday', '[2030-01-01,2030-01-02)')`;
      }),
    );
    expect(described).toMatchObject({ code: '42501', kind: 'permission', table: 'calendar_blackouts' });
    expect(described.message).toMatch(/^not allowed: (new row violates row-level security policy|permission denied) for table "?calendar_blackouts"?/);
  });

  it('formatDbError is one searchable log line', async () => {
    const error = await raised(w.db.sql, (tx) => tx`update public.organizations set slug = 'Not A Slug!' where id = ${w.fx.a.organizationId}`);
    expect(formatDbError(error)).toBe(
      '23514 check organizations organizations_slug_check: new row for relation "organizations" violates check constraint "organizations_slug_check"',
    );
  });

  it('anything that is not a database error is described as other', () => {
    expect(isDbError(new Error('socket hang up'))).toBe(false);
    expect(describeDbError(new Error('socket hang up'))).toMatchObject({ code: 'unknown', kind: 'other', message: 'socket hang up' });
  });

  it('a Drizzle query error (the database error as its cause) is described by the database error behind it', async () => {
    let wrapped: unknown;
    await drizzle(w.db.sql)
      .transaction(async (tx) => {
        await tx.insert(organizations).values({ name: 'Copy Cat District', slug: 'maple-valley', orgType: 'school_district' });
      })
      .catch((e: unknown) => {
        wrapped = e;
      });
    expect(isDbError(wrapped), 'Drizzle wraps the driver error').toBe(false);
    expect(findDbError(wrapped)).toMatchObject({ code: '23505' });
    expect(describeDbError(wrapped)).toMatchObject({ code: '23505', kind: 'unique', table: 'organizations', constraint: 'organizations_slug_key' });
    expect(formatDbError(wrapped)).toMatch(/^23505 unique organizations organizations_slug_key: duplicate key/);
    expect(findDbError(new Error('outer', { cause: new Error('inner') }))).toBeUndefined();
  });
});
