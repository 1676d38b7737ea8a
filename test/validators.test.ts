/**
 * The validators' surface (issue #5): messages a form can show, server-set columns, the update and
 * select schemas, the output types Drizzle writes, and the pieces on their own. Agreement with the
 * database, input by input, is validators.differential.test.ts.
 */
import { getTableColumns, type Column } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { seedFixture, type Fixture } from '../src/demo';
import * as schema from '../src/schema/tables';
import { sessionStatuses } from '../src/schema/codes';
import {
  auditLogUpdateSchema,
  canonicalUuid,
  columnName,
  consentUpdateSchema,
  decimal,
  documentInsertSchema,
  goalInsertSchema,
  goalObservationInsertSchema,
  guardianInsertSchema,
  isoDate,
  jsonObject,
  organizationInsertSchema,
  profileInsertSchema,
  serviceChargeInsertSchema,
  sessionNoteInsertSchema,
  sessionTypeInsertSchema,
  therapistInsertSchema,
  therapySessionInsertSchema,
  therapySessionSelectSchema,
  therapySessionUpdateSchema,
  therapySessionValidators,
  timestamptz,
  toColumns,
  webhookSubscriptionInsertSchema,
  tstzrange,
  uuid,
  validatorsByTable,
  type OrganizationInsert,
  type SessionNoteInsert,
  type TherapySessionInsert,
  type TherapySessionInsertInput,
  type TherapySessionSelect,
  type TherapySessionUpdate,
} from '../src/validators';
import type * as Validators from '../src/validators';
import type { z } from 'zod';
import { createTestDatabase, type TestDatabase } from './support/database';

const id = (n: number) => `0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e${String(n).padStart(2, '0')}`;

/** `{ path: message }` of a failed parse, for readable expectations. */
function issues(result: { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }): Record<string, string> {
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));
}

const session = {
  organizationId: id(1),
  therapistId: id(2),
  sessionTypeId: id(3),
  startTime: '2026-03-04T09:00:00Z',
  endTime: '2026-03-04T09:30:00Z',
  createdBy: id(2),
};

