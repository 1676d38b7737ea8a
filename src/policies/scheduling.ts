import { calendarBlackouts, sessionParticipants, sessionSeries, sessionTypes, therapySessions } from '../schema';
import { live, ownSession, supervisedIn } from './arms';
import { allow, and, anyOf, app, auth, eq, isNull, policiesByName, tableAccess } from './dsl';

/**
 * Scheduling. Sessions are never hard-deleted by clients: they are cancelled, or soft-deleted by an
 * org admin (`deleted_at`, which only org admins see). A therapist's writes require their own
 * therapist membership in the row's organisation and leave `deleted_at` null.
 */

export const sessionTypesAccess = tableAccess(sessionTypes, {
  tenant: { column: sessionTypes.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: "their organisations' session types",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds()),
    }),
    allow(['insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: "their organisations' session types",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['code', 'name', 'discipline', 'kind', 'defaultDurationMinutes', 'isGroup', 'maxParticipants', 'defaultBillingCodeId', 'isBillable', 'active'],
    }),
  ],
});

const seriesColumns = ['therapistId', 'sessionTypeId', 'schoolId', 'rrule', 'localStartTime', 'durationMinutes', 'timezone', 'activeDuring'] as const;

export const sessionSeriesAccess = tableAccess(sessionSeries, {
  tenant: { column: sessionSeries.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: "their organisations' recurring slots (not at a deleted school)",
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds()), live(t.schoolId)),
    }),
    allow('select', {
      who: 'org_admin',
      summary: "their organisations' recurring slots, at deleted schools included",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow(['insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: "their organisations' series",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: seriesColumns,
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'their own series, created by themselves',
      withCheck: ({ t }) => and(eq(t.therapistId, auth.uid()), eq(t.createdBy, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist'))),
    }),
    allow('update', {
      who: 'therapist',
      summary: 'their own series',
      using: ({ t }) => and(eq(t.therapistId, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist'))),
      columns: seriesColumns,
    }),
  ],
});

const sessionColumns = [
  'sessionTypeId', 'seriesId', 'schoolId', 'location', 'deliveryMode', 'startTime', 'endTime', 'status',
  'cancellationReason', 'cancellationNote', 'cancelledBy', 'cancelledAt', 'makeupForSessionId',
] as const;

/**
 * Select arms are declared cheapest and narrowest first, because Postgres evaluates a policy's OR
 * arms left to right and runs each arm's helper (an initPlan) only when a row reaches it: a
 * therapist's calendar or a guardian's child's sessions then never pay for the organisation-wide
 * arms, which serve admins' organisation-wide queries where one extra helper call is noise.
 */
export const therapySessionsAccess = tableAccess(therapySessions, {
  tenant: { column: therapySessions.organizationId },
  rules: [
    allow('select', {
      who: 'therapist',
      summary: 'their own live sessions, in organisations where they are a therapist',
      using: ({ t }) => and(isNull(t.deletedAt), eq(t.therapistId, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')), live(t.schoolId)),
    }),
    allow('select', {
      who: ['therapist', 'guardian', 'student'],
      summary: "live sessions of their students: a therapist's caseload, a guardian's children, a student's own",
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.id, app.relatedSessionIds()), live(t.schoolId)),
    }),
    allow('select', {
      who: 'supervisor',
      summary: "their supervisees' live sessions in the supervision's organisation",
      using: ({ t }) => and(isNull(t.deletedAt), supervisedIn(t.organizationId, t.therapistId), live(t.schoolId)),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "their school's live schedule",
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.schoolId, app.staffSchoolIds())),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'sessions of their organisations, soft-deleted included',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: 'billing',
      summary: 'live sessions of their organisations',
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.organizationId, app.orgIds('billing')), live(t.schoolId)),
    }),
    allow(['insert', 'update'], {
      who: 'org_admin',
      summary: 'sessions of their organisations (soft delete: set deleted_at)',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: [...sessionColumns, 'therapistId', 'deletedAt'] as const,
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'their own sessions, created by themselves',
      withCheck: ({ t }) =>
        and(eq(t.therapistId, auth.uid()), eq(t.createdBy, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')), isNull(t.deletedAt)),
    }),
    allow('update', {
      who: 'therapist',
      summary: 'their own live sessions (never soft-deleting them)',
      using: ({ t }) => and(eq(t.therapistId, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')), isNull(t.deletedAt)),
      columns: sessionColumns,
    }),
  ],
});

const participantColumns = ['serviceMandateId', 'attendance', 'minutesAttended'] as const;

/** Select arms narrowest first, as for `therapy_sessions`. */
export const sessionParticipantsAccess = tableAccess(sessionParticipants, {
  tenant: { column: sessionParticipants.organizationId },
  rules: [
    allow('select', {
      who: ['therapist', 'guardian', 'student'],
      summary: "participations of their students in live sessions: a therapist's caseload (supervisors: their supervisees' too), a guardian's children, a student's own",
      using: ({ t }) => and(anyOf(t.studentId, app.relatedStudentIds()), live(t.sessionId)),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "their school's students' participations in live sessions",
      using: ({ t }) => and(anyOf(t.studentId, app.schoolStudentIds()), live(t.sessionId)),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'participants of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: 'billing',
      summary: 'participations of live students in live sessions of their organisations',
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds('billing')), live(t.sessionId, t.studentId)),
    }),
    allow(['insert', 'update'], {
      who: 'org_admin',
      summary: 'participants of their organisations (no delete: record attendance, or cancel the session)',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: participantColumns,
    }),
    allow(['insert', 'update'], {
      who: 'therapist',
      summary: 'students of their own caseload in their own live sessions: adding them, recording attendance',
      using: ({ t }) => and(anyOf(t.studentId, app.assignedStudentIds()), ownSession(t.sessionId)),
      columns: participantColumns,
    }),
  ],
});

const blackoutColumns = ['schoolId', 'therapistId', 'kind', 'during', 'note'] as const;

export const calendarBlackoutsAccess = tableAccess(calendarBlackouts, {
  tenant: { column: calendarBlackouts.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: "their organisations' holidays, closures and leave (not of a deleted school)",
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds()), live(t.schoolId)),
    }),
    allow('select', {
      who: 'org_admin',
      summary: "their organisations' blackouts, of deleted schools included",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow(['insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: "their organisations' blackouts",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: blackoutColumns,
    }),
    allow(['insert', 'update'], {
      who: 'therapist',
      summary: 'their own leave',
      using: ({ t }) => and(eq(t.therapistId, auth.uid()), eq(t.kind, 'therapist_leave'), anyOf(t.organizationId, app.orgIds('therapist'))),
      columns: blackoutColumns,
    }),
  ],
});

