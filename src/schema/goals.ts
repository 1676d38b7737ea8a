import { relations, sql } from 'drizzle-orm';
import { check, date, foreignKey, index, jsonb, numeric, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { disciplines, goalDomains, goalStatuses, measurementTypes, progressCodes, promptLevels, reportStatuses } from './codes';
import { createdAt, daterange, oneOf } from './columns';
import { organizations, profiles } from './identity';
import { students, therapists } from './people';
import { servicePlans } from './caseload';
import { sessionParticipants, therapySessions } from './scheduling';

// ------------------------------------------------------------------ goals
/** An IEP goal, or an objective under one (`parent_goal_id`), with how progress is measured. */
export const goals = pgTable(
  'goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    studentId: uuid('student_id').notNull(),
    servicePlanId: uuid('service_plan_id'),
    parentGoalId: uuid('parent_goal_id'),
    discipline: text('discipline', { enum: disciplines }).notNull(),
    domain: text('domain', { enum: goalDomains }).notNull(),
    goalText: text('goal_text').notNull(),
    baseline: text('baseline'),
    measurementType: text('measurement_type', { enum: measurementTypes }).notNull(),
    targetValue: numeric('target_value', { precision: 7, scale: 2 }),
    masteryCriterion: text('mastery_criterion'),
    status: text('status', { enum: goalStatuses }).notNull().default('active'),
    targetDate: date('target_date', { mode: 'string' }),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // Target of (goal_id, student_id) FKs: observations and reports are about the goal's student.
    unique('goals_id_student_id_key').on(t.id, t.studentId),
    // The tenant key (organization_id, id), as every tenant table has.
    unique('goals_organization_id_id_key').on(t.organizationId, t.id),
    foreignKey({
      name: 'goals_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    // Target of the objectives' (organization_id, student_id, parent_goal_id) FK.
    unique('goals_organization_id_student_id_id_key').on(t.organizationId, t.studentId, t.id),
    // A goal sits on a plan of its own student, and an objective under a goal of its own student:
    // the student is part of both keys, so no goal is moved onto another student's plan.
    foreignKey({
      name: 'goals_organization_id_student_id_service_plan_id_fkey',
      columns: [t.organizationId, t.studentId, t.servicePlanId],
      foreignColumns: [servicePlans.organizationId, servicePlans.studentId, servicePlans.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'goals_organization_id_student_id_parent_goal_id_fkey',
      columns: [t.organizationId, t.studentId, t.parentGoalId],
      foreignColumns: [t.organizationId, t.studentId, t.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'goals_created_by_fkey', columns: [t.createdBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('goals_discipline_check', t.discipline, disciplines),
    oneOf('goals_domain_check', t.domain, goalDomains),
    oneOf('goals_measurement_type_check', t.measurementType, measurementTypes),
    oneOf('goals_status_check', t.status, goalStatuses),
    check(
      'goals_target_value_check',
      sql`${t.targetValue} <> 'NaN' and (${t.measurementType} <> 'percent_accuracy' or ${t.targetValue} between 0 and 100)`,
    ),
    index('goals_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    // A student's goals by status (reference: (student_id) where status = 'active').
    index('goals_student_id_status_idx').on(t.studentId, t.status),
    index('goals_organization_id_student_id_service_plan_id_idx').on(t.organizationId, t.studentId, t.servicePlanId),
    index('goals_organization_id_student_id_parent_goal_id_idx').on(t.organizationId, t.studentId, t.parentGoalId).where(sql`${t.parentGoalId} is not null`),
    index('goals_created_by_idx').on(t.createdBy),
  ],
).enableRLS();

// ------------------------------------------------------------------ goal_observations
/** One data point on a goal, taken in a session the student attended. */
export const goalObservations = pgTable(
  'goal_observations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Not in the reference model: added so policies can filter every tenant table by organisation.
    organizationId: uuid('organization_id').notNull(),
    goalId: uuid('goal_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    studentId: uuid('student_id').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    trialsCorrect: smallint('trials_correct'),
    trialsTotal: smallint('trials_total'),
    value: numeric('value', { precision: 8, scale: 2 }),
    promptLevel: text('prompt_level', { enum: promptLevels }),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'goal_observations_goal_id_student_id_fkey',
      columns: [t.goalId, t.studentId],
      foreignColumns: [goals.id, goals.studentId],
    }).onDelete('restrict'),
    foreignKey({
      name: 'goal_observations_session_id_student_id_fkey',
      columns: [t.sessionId, t.studentId],
      foreignColumns: [sessionParticipants.sessionId, sessionParticipants.studentId],
    }).onDelete('restrict'),
    foreignKey({
      name: 'goal_observations_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({ name: 'goal_observations_recorded_by_fkey', columns: [t.recordedBy], foreignColumns: [therapists.id] }).onDelete('restrict'),
    oneOf('goal_observations_prompt_level_check', t.promptLevel, promptLevels),
    check(
      'goal_observations_trials_check',
      sql`${t.trialsTotal} is null or (${t.trialsTotal} > 0 and ${t.trialsCorrect} between 0 and ${t.trialsTotal})`,
    ),
    check('goal_observations_value_check', sql`${t.value} <> 'NaN'`),
    check('goal_observations_measurement_check', sql`${t.trialsTotal} is not null or ${t.value} is not null`),
    // A goal's data over time (student_id is fixed per goal, so this also serves (goal_id, recorded_at)).
    index('goal_observations_goal_id_student_id_recorded_at_idx').on(t.goalId, t.studentId, t.recordedAt),
    index('goal_observations_session_id_student_id_idx').on(t.sessionId, t.studentId),
    index('goal_observations_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('goal_observations_student_id_idx').on(t.studentId),
    index('goal_observations_recorded_by_idx').on(t.recordedBy),
  ],
).enableRLS();

// ------------------------------------------------------------------ progress_reports
/** Progress on one goal over one reporting period; periods of a goal do not overlap (exclusion in `./rules`). */
export const progressReports = pgTable(
  'progress_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Not in the reference model: added so policies can filter every tenant table by organisation.
    organizationId: uuid('organization_id').notNull(),
    goalId: uuid('goal_id').notNull(),
    studentId: uuid('student_id').notNull(),
    reportingPeriod: daterange('reporting_period').notNull(),
    progressCode: text('progress_code', { enum: progressCodes }).notNull(),
    summary: text('summary').notNull(),
    dataSummary: jsonb('data_summary').$type<Record<string, unknown>>(),
    authorId: uuid('author_id').notNull(),
    status: text('status', { enum: reportStatuses }).notNull().default('draft'),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
    sharedWithGuardiansAt: timestamp('shared_with_guardians_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'progress_reports_goal_id_student_id_fkey',
      columns: [t.goalId, t.studentId],
      foreignColumns: [goals.id, goals.studentId],
    }).onDelete('restrict'),
    foreignKey({
      name: 'progress_reports_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({ name: 'progress_reports_author_id_fkey', columns: [t.authorId], foreignColumns: [therapists.id] }).onDelete('restrict'),
    check('progress_reports_reporting_period_check', sql`not isempty(${t.reportingPeriod})`),
    check('progress_reports_data_summary_check', sql`${t.dataSummary} is null or jsonb_typeof(${t.dataSummary}) = 'object'`),
    oneOf('progress_reports_progress_code_check', t.progressCode, progressCodes),
    oneOf('progress_reports_status_check', t.status, reportStatuses),
    check('progress_reports_finalized_check', sql`${t.status} = 'draft' or ${t.finalizedAt} is not null`),
    check('progress_reports_shared_check', sql`(${t.status} = 'shared') = (${t.sharedWithGuardiansAt} is not null)`),
    index('progress_reports_goal_id_student_id_idx').on(t.goalId, t.studentId),
    index('progress_reports_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('progress_reports_student_id_idx').on(t.studentId),
    index('progress_reports_author_id_idx').on(t.authorId),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const goalsRelations = relations(goals, ({ one, many }) => ({
  organization: one(organizations, { fields: [goals.organizationId], references: [organizations.id] }),
  student: one(students, { fields: [goals.studentId], references: [students.id] }),
  servicePlan: one(servicePlans, { fields: [goals.servicePlanId], references: [servicePlans.id] }),
  parentGoal: one(goals, { fields: [goals.parentGoalId], references: [goals.id], relationName: 'goal_objectives' }),
  objectives: many(goals, { relationName: 'goal_objectives' }),
  createdByProfile: one(profiles, { fields: [goals.createdBy], references: [profiles.id] }),
  observations: many(goalObservations),
  progressReports: many(progressReports),
}));

export const goalObservationsRelations = relations(goalObservations, ({ one }) => ({
  organization: one(organizations, { fields: [goalObservations.organizationId], references: [organizations.id] }),
  goal: one(goals, { fields: [goalObservations.goalId], references: [goals.id] }),
  session: one(therapySessions, { fields: [goalObservations.sessionId], references: [therapySessions.id] }),
  student: one(students, { fields: [goalObservations.studentId], references: [students.id] }),
  participant: one(sessionParticipants, {
    fields: [goalObservations.sessionId, goalObservations.studentId],
    references: [sessionParticipants.sessionId, sessionParticipants.studentId],
  }),
  recordedByTherapist: one(therapists, { fields: [goalObservations.recordedBy], references: [therapists.id] }),
}));

export const progressReportsRelations = relations(progressReports, ({ one }) => ({
  organization: one(organizations, { fields: [progressReports.organizationId], references: [organizations.id] }),
  goal: one(goals, { fields: [progressReports.goalId], references: [goals.id] }),
  student: one(students, { fields: [progressReports.studentId], references: [students.id] }),
  author: one(therapists, { fields: [progressReports.authorId], references: [therapists.id] }),
}));