describe('messages a form can show', () => {
  it('names the column and says what is wrong', () => {
    expect(issues(organizationInsertSchema.safeParse({ name: ' a ', slug: '-x', orgType: 'school', stateCode: 'O', npi: '12345', settings: [] }))).toEqual({
      name: 'name must be 2 to 200 characters, not counting leading and trailing whitespace',
      slug: 'slug must be 2 to 63 lowercase letters, digits or hyphens, starting with a letter or digit',
      orgType: 'org_type must be one of: school_district, charter_school, private_school, clinic, contract_agency',
      stateCode: 'state_code must be two capital letters (e.g. OR)',
      npi: 'npi must be 10 digits',
      settings: 'settings must be a JSON object',
    });
  });

  it('says "is required" for a missing or null NOT NULL column, and what type is expected otherwise', () => {
    expect(issues(organizationInsertSchema.safeParse({ slug: null, orgType: 'clinic', name: 42 }))).toEqual({
      slug: 'slug is required',
      name: 'name must be text',
    });
    expect(issues(therapySessionInsertSchema.safeParse({ ...session, startTime: 'tomorrow', sessionTypeId: 'x' }))).toEqual({
      startTime: 'start_time must be an ISO 8601 date and time with a UTC offset (e.g. 2026-01-05T09:30:00Z)',
      sessionTypeId: 'session_type_id must be a UUID (32 hex digits, e.g. 0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90)',
    });
  });

  it('trims every whitespace character before a name is judged blank, and checks e-mail addresses and time zones', () => {
    const guardian = { organizationId: id(1), firstName: 'Ana', lastName: 'Reyes' };
    for (const blank of ['\t', '\n', '\u00a0', ' \u3000 ', '\u2028']) {
      expect(issues(guardianInsertSchema.safeParse({ ...guardian, firstName: blank }))).toEqual({
        firstName: 'first_name must be 1 to 100 characters, not counting leading and trailing whitespace',
      });
    }
    expect(guardianInsertSchema.safeParse({ ...guardian, firstName: '\tAna María\u00a0', email: "ana.o'neil+school@mail.example.org" }).success).toBe(true);
    expect(issues(guardianInsertSchema.safeParse({ ...guardian, email: 'ana@example' }))).toEqual({
      email: 'email must be an e-mail address (name@example.org, ASCII, at most 254 characters)',
    });
    expect(guardianInsertSchema.safeParse({ ...guardian, email: 'ana@exämple.org' }).success).toBe(false);
    const organization = { name: 'North District', slug: 'north', orgType: 'clinic' };
    expect(organizationInsertSchema.safeParse({ ...organization, timezone: 'America/Indiana/Knox' }).success).toBe(true);
    expect(organizationInsertSchema.safeParse({ ...organization, timezone: 'Europe/Paris' }).success).toBe(false);
    expect(organizationInsertSchema.safeParse({ ...organization, timezone: 'america/chicago' }).success).toBe(false);
  });

  it('refuses what the CHECKs refuse: blank names, non-E.164 phones, bad state codes, bad event types, NaN', () => {
    expect(issues(guardianInsertSchema.safeParse({ organizationId: id(1), firstName: '   ', lastName: 'Reyes', phone: '503-555-0123' }))).toEqual({
      firstName: 'first_name must be 1 to 100 characters, not counting leading and trailing whitespace',
      phone: 'phone must be an E.164 phone number: + and 7 to 15 digits (e.g. +15035550123)',
    });
    expect(issues(therapistInsertSchema.safeParse({ id: id(2), discipline: 'slp', credential: 'CCC-SLP', licenseNumber: 'SLP-1', licenseState: 'O' }))).toEqual({
      licenseState: 'license_state must be two capital letters (e.g. OR)',
    });
    const subscription = { organizationId: id(1), targetUrl: 'https://hooks.example.org/x', secretId: id(3) };
    expect(webhookSubscriptionInsertSchema.safeParse({ ...subscription, eventTypes: ['session.created', 'note.signed'] }).success).toBe(true);
    expect(issues(webhookSubscriptionInsertSchema.safeParse({ ...subscription, eventTypes: ['session.created', 'a.b,c.d'] }))).toEqual({
      'eventTypes.1': 'event_types[1] must be an event type such as session.cancelled (lowercase letters and underscores, one dot)',
    });
    expect(issues(webhookSubscriptionInsertSchema.safeParse({ ...subscription, eventTypes: [] }))).toEqual({ eventTypes: 'event_types must have at least 1 item' });
    const goal = { organizationId: id(1), studentId: id(7), discipline: 'slp', domain: 'fluency', goalText: 'x', measurementType: 'frequency', createdBy: id(2) };
    expect(issues(goalInsertSchema.safeParse({ ...goal, targetValue: 'NaN' }))).toEqual({ targetValue: 'target_value must be a decimal number (e.g. 80 or 80.5)' });
  });

  it('puts a rule over several columns on the field to fix', () => {
    expect(issues(therapySessionInsertSchema.safeParse({ ...session, endTime: '2026-03-04T08:59:00Z' }))).toEqual({ endTime: 'end_time must be after start_time' });
    expect(issues(therapySessionInsertSchema.safeParse({ ...session, endTime: '2026-03-04T13:00:00.001Z' }))).toEqual({ endTime: 'end_time must be at most 4 hours after start_time' });
    expect(issues(therapySessionInsertSchema.safeParse({ ...session, status: 'cancelled', cancellationReason: 'other' }))).toEqual({
      cancelledAt: 'cancelled_at is required when status is cancelled',
      cancelledBy: 'cancelled_by is required when status is cancelled',
      cancellationNote: 'cancellation_note is required when cancellation_reason is other',
    });
    expect(issues(therapySessionInsertSchema.safeParse({ ...session, cancellationReason: 'weather', cancelledAt: '2026-03-01T08:00:00Z', cancelledBy: id(4) }))).toEqual({
      status: 'status must be cancelled when cancellation_reason, cancelled_at and cancelled_by are all set',
    });
    const observation = { organizationId: id(1), goalId: id(5), sessionId: id(6), studentId: id(7), recordedBy: id(2) };
    expect(issues(goalObservationInsertSchema.safeParse({ ...observation, trialsCorrect: 11, trialsTotal: 10 }))).toEqual({ trialsCorrect: 'trials_correct must not exceed trials_total' });
    expect(issues(goalObservationInsertSchema.safeParse(observation))).toEqual({ value: 'value is required when trials_total is not given (an observation needs a measurement)' });
    expect(issues(therapistInsertSchema.safeParse({ id: id(2), discipline: 'slp', credential: 'CCC-SLP', licenseNumber: 'SLP-1' }))).toEqual({
      licenseState: 'license_state is required when license_number is set',
    });
  });

  it('runs a row rule only when the fields it reads are valid: one message per mistake', () => {
    expect(issues(therapySessionInsertSchema.safeParse({ ...session, startTime: 'soon', endTime: '2026-03-04T08:00:00Z' }))).toEqual({
      startTime: 'start_time must be an ISO 8601 date and time with a UTC offset (e.g. 2026-01-05T09:30:00Z)',
    });
  });

  it('tells which database rule a row rule mirrors', () => {
    const result = therapySessionInsertSchema.safeParse({ ...session, endTime: session.startTime });
    expect(result.error?.issues[0]).toMatchObject({ code: 'custom', path: ['endTime'], params: { constraint: 'therapy_sessions_end_after_start_check' } });
  });

  it('counts characters as PostgreSQL does (code points), not UTF-16 units', () => {
    const profile = { id: id(1), displayName: '😀'.repeat(120) };
    expect(profileInsertSchema.safeParse(profile).success).toBe(true);
    expect(issues(profileInsertSchema.safeParse({ ...profile, displayName: '😀'.repeat(121) }))).toEqual({ displayName: 'display_name must be 1 to 120 characters' });
    expect(issues(profileInsertSchema.safeParse({ ...profile, displayName: 'a\u0000b' }))).toEqual({ displayName: 'display_name cannot contain the NUL character (U+0000)' });
  });
});

