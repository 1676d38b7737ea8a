import { relations, sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, pgTable, primaryKey, smallint, text, time, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import {
  attendanceCodes,
  blackoutKinds,
  cancellationReasons,
  deliveryModes,
  disciplines,
  sessionKinds,
  sessionStatuses,
  timeZones,
} from './codes';
import { createdAt, daterange, deletedAt, oneOf, setNullOnly, tstzrange, updatedAt } from './columns';
import { organizations, profiles, schools } from './identity';
import { students, therapists } from './people';
import { serviceMandates } from './caseload';
import { billingCodes, serviceCharges } from './billing';
import { sessionNotes } from './documentation';
import { goalObservations } from './goals';
import { documents } from './files';

// ------------------------------------------------------------------ session_types
/** The organisation's catalogue of session kinds (therapy, evaluation, ...), with duration and group size. */
export const sessionTypes = pgTable(
  'session_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    discipline: text('discipline', { enum: disciplines }).notNull(),
    kind: text('kind', { enum: sessionKinds }).notNull(),
    defaultDurationMinutes: smallint('default_duration_minutes').notNull(),
    isGroup: boolean('is_group').notNull().default(false),
    maxParticipants: smallint('max_participants').notNull().default(1),
    defaultBillingCodeId: uuid('default_billing_code_id'),
    isBillable: boolean('is_billable').notNull().default(true),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    foreignKey({ name: 'session_types_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('restrict'),
    foreignKey({
      name: 'session_types_default_billing_code_id_fkey',
      columns: [t.defaultBillingCodeId],
      foreignColumns: [billingCodes.id],
    }).onDelete('set null'),
    unique('session_types_organization_id_code_key').on(t.organizationId, t.code),
    unique('session_types_organization_id_id_key').on(t.organizationId, t.id),
    oneOf('session_types_discipline_check', t.discipline, disciplines),
    oneOf('session_types_kind_check', t.kind, sessionKinds),
    check('session_types_default_duration_minutes_check', sql`${t.defaultDurationMinutes} between 5 and 240`),
    check('session_types_max_participants_check', sql`${t.maxParticipants} between 1 and 8`),
    check('session_types_group_size_check', sql`${t.isGroup} or ${t.maxParticipants} = 1`),
    index('session_types_default_billing_code_id_idx').on(t.defaultBillingCodeId).where(sql`${t.defaultBillingCodeId} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ session_series
/** A recurring slot (RFC 5545 RRULE in the series' time zone) from which sessions are generated. */
export const sessionSeries = pgTable(
  'session_series',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    therapistId: uuid('therapist_id').notNull(),
    sessionTypeId: uuid('session_type_id').notNull(),
    schoolId: uuid('school_id'),
    rrule: text('rrule').notNull(),
    localStartTime: time('local_start_time').notNull(),
    durationMinutes: smallint('duration_minutes').notNull(),
    timezone: text('timezone', { enum: timeZones }).notNull(),
    activeDuring: daterange('active_during').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // Target of the sessions' composite (organization_id, series_id) FK.
    unique('session_series_organization_id_id_key').on(t.organizationId, t.id),
    foreignKey({ name: 'session_series_therapist_id_fkey', columns: [t.therapistId], foreignColumns: [therapists.id] }).onDelete('restrict'),
    foreignKey({
      name: 'session_series_organization_id_session_type_id_fkey',
      columns: [t.organizationId, t.sessionTypeId],
      foreignColumns: [sessionTypes.organizationId, sessionTypes.id],
    }),
    foreignKey({
      name: 'session_series_organization_id_school_id_fkey',
      columns: [t.organizationId, t.schoolId],
      foreignColumns: [schools.organizationId, schools.id],
    }),
    foreignKey({ name: 'session_series_created_by_fkey', columns: [t.createdBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('session_series_timezone_check', t.timezone, timeZones),
    // `\x3B` is `;`: drizzle-kit stores checks as `name;expression` and would cut a literal `;`.
    check('session_series_rrule_check', sql`${t.rrule} ~ '^FREQ=(DAILY|WEEKLY|MONTHLY)(\\x3B[A-Z]+=[A-Za-z0-9,+-]+)*$'`),
    check('session_series_duration_minutes_check', sql`${t.durationMinutes} between 5 and 240`),
    check('session_series_active_during_check', sql`not isempty(${t.activeDuring})`),
    index('session_series_organization_id_session_type_id_idx').on(t.organizationId, t.sessionTypeId),
    index('session_series_organization_id_school_id_idx').on(t.organizationId, t.schoolId),
    index('session_series_therapist_id_idx').on(t.therapistId),
    index('session_series_created_by_idx').on(t.createdBy),
  ],
).enableRLS();

// ------------------------------------------------------------------ therapy_sessions
/**
 * An appointment of one therapist with one or more students. No overlapping active sessions per
 * therapist (exclusion) and the status machine (trigger) live in `./rules`.
 */
export const therapySessions = pgTable(
  'therapy_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    therapistId: uuid('therapist_id').notNull(),
    sessionTypeId: uuid('session_type_id').notNull(),
    seriesId: uuid('series_id'),
    schoolId: uuid('school_id'),
    location: text('location'),
    deliveryMode: text('delivery_mode', { enum: deliveryModes }).notNull().default('in_person'),
    startTime: timestamp('start_time', { withTimezone: true }).notNull(),
    endTime: timestamp('end_time', { withTimezone: true }).notNull(),
    status: text('status', { enum: sessionStatuses }).notNull().default('scheduled'),
    cancellationReason: text('cancellation_reason', { enum: cancellationReasons }),
    cancellationNote: text('cancellation_note'),
    cancelledBy: uuid('cancelled_by'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    makeupForSessionId: uuid('makeup_for_session_id'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    unique('therapy_sessions_organization_id_id_key').on(t.organizationId, t.id),
    foreignKey({ name: 'therapy_sessions_therapist_id_fkey', columns: [t.therapistId], foreignColumns: [therapists.id] }).onDelete('restrict'),
    foreignKey({
      name: 'therapy_sessions_organization_id_session_type_id_fkey',
      columns: [t.organizationId, t.sessionTypeId],
      foreignColumns: [sessionTypes.organizationId, sessionTypes.id],
    }),
    foreignKey({
      name: 'therapy_sessions_organization_id_series_id_fkey',
      columns: [t.organizationId, t.seriesId],
      foreignColumns: [sessionSeries.organizationId, sessionSeries.id],
    }).onDelete(setNullOnly(t.seriesId)),
    foreignKey({
      name: 'therapy_sessions_organization_id_school_id_fkey',
      columns: [t.organizationId, t.schoolId],
      foreignColumns: [schools.organizationId, schools.id],
    }),
    foreignKey({ name: 'therapy_sessions_cancelled_by_fkey', columns: [t.cancelledBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    foreignKey({
      name: 'therapy_sessions_organization_id_makeup_for_session_id_fkey',
      columns: [t.organizationId, t.makeupForSessionId],
      foreignColumns: [t.organizationId, t.id],
    }).onDelete(setNullOnly(t.makeupForSessionId)),
    foreignKey({ name: 'therapy_sessions_created_by_fkey', columns: [t.createdBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('therapy_sessions_delivery_mode_check', t.deliveryMode, deliveryModes),
    oneOf('therapy_sessions_status_check', t.status, sessionStatuses),
    oneOf('therapy_sessions_cancellation_reason_check', t.cancellationReason, cancellationReasons),
    check('therapy_sessions_end_after_start_check', sql`${t.endTime} > ${t.startTime}`),
    check('therapy_sessions_max_length_check', sql`${t.endTime} - ${t.startTime} <= interval '4 hours'`),
    // The four cancellation fields are set exactly when the session is cancelled.
    check(
      'therapy_sessions_cancellation_fields_check',
      sql`(${t.status} = 'cancelled') = (${t.cancellationReason} is not null and ${t.cancelledAt} is not null and ${t.cancelledBy} is not null)`,
    ),
    check('therapy_sessions_cancellation_note_check', sql`${t.cancellationReason} is distinct from 'other' or ${t.cancellationNote} is not null`),
    index('therapy_sessions_organization_id_start_time_idx').on(t.organizationId, t.startTime),
    index('therapy_sessions_therapist_id_start_time_idx').on(t.therapistId, t.startTime),
    index('therapy_sessions_organization_id_session_type_id_idx').on(t.organizationId, t.sessionTypeId),
    index('therapy_sessions_organization_id_school_id_idx').on(t.organizationId, t.schoolId),
    index('therapy_sessions_organization_id_series_id_idx').on(t.organizationId, t.seriesId).where(sql`${t.seriesId} is not null`),
    index('therapy_sessions_cancelled_by_idx').on(t.cancelledBy).where(sql`${t.cancelledBy} is not null`),
    index('therapy_sessions_organization_id_makeup_for_session_id_idx')
      .on(t.organizationId, t.makeupForSessionId)
      .where(sql`${t.makeupForSessionId} is not null`),
    index('therapy_sessions_created_by_idx').on(t.createdBy),
    // app.soft_deleted_ids(): an organisation's soft-deleted sessions (few: deletion is for mistakes).
    index('therapy_sessions_organization_id_deleted_idx').on(t.organizationId).where(sql`${t.deletedAt} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ session_participants
/**
 * The students of a session, with attendance. `time_range` and `is_active` are copies of the
 * session's, kept in step by triggers in `./rules`, so an exclusion constraint can stop a student
 * being double-booked.
 */
export const sessionParticipants = pgTable(
  'session_participants',
  {
    organizationId: uuid('organization_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    studentId: uuid('student_id').notNull(),
    serviceMandateId: uuid('service_mandate_id'),
    attendance: text('attendance', { enum: attendanceCodes }).notNull().default('expected'),
    minutesAttended: smallint('minutes_attended'),
    // Both are copied from the session by the session_participants_sync trigger; clients never set them.
    timeRange: tstzrange('time_range').notNull().default(sql`'empty'`),
    isActive: boolean('is_active').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'session_participants_pkey', columns: [t.sessionId, t.studentId] }),
    foreignKey({
      name: 'session_participants_organization_id_session_id_fkey',
      columns: [t.organizationId, t.sessionId],
      foreignColumns: [therapySessions.organizationId, therapySessions.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'session_participants_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    // The mandate a participant's minutes count towards is one of its own student's: the student
    // is part of the key (as for notes' and charges' participants).
    foreignKey({
      name: 'session_participants_mandate_of_student_fkey',
      columns: [t.organizationId, t.studentId, t.serviceMandateId],
      foreignColumns: [serviceMandates.organizationId, serviceMandates.studentId, serviceMandates.id],
    }).onDelete(setNullOnly(t.serviceMandateId)),
    oneOf('session_participants_attendance_check', t.attendance, attendanceCodes),
    check('session_participants_minutes_attended_check', sql`${t.minutesAttended} between 0 and 240`),
    index('session_participants_organization_id_session_id_idx').on(t.organizationId, t.sessionId),
    index('session_participants_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    // A student's sessions (reference: (student_id) include (session_id)).
    index('session_participants_student_id_session_id_idx').on(t.studentId, t.sessionId),
    // (organization_id, student_id, service_mandate_id): a shorter name, as Postgres keeps 63 characters.
    index('session_participants_organization_id_student_id_mandate_idx')
      .on(t.organizationId, t.studentId, t.serviceMandateId)
      .where(sql`${t.serviceMandateId} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ calendar_blackouts
/** Holidays, closures and therapist leave: whole organisation, one school, or one therapist. */
export const calendarBlackouts = pgTable(
  'calendar_blackouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    schoolId: uuid('school_id'),
    therapistId: uuid('therapist_id'),
    kind: text('kind', { enum: blackoutKinds }).notNull(),
    during: tstzrange('during').notNull(),
    note: text('note'),
  },
  (t) => [
    foreignKey({ name: 'calendar_blackouts_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({
      name: 'calendar_blackouts_organization_id_school_id_fkey',
      columns: [t.organizationId, t.schoolId],
      foreignColumns: [schools.organizationId, schools.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'calendar_blackouts_therapist_id_fkey', columns: [t.therapistId], foreignColumns: [therapists.id] }).onDelete('cascade'),
    oneOf('calendar_blackouts_kind_check', t.kind, blackoutKinds),
    check('calendar_blackouts_during_check', sql`not isempty(${t.during})`),
    // "Which blackouts overlap this week?" (uuid in GiST needs btree_gist).
    index('calendar_blackouts_organization_id_during_idx').using('gist', t.organizationId, t.during),
    index('calendar_blackouts_organization_id_school_id_idx').on(t.organizationId, t.schoolId),
    index('calendar_blackouts_therapist_id_idx').on(t.therapistId).where(sql`${t.therapistId} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const sessionTypesRelations = relations(sessionTypes, ({ one, many }) => ({
  organization: one(organizations, { fields: [sessionTypes.organizationId], references: [organizations.id] }),
  defaultBillingCode: one(billingCodes, { fields: [sessionTypes.defaultBillingCodeId], references: [billingCodes.id] }),
  serviceMandates: many(serviceMandates),
  sessionSeries: many(sessionSeries),
  therapySessions: many(therapySessions),
}));

export const sessionSeriesRelations = relations(sessionSeries, ({ one, many }) => ({
  organization: one(organizations, { fields: [sessionSeries.organizationId], references: [organizations.id] }),
  therapist: one(therapists, { fields: [sessionSeries.therapistId], references: [therapists.id] }),
  sessionType: one(sessionTypes, { fields: [sessionSeries.sessionTypeId], references: [sessionTypes.id] }),
  school: one(schools, { fields: [sessionSeries.schoolId], references: [schools.id] }),
  createdByProfile: one(profiles, { fields: [sessionSeries.createdBy], references: [profiles.id] }),
  sessions: many(therapySessions),
}));

export const therapySessionsRelations = relations(therapySessions, ({ one, many }) => ({
  organization: one(organizations, { fields: [therapySessions.organizationId], references: [organizations.id] }),
  therapist: one(therapists, { fields: [therapySessions.therapistId], references: [therapists.id] }),
  sessionType: one(sessionTypes, { fields: [therapySessions.sessionTypeId], references: [sessionTypes.id] }),
  series: one(sessionSeries, { fields: [therapySessions.seriesId], references: [sessionSeries.id] }),
  school: one(schools, { fields: [therapySessions.schoolId], references: [schools.id] }),
  cancelledByProfile: one(profiles, {
    fields: [therapySessions.cancelledBy],
    references: [profiles.id],
    relationName: 'session_cancelled_by',
  }),
  createdByProfile: one(profiles, {
    fields: [therapySessions.createdBy],
    references: [profiles.id],
    relationName: 'session_created_by',
  }),
  makeupFor: one(therapySessions, {
    fields: [therapySessions.makeupForSessionId],
    references: [therapySessions.id],
    relationName: 'session_makeup',
  }),
  makeups: many(therapySessions, { relationName: 'session_makeup' }),
  participants: many(sessionParticipants),
  notes: many(sessionNotes),
  documents: many(documents),
}));

export const sessionParticipantsRelations = relations(sessionParticipants, ({ one, many }) => ({
  organization: one(organizations, { fields: [sessionParticipants.organizationId], references: [organizations.id] }),
  session: one(therapySessions, { fields: [sessionParticipants.sessionId], references: [therapySessions.id] }),
  student: one(students, { fields: [sessionParticipants.studentId], references: [students.id] }),
  serviceMandate: one(serviceMandates, { fields: [sessionParticipants.serviceMandateId], references: [serviceMandates.id] }),
  notes: many(sessionNotes),
  goalObservations: many(goalObservations),
  charges: many(serviceCharges),
}));

export const calendarBlackoutsRelations = relations(calendarBlackouts, ({ one }) => ({
  organization: one(organizations, { fields: [calendarBlackouts.organizationId], references: [organizations.id] }),
  school: one(schools, { fields: [calendarBlackouts.schoolId], references: [schools.id] }),
  therapist: one(therapists, { fields: [calendarBlackouts.therapistId], references: [therapists.id] }),
}));
