import { relations, sql } from 'drizzle-orm';
import { boolean, char, check, date, foreignKey, index, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  credentials,
  disciplines,
  eligibilities,
  gradeLevels,
  guardianRelationships,
  preferredContacts,
  studentStatuses,
  supervisedCredentials,
  supervisionTypes,
} from './codes';
import { createdAt, daterange, deletedAt, emailCheck, literalList, oneOf, trimmedLength, updatedAt } from './columns';
import { organizations, profiles, schools } from './identity';
import { caseloadAssignments, consents, servicePlans } from './caseload';
import { calendarBlackouts, sessionParticipants, sessionSeries, therapySessions } from './scheduling';
import { sessionNotes } from './documentation';
import { goalObservations, goals, progressReports } from './goals';
import { documents } from './files';
import { conversations } from './chat';
import { serviceCharges } from './billing';

// ------------------------------------------------------------------ therapists
/** Clinical details of a user who treats students; `id` is the user's id, so `therapist_id = auth.uid()`. */
export const therapists = pgTable(
  'therapists',
  {
    id: uuid('id').primaryKey(),
    discipline: text('discipline', { enum: disciplines }).notNull(),
    credential: text('credential', { enum: credentials }).notNull(),
    requiresSupervision: boolean('requires_supervision').generatedAlwaysAs(
      sql`credential in (${literalList(supervisedCredentials)})`,
    ),
    npi: text('npi'),
    licenseNumber: text('license_number'),
    licenseState: char('license_state', { length: 2 }),
    licenseExpiresOn: date('license_expires_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    // restrict: a therapist's clinical record outlives an attempt to delete the profile.
    foreignKey({ name: 'therapists_id_fkey', columns: [t.id], foreignColumns: [profiles.id] }).onDelete('restrict'),
    unique('therapists_npi_key').on(t.npi),
    oneOf('therapists_discipline_check', t.discipline, disciplines),
    oneOf('therapists_credential_check', t.credential, credentials),
    check('therapists_npi_check', sql`${t.npi} ~ '^\\d{10}$'`),
    check('therapists_license_state_check', sql`${t.licenseState} ~ '^[A-Z]{2}$'`),
    check('therapists_license_fields_check', sql`(${t.licenseNumber} is null) = (${t.licenseState} is null)`),
  ],
).enableRLS();

// ------------------------------------------------------------------ students
/** A child (or adult student) receiving services; soft-deleted, never removed. */
export const students = pgTable(
  'students',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    schoolId: uuid('school_id'),
    userId: uuid('user_id'),
    localStudentId: text('local_student_id'),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    preferredName: text('preferred_name'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    gradeLevel: text('grade_level', { enum: gradeLevels }),
    primaryLanguage: text('primary_language'),
    eligibility: text('eligibility', { enum: eligibilities }).notNull().default('iep'),
    status: text('status', { enum: studentStatuses }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    foreignKey({ name: 'students_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('restrict'),
    foreignKey({
      name: 'students_organization_id_school_id_fkey',
      columns: [t.organizationId, t.schoolId],
      foreignColumns: [schools.organizationId, schools.id],
    }),
    foreignKey({ name: 'students_user_id_fkey', columns: [t.userId], foreignColumns: [profiles.id] }).onDelete('set null'),
    unique('students_organization_id_id_key').on(t.organizationId, t.id),
    unique('students_organization_id_local_student_id_key').on(t.organizationId, t.localStudentId),
    unique('students_user_id_key').on(t.userId),
    trimmedLength('students_first_name_check', t.firstName, 1, 100),
    trimmedLength('students_last_name_check', t.lastName, 1, 100),
    check('students_date_of_birth_check', sql`${t.dateOfBirth} > date '1995-01-01'`),
    oneOf('students_grade_level_check', t.gradeLevel, gradeLevels),
    oneOf('students_eligibility_check', t.eligibility, eligibilities),
    oneOf('students_status_check', t.status, studentStatuses),
    // Roster lists of live students.
    index('students_organization_id_last_name_first_name_idx').on(t.organizationId, t.lastName, t.firstName).where(sql`${t.deletedAt} is null`),
    index('students_organization_id_school_id_idx').on(t.organizationId, t.schoolId),
    // app.school_student_ids() (school staff see their school's students) filters on school_id alone.
    index('students_school_id_idx').on(t.schoolId).where(sql`${t.deletedAt} is null`),
    // app.soft_deleted_ids(): an organisation's soft-deleted students (few: deletion is for mistakes).
    index('students_organization_id_deleted_idx').on(t.organizationId).where(sql`${t.deletedAt} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ guardians
/** A parent or guardian; may have a login (`user_id`) for the family portal. */
export const guardians = pgTable(
  'guardians',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    userId: uuid('user_id'),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    preferredLanguage: text('preferred_language'),
    preferredContact: text('preferred_contact', { enum: preferredContacts }).notNull().default('app'),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    foreignKey({ name: 'guardians_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('restrict'),
    foreignKey({ name: 'guardians_user_id_fkey', columns: [t.userId], foreignColumns: [profiles.id] }).onDelete('set null'),
    unique('guardians_organization_id_id_key').on(t.organizationId, t.id),
    unique('guardians_organization_id_user_id_key').on(t.organizationId, t.userId),
    trimmedLength('guardians_first_name_check', t.firstName, 1, 100),
    trimmedLength('guardians_last_name_check', t.lastName, 1, 100),
    // E.164, as profiles.phone.
    check('guardians_phone_check', sql`${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
    emailCheck('guardians_email_check', t.email),
    oneOf('guardians_preferred_contact_check', t.preferredContact, preferredContacts),
    // app.guardian_student_ids() looks guardians up by login.
    index('guardians_user_id_idx').on(t.userId).where(sql`${t.userId} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ student_guardians
/** Which guardians belong to which student, with their rights (portal access can be cut by court order). */
export const studentGuardians = pgTable(
  'student_guardians',
  {
    organizationId: uuid('organization_id').notNull(),
    studentId: uuid('student_id').notNull(),
    guardianId: uuid('guardian_id').notNull(),
    relationship: text('relationship', { enum: guardianRelationships }).notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
    hasEducationalRights: boolean('has_educational_rights').notNull().default(true),
    portalAccess: boolean('portal_access').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'student_guardians_pkey', columns: [t.studentId, t.guardianId] }),
    foreignKey({
      name: 'student_guardians_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'student_guardians_organization_id_guardian_id_fkey',
      columns: [t.organizationId, t.guardianId],
      foreignColumns: [guardians.organizationId, guardians.id],
    }).onDelete('cascade'),
    oneOf('student_guardians_relationship_check', t.relationship, guardianRelationships),
    // At most one primary guardian per student.
    uniqueIndex('student_guardians_one_primary_key').on(t.studentId).where(sql`${t.isPrimary}`),
    index('student_guardians_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('student_guardians_organization_id_guardian_id_idx').on(t.organizationId, t.guardianId),
    // app.guardian_student_ids(): the children a guardian may see in the portal.
    index('student_guardians_guardian_id_student_id_idx').on(t.guardianId, t.studentId).where(sql`${t.portalAccess}`),
  ],
).enableRLS();

// ------------------------------------------------------------------ supervision_assignments
/**
 * A supervisor oversees a supervisee (SLPA, clinical fellow, COTA, PTA, intern) for a period. No
 * overlapping duplicate periods: exclusion constraint in `./rules`.
 */
export const supervisionAssignments = pgTable(
  'supervision_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    supervisorId: uuid('supervisor_id').notNull(),
    superviseeId: uuid('supervisee_id').notNull(),
    supervisionType: text('supervision_type', { enum: supervisionTypes }).notNull(),
    activeDuring: daterange('active_during').notNull(),
    requiresCosign: boolean('requires_cosign').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'supervision_assignments_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('restrict'),
    foreignKey({ name: 'supervision_assignments_supervisor_id_fkey', columns: [t.supervisorId], foreignColumns: [therapists.id] }).onDelete('restrict'),
    foreignKey({ name: 'supervision_assignments_supervisee_id_fkey', columns: [t.superviseeId], foreignColumns: [therapists.id] }).onDelete('restrict'),
    oneOf('supervision_assignments_supervision_type_check', t.supervisionType, supervisionTypes),
    check('supervision_assignments_active_during_check', sql`not isempty(${t.activeDuring})`),
    check('supervision_assignments_no_self_supervision_check', sql`${t.supervisorId} <> ${t.superviseeId}`),
    index('supervision_assignments_organization_id_idx').on(t.organizationId),
    // app.caseload_student_ids(): the supervisees of the current user.
    index('supervision_assignments_supervisor_id_supervisee_id_idx').on(t.supervisorId, t.superviseeId),
    index('supervision_assignments_supervisee_id_idx').on(t.superviseeId),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const therapistsRelations = relations(therapists, ({ one, many }) => ({
  profile: one(profiles, { fields: [therapists.id], references: [profiles.id] }),
  supervisions: many(supervisionAssignments, { relationName: 'supervision_supervisor' }),
  supervisedBy: many(supervisionAssignments, { relationName: 'supervision_supervisee' }),
  caseloadAssignments: many(caseloadAssignments),
  sessionSeries: many(sessionSeries),
  therapySessions: many(therapySessions),
  calendarBlackouts: many(calendarBlackouts),
  authoredNotes: many(sessionNotes, { relationName: 'note_author' }),
  signedNotes: many(sessionNotes, { relationName: 'note_signed_by' }),
  cosignedNotes: many(sessionNotes, { relationName: 'note_cosigned_by' }),
  goalObservations: many(goalObservations),
  progressReports: many(progressReports),
  renderedCharges: many(serviceCharges, { relationName: 'charge_rendering_provider' }),
  supervisedCharges: many(serviceCharges, { relationName: 'charge_supervising_provider' }),
}));

export const studentsRelations = relations(students, ({ one, many }) => ({
  organization: one(organizations, { fields: [students.organizationId], references: [organizations.id] }),
  school: one(schools, { fields: [students.schoolId], references: [schools.id] }),
  user: one(profiles, { fields: [students.userId], references: [profiles.id] }),
  guardians: many(studentGuardians),
  caseloadAssignments: many(caseloadAssignments),
  servicePlans: many(servicePlans),
  consents: many(consents),
  sessionParticipations: many(sessionParticipants),
  sessionNotes: many(sessionNotes),
  goals: many(goals),
  goalObservations: many(goalObservations),
  progressReports: many(progressReports),
  conversations: many(conversations),
  documents: many(documents),
  serviceCharges: many(serviceCharges),
}));

export const guardiansRelations = relations(guardians, ({ one, many }) => ({
  organization: one(organizations, { fields: [guardians.organizationId], references: [organizations.id] }),
  user: one(profiles, { fields: [guardians.userId], references: [profiles.id] }),
  students: many(studentGuardians),
  consents: many(consents),
}));

export const studentGuardiansRelations = relations(studentGuardians, ({ one }) => ({
  student: one(students, { fields: [studentGuardians.studentId], references: [students.id] }),
  guardian: one(guardians, { fields: [studentGuardians.guardianId], references: [guardians.id] }),
}));

export const supervisionAssignmentsRelations = relations(supervisionAssignments, ({ one }) => ({
  organization: one(organizations, { fields: [supervisionAssignments.organizationId], references: [organizations.id] }),
  supervisor: one(therapists, {
    fields: [supervisionAssignments.supervisorId],
    references: [therapists.id],
    relationName: 'supervision_supervisor',
  }),
  supervisee: one(therapists, {
    fields: [supervisionAssignments.superviseeId],
    references: [therapists.id],
    relationName: 'supervision_supervisee',
  }),
}));