describe('columns the server sets', () => {
  it('are refused as input, with the reason', () => {
    expect(issues(therapySessionInsertSchema.safeParse({ ...session, id: id(9), createdAt: '2026-01-01T00:00:00Z' }))).toEqual({
      id: 'id is set by the server',
      createdAt: 'created_at is set by the server',
    });
    expect(issues(sessionNoteInsertSchema.safeParse({ organizationId: id(1), sessionId: id(6), studentId: id(7), authorId: id(2), status: 'signed', contentHash: 'x' }))).toEqual({
      status: 'status must be draft: notes are created as drafts and signed by an update',
      contentHash: 'content_hash is set by the server',
    });
  });

  it('are absent from the output types; generated columns are not in the schemas at all', () => {
    expectTypeOf<TherapySessionInsert['id']>().toEqualTypeOf<undefined>();
    expect(Object.keys(serviceChargeInsertSchema.shape)).not.toContain('units');
    expect(Object.keys(therapistInsertSchema.shape)).not.toContain('requiresSupervision');
    expect(Object.keys(validatorsByTable['public.service_charges']!.select.shape)).toContain('units');
  });
});

describe('values come out as Drizzle writes them', () => {
  it('timestamps: ISO 8601 string or Date in, Date out', () => {
    const parsed = therapySessionInsertSchema.parse({ ...session, startTime: '2026-03-04T10:00:00+01:00', endTime: new Date('2026-03-04T09:30:00Z') });
    expect(parsed.startTime).toEqual(new Date('2026-03-04T09:00:00Z'));
    expect(parsed.endTime).toEqual(new Date('2026-03-04T09:30:00Z'));
    expectTypeOf(parsed.startTime).toEqualTypeOf<Date>();
    expectTypeOf<TherapySessionInsertInput['startTime']>().toEqualTypeOf<string | Date>();
    expect(timestamptz().safeParse(new Date(Number.NaN)).success).toBe(false);
    expect(timestamptz().safeParse(new Date('+010000-01-01T00:00:00Z')).success).toBe(false);
    expect(timestamptz().safeParse('2026-03-04T09:00:00.1234Z').success).toBe(false); // a Date would drop the digits
    expect(timestamptz('microseconds').parse('2026-03-04T09:00:00.123456+00:00')).toEqual(new Date('2026-03-04T09:00:00.123Z'));
  });

  it('uuids: any spelling PostgreSQL reads in, the canonical form out', () => {
    expect(uuid().parse('{0B5E4C1E7D0A4F439D5E2F1C8A6B3E90}')).toBe('0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90');
    expect(canonicalUuid('0b5e-4c1e-7d0a-4f43-9d5e-2f1c-8a6b-3e90')).toBe('0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90');
    expect(uuid().safeParse('0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e9').success).toBe(false);
    // The composite rule compares canonical ids: an upper-case organisation id still matches the path.
    const document = { organizationId: id(1).toUpperCase(), bucketId: 'student-records', storagePath: `${id(1)}/a.pdf`, category: 'iep', fileName: 'a.pdf', mimeType: 'application/pdf', sizeBytes: 1, uploadedBy: id(2) };
    expect(documentInsertSchema.safeParse(document).success).toBe(true);
    expect(issues(documentInsertSchema.safeParse({ ...document, storagePath: `${id(1).toUpperCase()}/a.pdf` }))).toEqual({
      storagePath: 'storage_path must start with the organization_id, as {organization_id}/...',
    });
  });

  it('numeric(p, s): rounded to the column scale before the range is checked, as the database does', () => {
    expect(decimal(7, 2).parse('80')).toBe('80.00');
    expect(decimal(7, 2).parse(100.004)).toBe('100.00');
    expect(decimal(7, 2).parse('-0.004')).toBe('0.00');
    expect(decimal(7, 2).parse('1.005e2')).toBe('100.50');
    expect(decimal(7, 2).safeParse('99999.995').success).toBe(false);
    expect(decimal(7, 2).safeParse('NaN').success).toBe(false);
    const charge = { organizationId: id(1), sessionId: id(6), studentId: id(7), noteId: id(8), billingCodeId: id(9), unitRule: 'timed_15min', renderingProviderId: id(2), serviceDate: '2026-01-05', billableMinutes: 30 };
    expect(serviceChargeInsertSchema.safeParse({ ...charge, amountBilled: '-0.004' }).success).toBe(true);
    expect(issues(serviceChargeInsertSchema.safeParse({ ...charge, amountBilled: '-0.005' }))).toEqual({ amountBilled: 'amount_billed must be at least 0' });
  });

  it('dates and ranges are strings in PostgreSQL text form', () => {
    expect(isoDate().safeParse('2024-02-29').success).toBe(true);
    expect(isoDate().safeParse('2023-02-29').success).toBe(false);
    expect(tstzrange().safeParse('[2026-01-05T09:00:00Z,2026-01-05T09:00:00Z)').success).toBe(true); // legal, but empty
    expect(tstzrange().safeParse('[2026-01-05T10:00:00Z,2026-01-05T09:00:00Z)').success).toBe(false);
  });

  it('JSON columns take JSON values only', () => {
    expect(jsonObject().safeParse({ a: [1, 'x', null, { b: true }] }).success).toBe(true);
    expect(jsonObject().safeParse({ at: new Date() }).error?.issues[0]?.message).toBe('value must be storable JSON: .at is not a JSON value (Date)');
    expect(jsonObject().safeParse({ a: 'x\u0000' }).error?.issues[0]?.message).toBe('value must be storable JSON: the string at .a cannot contain the NUL character (U+0000)');
  });
});