export const schedulingAccess = [sessionTypesAccess, sessionSeriesAccess, therapySessionsAccess, sessionParticipantsAccess, calendarBlackoutsAccess] as const;

export const {
  session_types_tenant_isolation,
  session_types_select_authenticated,
  session_types_insert_authenticated,
  session_types_update_authenticated,
  session_types_delete_authenticated,
} = policiesByName(sessionTypesAccess);

export const {
  session_series_tenant_isolation,
  session_series_select_authenticated,
  session_series_insert_authenticated,
  session_series_update_authenticated,
  session_series_delete_authenticated,
} = policiesByName(sessionSeriesAccess);

export const {
  therapy_sessions_tenant_isolation,
  therapy_sessions_select_authenticated,
  therapy_sessions_insert_authenticated,
  therapy_sessions_update_authenticated,
} = policiesByName(therapySessionsAccess);

export const {
  session_participants_tenant_isolation,
  session_participants_select_authenticated,
  session_participants_insert_authenticated,
  session_participants_update_authenticated,
} = policiesByName(sessionParticipantsAccess);

export const {
  calendar_blackouts_tenant_isolation,
  calendar_blackouts_select_authenticated,
  calendar_blackouts_insert_authenticated,
  calendar_blackouts_update_authenticated,
  calendar_blackouts_delete_authenticated,
} = policiesByName(calendarBlackoutsAccess);
