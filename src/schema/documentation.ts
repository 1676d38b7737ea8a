import { relations, sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, jsonb, pgTable, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { noteFormats, noteStatuses } from './codes';
import { createdAt, oneOf, updatedAt } from './columns';
import { organizations } from './identity';
import { students, therapists } from './people';
import { sessionParticipants, therapySessions } from './scheduling';
import { serviceCharges } from './billing';

// ------------------------------------------------------------------ session_notes
/**
 * The clinical note of one student in one session. Draft → pending_cosign → signed, or void with a
 * reason; signed notes are immutable (trigger in `./rules`), later changes are amendments.
 */
export const sessionNotes = pgTable(
  'session_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    studentId: uuid('student_id').notNull(),
    authorId: uuid('author_id').notNull(),
    amendsNoteId: uuid('amends_note_id'),
    noteFormat: text('note_format', { enum: noteFormats }).notNull().default('soap'),
    subjective: text('subjective'),
    objective: text('objective'),
    assessment: text('assessment'),
    plan: text('plan'),
    structured: jsonb('structured').$type<Record<string, unknown>>().notNull().default({}),
    billableMinutes: smallint('billable_minutes'),
    status: text('status', { enum: noteStatuses }).notNull().default('draft'),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: uuid('signed_by'),
    cosignedAt: timestamp('cosigned_at', { withTimezone: true }),
    cosignedBy: uuid('cosigned_by'),
    contentHash: text('content_hash'),
    voidReason: text('void_reason'),
    visibleToGuardian: boolean('visible_to_guardian').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Target of the amendments' and charges' composite (organization_id, note) FKs.
    unique('session_notes_organization_id_id_key').on(t.organizationId, t.id),
    // The student must be a participant of the session.
    foreignKey({
      name: 'session_notes_session_id_student_id_fkey',
      columns: [t.sessionId, t.studentId],
      foreignColumns: [sessionParticipants.sessionId, sessionParticipants.studentId],
    }).onDelete('restrict'),
    // Not in the reference model: pins organization_id to the student's organisation.
    foreignKey({
      name: 'session_notes_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({ name: 'session_notes_author_id_fkey', columns: [t.authorId], foreignColumns: [therapists.id] }).onDelete('restrict'),
    foreignKey({
      name: 'session_notes_organization_id_amends_note_id_fkey',
      columns: [t.organizationId, t.amendsNoteId],
      foreignColumns: [t.organizationId, t.id],
    }).onDelete('restrict'),
    foreignKey({ name: 'session_notes_signed_by_fkey', columns: [t.signedBy], foreignColumns: [therapists.id] }).onDelete('restrict'),
    foreignKey({ name: 'session_notes_cosigned_by_fkey', columns: [t.cosignedBy], foreignColumns: [therapists.id] }).onDelete('restrict'),
    oneOf('session_notes_note_format_check', t.noteFormat, noteFormats),
    check('session_notes_structured_check', sql`jsonb_typeof(${t.structured}) = 'object'`),
    check('session_notes_billable_minutes_check', sql`${t.billableMinutes} between 0 and 240`),
    oneOf('session_notes_status_check', t.status, noteStatuses),
    // Past draft, a note carries its signature: signer = author, time and content hash.
    check(
      'session_notes_signature_fields_check',
      sql`${t.status} = 'draft' or (${t.signedAt} is not null and ${t.signedBy} = ${t.authorId} and ${t.contentHash} is not null)`,
    ),
    check('session_notes_cosign_fields_check', sql`(${t.cosignedAt} is null) = (${t.cosignedBy} is null)`),
    check('session_notes_cosigner_not_author_check', sql`${t.cosignedBy} is null or ${t.cosignedBy} <> ${t.authorId}`),
    check('session_notes_void_reason_check', sql`(${t.status} = 'void') = (${t.voidReason} is not null)`),
    // One original (non-amendment, non-void) note per student per session.
    uniqueIndex('session_notes_one_original_key')
      .on(t.sessionId, t.studentId)
      .where(sql`${t.amendsNoteId} is null and ${t.status} <> 'void'`),
    // Leads the participant FK; the partial unique index above cannot serve its checks.
    index('session_notes_session_id_student_id_idx').on(t.sessionId, t.studentId),
    index('session_notes_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('session_notes_student_id_created_at_idx').on(t.studentId, t.createdAt.desc()),
    index('session_notes_author_id_status_idx').on(t.authorId, t.status),
    // The organisation's co-sign queue (reference: (organization_id) where pending_cosign).
    index('session_notes_cosign_queue_idx').on(t.organizationId, t.createdAt).where(sql`${t.status} = 'pending_cosign'`),
    index('session_notes_organization_id_amends_note_id_idx').on(t.organizationId, t.amendsNoteId).where(sql`${t.amendsNoteId} is not null`),
    index('session_notes_signed_by_idx').on(t.signedBy).where(sql`${t.signedBy} is not null`),
    index('session_notes_cosigned_by_idx').on(t.cosignedBy).where(sql`${t.cosignedBy} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const sessionNotesRelations = relations(sessionNotes, ({ one, many }) => ({
  organization: one(organizations, { fields: [sessionNotes.organizationId], references: [organizations.id] }),
  session: one(therapySessions, { fields: [sessionNotes.sessionId], references: [therapySessions.id] }),
  student: one(students, { fields: [sessionNotes.studentId], references: [students.id] }),
  participant: one(sessionParticipants, {
    fields: [sessionNotes.sessionId, sessionNotes.studentId],
    references: [sessionParticipants.sessionId, sessionParticipants.studentId],
  }),
  author: one(therapists, { fields: [sessionNotes.authorId], references: [therapists.id], relationName: 'note_author' }),
  signer: one(therapists, { fields: [sessionNotes.signedBy], references: [therapists.id], relationName: 'note_signed_by' }),
  cosigner: one(therapists, { fields: [sessionNotes.cosignedBy], references: [therapists.id], relationName: 'note_cosigned_by' }),
  amends: one(sessionNotes, { fields: [sessionNotes.amendsNoteId], references: [sessionNotes.id], relationName: 'note_amendment' }),
  amendments: many(sessionNotes, { relationName: 'note_amendment' }),
  charges: many(serviceCharges),
}));