describe('keys that are no column: writes refuse them (strict), reads drop them', () => {
  it('a misspelt field is an error, not data silently lost', () => {
    const result = therapySessionInsertSchema.safeParse({ ...session, locaton: 'Room 4' });
    expect(result.error?.issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['locaton'], path: [], message: 'locaton is not a column of public.therapy_sessions' }]);
  });

  it('a column name where the property name belongs says which key to write', () => {
    expect(therapySessionInsertSchema.safeParse({ ...session, cancellation_note: 'snow', locaton: 'x' }).error?.issues[0]?.message).toBe(
      'cancellation_note, locaton are not columns of public.therapy_sessions (write cancellationNote for cancellation_note)',
    );
    expect(therapySessionUpdateSchema.safeParse({ start_time: '2026-03-04T09:00:00Z' }).error?.issues[0]?.message).toBe(
      'start_time is not a column of public.therapy_sessions (write startTime for start_time)',
    );
  });

  it('composed schemas stay strict (select schemas drop extra keys: see "select schemas read what the database returns")', () => {
    const reschedule = therapySessionValidators.withRules(therapySessionValidators.insertFields.pick({ startTime: true, endTime: true }));
    expect(reschedule.safeParse({ startTime: session.startTime, endTime: session.endTime, note: 'x' }).error?.issues[0]?.message).toBe(
      'note is not a column of public.therapy_sessions',
    );
  });
});

