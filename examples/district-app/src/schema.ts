import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations, profiles, sessionParticipants, students, therapySessions } from 'therapy-db/schema';

/**
 * The app's own tables. therapy-db's tables are imported for the foreign keys only and never
 * re-exported: drizzle-kit generates what this module exports, so the app's migrations hold these
 * two tables and nothing of the package's.
 */

/** Practice a therapist assigns a student after a session; the student (or guardian) marks it done. */
export const homeworkAssignments = pgTable(
  'homework_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    studentId: uuid('student_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    assignedBy: uuid('assigned_by').notNull(),
    title: text('title').notNull(),
    instructions: text('instructions'),
    dueOn: date('due_on', { mode: 'string' }),
    completed: boolean('completed').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Composite keys with organization_id: a row never points into another tenant.
    foreignKey({
      name: 'homework_assignments_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'homework_assignments_organization_id_session_id_fkey',
      columns: [t.organizationId, t.sessionId],
      foreignColumns: [therapySessions.organizationId, therapySessions.id],
    }).onDelete('cascade'),
    // The student took part in the session.
    foreignKey({
      name: 'homework_assignments_session_id_student_id_fkey',
      columns: [t.sessionId, t.studentId],
      foreignColumns: [sessionParticipants.sessionId, sessionParticipants.studentId],
    }).onDelete('cascade'),
    foreignKey({ name: 'homework_assignments_assigned_by_fkey', columns: [t.assignedBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    check('homework_assignments_title_check', sql`char_length(btrim(${t.title})) between 1 and 200`),
    check('homework_assignments_instructions_check', sql`char_length(${t.instructions}) <= 4000`),
    index('homework_assignments_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('homework_assignments_organization_id_session_id_idx').on(t.organizationId, t.sessionId),
    index('homework_assignments_session_id_student_id_idx').on(t.sessionId, t.studentId),
    index('homework_assignments_assigned_by_idx').on(t.assignedBy),
  ],
).enableRLS();

/** One organisation's settings for the app, a JSON object per key (e.g. `homework.reminders`). */
export const appSettings = pgTable(
  'app_settings',
  {
    organizationId: uuid('organization_id').notNull(),
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'app_settings_pkey', columns: [t.organizationId, t.key] }),
    foreignKey({ name: 'app_settings_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('app_settings_key_check', sql`${t.key} ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$' and char_length(${t.key}) <= 100`),
    check('app_settings_value_check', sql`jsonb_typeof(${t.value}) = 'object'`),
  ],
).enableRLS();
