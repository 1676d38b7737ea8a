import { relations, sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { bucketOfCategory, documentCategories, documentVisibilities, maxDocumentBytes, storageBuckets } from './codes';
import { createdAt, deletedAt, literal, oneOf, setNullOnly } from './columns';
import { organizations, profiles } from './identity';
import { students } from './people';
import { therapySessions } from './scheduling';
import { conversations, messages } from './chat';
import { consents, servicePlans } from './caseload';

// ------------------------------------------------------------------ documents
/** `case category when … end`: `bucketOfCategory` as SQL over the column `category`. */
const bucketOfCategorySql = sql.raw(
  `case category ${documentCategories
    .filter((c) => bucketOfCategory(c) !== 'student-records')
    .map((c) => `when ${literal(c)} then ${literal(bucketOfCategory(c))}`)
    .join(' ')} else ${literal('student-records')} end`,
);

/**
 * Metadata of every Storage object. The row is inserted before the upload and the `storage.objects`
 * policies defer to it; paths are `{organization_id}/...`.
 */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    studentId: uuid('student_id'),
    sessionId: uuid('session_id'),
    conversationId: uuid('conversation_id'),
    bucketId: text('bucket_id', { enum: storageBuckets }).notNull(),
    storagePath: text('storage_path').notNull(),
    category: text('category', { enum: documentCategories }).notNull(),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256'),
    visibility: text('visibility', { enum: documentVisibilities }).notNull().default('staff'),
    uploadedBy: uuid('uploaded_by').notNull(),
    retainUntil: date('retain_until', { mode: 'string' }),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    unique('documents_bucket_id_storage_path_key').on(t.bucketId, t.storagePath),
    unique('documents_organization_id_id_key').on(t.organizationId, t.id),
    // Target of the student-keyed FKs of a plan's source document and a consent's form: a record
    // cites only a document of its own student.
    unique('documents_organization_id_student_id_id_key').on(t.organizationId, t.studentId, t.id),
    // Target of the messages' attachment FK: an attachment is a document of the message's conversation.
    unique('documents_organization_id_conversation_id_id_key').on(t.organizationId, t.conversationId, t.id),
    foreignKey({ name: 'documents_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('restrict'),
    foreignKey({
      name: 'documents_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'documents_organization_id_session_id_fkey',
      columns: [t.organizationId, t.sessionId],
      foreignColumns: [therapySessions.organizationId, therapySessions.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'documents_organization_id_conversation_id_fkey',
      columns: [t.organizationId, t.conversationId],
      foreignColumns: [conversations.organizationId, conversations.id],
    }).onDelete(setNullOnly(t.conversationId)),
    foreignKey({ name: 'documents_uploaded_by_fkey', columns: [t.uploadedBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('documents_bucket_id_check', t.bucketId, storageBuckets),
    oneOf('documents_category_check', t.category, documentCategories),
    check('documents_size_bytes_check', sql`${t.sizeBytes} between 1 and ${sql.raw(String(maxDocumentBytes))}`),
    check('documents_checksum_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    oneOf('documents_visibility_check', t.visibility, documentVisibilities),
    // Storage policies authorise by the first path segment, so it must be the row's organisation.
    check('documents_storage_path_check', sql`split_part(${t.storagePath}, '/', 1) = ${t.organizationId}::text`),
    // A document belongs to a conversation exactly when it is a chat attachment: no student record
    // is linked to (and so attachable in) a conversation.
    check('documents_chat_attachment_check', sql`(${t.category} = 'chat_attachment') = (${t.conversationId} is not null)`),
    check('documents_category_bucket_check', sql`${t.bucketId} = ${bucketOfCategorySql}`),
    // A chat attachment is the conversation's, not a student record: no student or session link
    // (which would open it to that student's caseload, family and school).
    check('documents_chat_attachment_links_check', sql`${t.category} <> 'chat_attachment' or (${t.studentId} is null and ${t.sessionId} is null)`),
    index('documents_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    // A student's live documents by category.
    index('documents_student_id_category_idx').on(t.studentId, t.category).where(sql`${t.deletedAt} is null`),
    index('documents_organization_id_session_id_idx').on(t.organizationId, t.sessionId),
    index('documents_conversation_id_idx').on(t.conversationId).where(sql`${t.conversationId} is not null`),
    index('documents_uploaded_by_idx').on(t.uploadedBy),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const documentsRelations = relations(documents, ({ one, many }) => ({
  organization: one(organizations, { fields: [documents.organizationId], references: [organizations.id] }),
  student: one(students, { fields: [documents.studentId], references: [students.id] }),
  session: one(therapySessions, { fields: [documents.sessionId], references: [therapySessions.id] }),
  conversation: one(conversations, { fields: [documents.conversationId], references: [conversations.id] }),
  uploadedByProfile: one(profiles, { fields: [documents.uploadedBy], references: [profiles.id] }),
  servicePlans: many(servicePlans),
  consents: many(consents),
  messages: many(messages),
}));