describe('values are judged, not their JSON spelling', () => {
  it('JSON 30.0 for a smallint is the number 30: the parsed value passes and its serialisation stores; the raw text 30.0 is what the database refuses', async () => {
    const body = '{"organizationId":"0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e01","code":"SLP-30","name":"Speech 30","discipline":"slp","kind":"therapy","defaultDurationMinutes":30.0}';
    const parsed = sessionTypeInsertSchema.parse(JSON.parse(body));
    expect(parsed.defaultDurationMinutes).toBe(30);
    const db = await createTestDatabase();
    try {
      const cast = (json: string) =>
        db.sql`select (json_populate_record(null::public.session_types, ${json}::text::json)).default_duration_minutes as minutes`.then(
          (rows) => rows[0]?.minutes as unknown,
          (e: { code?: string }) => e.code,
        );
      // What a handler that parsed the body sends on (Drizzle, or JSON.stringify for supabase-js).
      expect(await cast(JSON.stringify(toColumns(parsed)))).toBe(30);
      // Forwarding the raw body to PostgREST instead: its text is what the database reads.
      expect(await cast(body.replace('"defaultDurationMinutes"', '"default_duration_minutes"'))).toBe('22P02');
    } finally {
      await db.close();
    }
  });
});

describe('insert-only restrictions on a nullable column: absent and null are the same, a value is refused', () => {
  it('session notes: void_reason and cosigned_by may be null or absent on insert, never set', () => {
    const note = { organizationId: id(1), sessionId: id(6), studentId: id(7), authorId: id(2) };
    expect(sessionNoteInsertSchema.safeParse({ ...note, voidReason: null, cosignedBy: null }).success).toBe(true);
    expect(sessionNoteInsertSchema.safeParse(note).success).toBe(true);
    expect(issues(sessionNoteInsertSchema.safeParse({ ...note, voidReason: 'typo', cosignedBy: id(3) }))).toEqual({
      voidReason: 'void_reason can only be set when voiding a signed note',
      cosignedBy: 'cosigned_by is set when a supervisor co-signs a pending note, not on insert',
    });
  });
});

