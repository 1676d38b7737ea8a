import { relations, sql } from 'drizzle-orm';
import { check, date, foreignKey, index, jsonb, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import {
  assignmentRoles,
  consentTypes,
  deliverySettings,
  disciplines,
  mandatePeriods,
  planStatuses,
  planTypes,
  signatureMethods,
} from './codes';
import { createdAt, daterange, oneOf, setNullOnly } from './columns';
import { organizations, profiles } from './identity';
import { guardians, students, therapists } from './people';
import { documents } from './files';
import { sessionParticipants, sessionTypes } from './scheduling';
import { goals } from './goals';

// ------------------------------------------------------------------ caseload_assignments
/**
 * Which therapist serves which student, in which discipline and role, for which dates. Drives
 * `app.caseload_student_ids()`. One primary per student and discipline at a time: exclusion
 * constraint in `./rules`.
 */
export const caseloadAssignments = pgTable(
  'caseload_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    studentId: uuid('student_id').notNull(),
    therapistId: uuid('therapist_id').notNull(),
    discipline: text('discipline', { enum: disciplines }).notNull(),
    assignmentRole: text('assignment_role', { enum: assignmentRoles }).notNull().default('primary'),
    startsOn: date('starts_on', { mode: 'string' }).notNull().default(sql`current_date`),
    endsOn: date('ends_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'caseload_assignments_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'caseload_assignments_therapist_id_fkey', columns: [t.therapistId], foreignColumns: [therapists.id] }).onDelete('restrict'),
    oneOf('caseload_assignments_discipline_check', t.discipline, disciplines),
    oneOf('caseload_assignments_assignment_role_check', t.assignmentRole, assignmentRoles),
    check('caseload_assignments_ends_after_starts_check', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
    index('caseload_assignments_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    // The RLS helpers app.caseload_student_ids() and app.related_student_ids() start from the
    // therapist and read only these columns: an index-only scan, run in nearly every therapist's
    // statement. Also the therapist_id foreign key's index.
    index('caseload_assignments_therapist_id_current_idx').on(t.therapistId, t.organizationId, t.startsOn, t.endsOn, t.studentId),
    index('caseload_assignments_student_id_idx').on(t.studentId),
  ],
).enableRLS();

// ------------------------------------------------------------------ service_plans
/** An IEP, 504 plan, IFSP or plan of care. One active plan per type at a time: exclusion in `./rules`. */
export const servicePlans = pgTable(
  'service_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    studentId: uuid('student_id').notNull(),
    planType: text('plan_type', { enum: planTypes }).notNull(),
    status: text('status', { enum: planStatuses }).notNull().default('draft'),
    meetingDate: date('meeting_date', { mode: 'string' }),
    effectiveDuring: daterange('effective_during').notNull(),
    reevaluationDueOn: date('reevaluation_due_on', { mode: 'string' }),
    sourceDocumentId: uuid('source_document_id'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('service_plans_organization_id_id_key').on(t.organizationId, t.id),
    // Target of the goals' (organization_id, student_id, service_plan_id) FK: a goal sits on its own student's plan.
    unique('service_plans_organization_id_student_id_id_key').on(t.organizationId, t.studentId, t.id),
    foreignKey({
      name: 'service_plans_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    // A plan cites a document of its own student: the student is part of the key, so no plan rests
    // on another student's document (nor on one of no student, an org asset or a chat attachment).
    foreignKey({
      name: 'service_plans_source_document_of_student_fkey',
      columns: [t.organizationId, t.studentId, t.sourceDocumentId],
      foreignColumns: [documents.organizationId, documents.studentId, documents.id],
    }).onDelete(setNullOnly(t.sourceDocumentId)),
    foreignKey({ name: 'service_plans_created_by_fkey', columns: [t.createdBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('service_plans_plan_type_check', t.planType, planTypes),
    oneOf('service_plans_status_check', t.status, planStatuses),
    check('service_plans_effective_during_check', sql`not isempty(${t.effectiveDuring})`),
    index('service_plans_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('service_plans_student_id_idx').on(t.studentId),
    index('service_plans_organization_id_student_id_source_document_id_idx')
      .on(t.organizationId, t.studentId, t.sourceDocumentId)
      .where(sql`${t.sourceDocumentId} is not null`),
    index('service_plans_created_by_idx').on(t.createdBy),
  ],
).enableRLS();

// ------------------------------------------------------------------ service_mandates
/** The service a plan requires: minutes per session, sessions per period, setting, group size. */
export const serviceMandates = pgTable(
  'service_mandates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Not in the reference model: added so policies can filter every tenant table by organisation.
    organizationId: uuid('organization_id').notNull(),
    servicePlanId: uuid('service_plan_id').notNull(),
    // The plan's student, copied by the service_mandates_student_of_plan trigger (never chosen by
    // the writer, never null once written): the key a participant's mandate is held to its own
    // student by. Declared nullable because it was added to a released table with rows; the
    // service_mandates_student_id_check holds it not null (added NOT VALID, validated after the
    // backfill), so the plan key below is checked for every row, whoever writes.
    studentId: uuid('student_id'),
    discipline: text('discipline', { enum: disciplines }).notNull(),
    sessionTypeId: uuid('session_type_id'),
    minutesPerSession: smallint('minutes_per_session').notNull(),
    sessionsPerPeriod: smallint('sessions_per_period').notNull(),
    period: text('period', { enum: mandatePeriods }).notNull(),
    deliverySetting: text('delivery_setting', { enum: deliverySettings }).notNull(),
    groupSizeMax: smallint('group_size_max').notNull().default(1),
    effectiveDuring: daterange('effective_during').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('service_mandates_organization_id_id_key').on(t.organizationId, t.id),
    // Target of the participants' (organization_id, student_id, service_mandate_id) FK: a
    // participant's minutes count towards a mandate of its own student only.
    unique('service_mandates_organization_id_student_id_id_key').on(t.organizationId, t.studentId, t.id),
    // The mandate's student is its plan's (the trigger copies it; the key holds it for every writer).
    foreignKey({
      name: 'service_mandates_plan_of_student_fkey',
      columns: [t.organizationId, t.studentId, t.servicePlanId],
      foreignColumns: [servicePlans.organizationId, servicePlans.studentId, servicePlans.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'service_mandates_organization_id_session_type_id_fkey',
      columns: [t.organizationId, t.sessionTypeId],
      foreignColumns: [sessionTypes.organizationId, sessionTypes.id],
    }).onDelete('restrict'),
    oneOf('service_mandates_discipline_check', t.discipline, disciplines),
    check('service_mandates_minutes_per_session_check', sql`${t.minutesPerSession} between 5 and 240`),
    check('service_mandates_sessions_per_period_check', sql`${t.sessionsPerPeriod} between 1 and 31`),
    oneOf('service_mandates_period_check', t.period, mandatePeriods),
    oneOf('service_mandates_delivery_setting_check', t.deliverySetting, deliverySettings),
    check('service_mandates_group_size_max_check', sql`${t.groupSizeMax} between 1 and 8`),
    check('service_mandates_effective_during_check', sql`not isempty(${t.effectiveDuring})`),
    // A null student_id would leave the composite plan key unchecked (MATCH SIMPLE skips a row with a null).
    check('service_mandates_student_id_check', sql`${t.studentId} is not null`),
    index('service_mandates_organization_id_student_id_service_plan_id_idx').on(t.organizationId, t.studentId, t.servicePlanId),
    index('service_mandates_organization_id_session_type_id_idx').on(t.organizationId, t.sessionTypeId),
    // Policies reach mandates through their plan.
    index('service_mandates_service_plan_id_idx').on(t.servicePlanId),
  ],
).enableRLS();

// ------------------------------------------------------------------ consents
/**
 * A consent given for a student, by a guardian or by the adult student. Append-only except
 * revocation (`revoked_at` with `revoked_reason`).
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    studentId: uuid('student_id').notNull(),
    guardianId: uuid('guardian_id'),
    consentType: text('consent_type', { enum: consentTypes }).notNull(),
    scope: jsonb('scope').$type<Record<string, unknown>>().notNull().default({}),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
    signatureMethod: text('signature_method', { enum: signatureMethods }).notNull(),
    documentId: uuid('document_id'),
    recordedBy: uuid('recorded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'consents_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'consents_organization_id_guardian_id_fkey',
      columns: [t.organizationId, t.guardianId],
      foreignColumns: [guardians.organizationId, guardians.id],
    }).onDelete('restrict'),
    // The signed form is a document of the consent's own student (as a plan's source document).
    foreignKey({
      name: 'consents_organization_id_student_id_document_id_fkey',
      columns: [t.organizationId, t.studentId, t.documentId],
      foreignColumns: [documents.organizationId, documents.studentId, documents.id],
    }).onDelete('restrict'),
    foreignKey({ name: 'consents_recorded_by_fkey', columns: [t.recordedBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('consents_consent_type_check', t.consentType, consentTypes),
    check('consents_scope_check', sql`jsonb_typeof(${t.scope}) = 'object'`),
    oneOf('consents_signature_method_check', t.signatureMethod, signatureMethods),
    check('consents_expires_after_granted_check', sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.grantedAt}`),
    check('consents_revoked_after_granted_check', sql`${t.revokedAt} is null or ${t.revokedAt} >= ${t.grantedAt}`),
    check('consents_revocation_fields_check', sql`(${t.revokedAt} is null) = (${t.revokedReason} is null)`),
    index('consents_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    // "Is there an active treatment consent?" (participant trigger, billing); reference adds
    // include (granted_at, expires_at, revoked_at), which drizzle cannot declare.
    index('consents_student_id_consent_type_idx').on(t.studentId, t.consentType),
    index('consents_organization_id_guardian_id_idx').on(t.organizationId, t.guardianId),
    index('consents_organization_id_student_id_document_id_idx').on(t.organizationId, t.studentId, t.documentId).where(sql`${t.documentId} is not null`),
    index('consents_recorded_by_idx').on(t.recordedBy),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const caseloadAssignmentsRelations = relations(caseloadAssignments, ({ one }) => ({
  organization: one(organizations, { fields: [caseloadAssignments.organizationId], references: [organizations.id] }),
  student: one(students, { fields: [caseloadAssignments.studentId], references: [students.id] }),
  therapist: one(therapists, { fields: [caseloadAssignments.therapistId], references: [therapists.id] }),
}));

export const servicePlansRelations = relations(servicePlans, ({ one, many }) => ({
  organization: one(organizations, { fields: [servicePlans.organizationId], references: [organizations.id] }),
  student: one(students, { fields: [servicePlans.studentId], references: [students.id] }),
  sourceDocument: one(documents, { fields: [servicePlans.sourceDocumentId], references: [documents.id] }),
  createdByProfile: one(profiles, { fields: [servicePlans.createdBy], references: [profiles.id] }),
  mandates: many(serviceMandates),
  goals: many(goals),
}));

export const serviceMandatesRelations = relations(serviceMandates, ({ one, many }) => ({
  organization: one(organizations, { fields: [serviceMandates.organizationId], references: [organizations.id] }),
  servicePlan: one(servicePlans, { fields: [serviceMandates.servicePlanId], references: [servicePlans.id] }),
  sessionType: one(sessionTypes, { fields: [serviceMandates.sessionTypeId], references: [sessionTypes.id] }),
  sessionParticipations: many(sessionParticipants),
}));

export const consentsRelations = relations(consents, ({ one }) => ({
  organization: one(organizations, { fields: [consents.organizationId], references: [organizations.id] }),
  student: one(students, { fields: [consents.studentId], references: [students.id] }),
  guardian: one(guardians, { fields: [consents.guardianId], references: [guardians.id] }),
  document: one(documents, { fields: [consents.documentId], references: [documents.id] }),
  recordedByProfile: one(profiles, { fields: [consents.recordedBy], references: [profiles.id] }),
}));