describe('update schemas', () => {
  it('take any subset of the columns and check a row rule when the patch carries all it reads', () => {
    expect(therapySessionUpdateSchema.safeParse({ endTime: '2026-03-04T08:00:00Z' }).success).toBe(true); // the database compares with the stored start
    expect(issues(therapySessionUpdateSchema.safeParse({ startTime: '2026-03-04T09:00:00Z', endTime: '2026-03-04T08:00:00Z' }))).toEqual({ endTime: 'end_time must be after start_time' });
    expect(issues(therapySessionUpdateSchema.safeParse({ status: 'cancelled', cancellationReason: 'weather', cancelledAt: null, cancelledBy: id(4) }))).toEqual({
      cancelledAt: 'cancelled_at is required when status is cancelled',
    });
    expect(therapySessionUpdateSchema.safeParse({ status: 'cancelled' }).success).toBe(true);
    expect(issues(therapySessionUpdateSchema.safeParse({ location: 'Room 4', id: id(1) }))).toEqual({ id: 'id is set by the server' });
  });

  it('refuse what the database never lets change', () => {
    expect(consentUpdateSchema.safeParse({ revokedAt: '2026-03-04T09:00:00Z', revokedReason: 'moved away' }).success).toBe(true);
    expect(issues(consentUpdateSchema.safeParse({ revokedAt: '2026-03-04T09:00:00Z', revokedReason: null }))).toEqual({ revokedReason: 'revoked_reason is required when revoked_at is set' });
    expect(issues(consentUpdateSchema.safeParse({ consentType: 'media' }))).toEqual({
      consentType: 'consent_type cannot be changed: consents are append-only; an update may only set revoked_at and revoked_reason',
    });
    expect(issues(auditLogUpdateSchema.safeParse({ action: 'view' }))).toEqual({ action: 'action cannot be changed: audit.audit_log is append-only' });
  });
});

describe('composing the schemas', () => {
  it('keeps the ZodObject API and the code lists', () => {
    // A form for part of a row: pick from the fields, then add back the rules that still apply.
    const reschedule = therapySessionValidators.withRules(therapySessionValidators.insertFields.pick({ startTime: true, endTime: true }));
    expect(reschedule.safeParse({ startTime: session.startTime, endTime: session.endTime }).success).toBe(true);
    expect(issues(reschedule.safeParse({ startTime: session.endTime, endTime: session.startTime }))).toEqual({ endTime: 'end_time must be after start_time' });
    expect(therapySessionInsertSchema.shape.status.unwrap().options).toEqual([...sessionStatuses]);
    // New keys extend a schema with its rules kept.
    const withColor = sessionTypeInsertSchema.extend({ color: uuid() });
    expect(issues(withColor.safeParse({ organizationId: id(1), code: 'X', name: 'X', discipline: 'slp', kind: 'therapy', defaultDurationMinutes: 30, maxParticipants: 2, color: 'x' }))).toEqual({
      color: 'color must be a UUID (32 hex digits, e.g. 0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90)',
      maxParticipants: 'max_participants must be 1 unless is_group is true',
    });
  });

  it('name every column by the snake_case of its key (the messages rely on it)', () => {
    for (const validators of Object.values(validatorsByTable)) {
      for (const [key, column] of Object.entries(getTableColumns(validators.table) as Record<string, Column>)) {
        expect(columnName(key), `${validators.name}.${key}`).toBe(column.name);
      }
    }
  });

  it('speak column names for supabase-js and PostgREST', () => {
    const row = toColumns(therapySessionInsertSchema.parse({ ...session, cancellationNote: null }));
    expect(row).toMatchObject({ organization_id: id(1), start_time: new Date(session.startTime), cancellation_note: null });
    expectTypeOf(row.end_time).toEqualTypeOf<Date>();
    expectTypeOf(row).not.toHaveProperty('endTime');
  });

  it('give Drizzle what it inserts, updates and selects', () => {
    expectTypeOf<TherapySessionInsert>().toExtend<typeof schema.therapySessions.$inferInsert>();
    expectTypeOf<TherapySessionUpdate>().toExtend<Partial<typeof schema.therapySessions.$inferInsert>>();
    expectTypeOf<TherapySessionSelect>().toEqualTypeOf<typeof schema.therapySessions.$inferSelect>();
    expectTypeOf<OrganizationInsert>().toExtend<typeof schema.organizations.$inferInsert>();
    expectTypeOf<SessionNoteInsert>().toExtend<typeof schema.sessionNotes.$inferInsert>();
    expectTypeOf<SessionNoteInsert['status']>().toEqualTypeOf<'draft' | undefined>();
  });

  it('have no `any` in the input or output of any exported schema', () => {
    type Schemas = { [K in keyof typeof Validators as (typeof Validators)[K] extends z.ZodType ? K : never]: (typeof Validators)[K] };
    type AnyKeys<T> = { [K in keyof T]-?: 0 extends 1 & T[K] ? K : never }[keyof T];
    type Offenders = { [K in keyof Schemas]: Schemas[K] extends z.ZodType ? AnyKeys<z.output<Schemas[K]>> | AnyKeys<z.input<Schemas[K]>> : never }[keyof Schemas];
    expectTypeOf<Offenders>().toEqualTypeOf<never>();
    expectTypeOf<keyof Schemas>().not.toEqualTypeOf<never>();
  });
});

describe('select schemas read what the database returns', () => {
  let db: TestDatabase;
  let fixture: Fixture;

  beforeAll(async () => {
    db = await createTestDatabase();
    fixture = await seedFixture(db.sql);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('parses every fixture row of every table, as Drizzle reads it and as JSON (PostgREST, Realtime)', async () => {
    const orm = drizzle(db.sql);
    let rows = 0;
    let tablesWithRows = 0;
    for (const validators of Object.values(validatorsByTable)) {
      const columns = getTableColumns(validators.table) as Record<string, Column>;
      const keyOf = Object.fromEntries(Object.entries(columns).map(([key, column]) => [column.name, key]));
      const { schema: pgSchema, name } = getTableConfig(validators.table);
      const viaDrizzle = await orm.select().from(validators.table);
      const viaJson = await db.sql.unsafe<{ row: Record<string, unknown> }[]>(`select to_jsonb(t) as row from "${pgSchema ?? 'public'}"."${name}" t`);
      if (viaDrizzle.length > 0) tablesWithRows++;
      for (const row of viaDrizzle) {
        const parsed = validators.select.safeParse(row);
        expect(parsed.success, `${validators.name} (Drizzle): ${JSON.stringify(issues(parsed))}`).toBe(true);
      }
      for (const { row } of viaJson) {
        const camel = Object.fromEntries(Object.entries(row).map(([column, value]) => [keyOf[column] ?? column, value]));
        const parsed = validators.select.safeParse(camel);
        expect(parsed.success, `${validators.name} (JSON): ${JSON.stringify(issues(parsed))}`).toBe(true);
      }
      rows += viaDrizzle.length;
    }
    expect(rows).toBeGreaterThan(100);
    expect(tablesWithRows).toBeGreaterThanOrEqual(28);
    expect(therapySessionSelectSchema.parse((await orm.select().from(schema.therapySessions))[0]).id).toBeTypeOf('string');
    // A PostgREST select with an embedded resource carries more keys: read, and dropped.
    const [sessionRow] = await orm.select().from(schema.therapySessions);
    const embedded = therapySessionSelectSchema.parse({ ...sessionRow, session_participants: [{ student_id: fixture.a.studentIds[0] }] });
    expect(embedded).not.toHaveProperty('session_participants');
    expect(fixture.a.organizationId).toBeTypeOf('string');
  });
});
