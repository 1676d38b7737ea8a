import { relations, sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { conversationKinds, participantRoles } from './codes';
import { createdAt, deletedAt, oneOf, setNullOnly } from './columns';
import { organizations, profiles } from './identity';
import { students } from './people';
import { documents } from './files';

// ------------------------------------------------------------------ conversations
/** A chat thread: direct, group, a student's care team, or an announcement channel. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    kind: text('kind', { enum: conversationKinds }).notNull(),
    studentId: uuid('student_id'),
    title: text('title'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    // Not in the reference model: target of the participants' and messages' composite FKs.
    unique('conversations_organization_id_id_key').on(t.organizationId, t.id),
    foreignKey({ name: 'conversations_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('restrict'),
    foreignKey({
      name: 'conversations_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({ name: 'conversations_created_by_fkey', columns: [t.createdBy], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('conversations_kind_check', t.kind, conversationKinds),
    check('conversations_student_team_check', sql`${t.kind} <> 'student_team' or ${t.studentId} is not null`),
    index('conversations_organization_id_last_message_at_idx').on(t.organizationId, t.lastMessageAt.desc()),
    index('conversations_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('conversations_created_by_idx').on(t.createdBy),
  ],
).enableRLS();

// ------------------------------------------------------------------ conversation_participants
/** Who is in a conversation; `app.conversation_ids()` reads the rows with `left_at is null`. */
export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    // Not in the reference model: added so policies can filter every tenant table by organisation.
    organizationId: uuid('organization_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id').notNull(),
    participantRole: text('participant_role', { enum: participantRoles }).notNull().default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }),
    mutedUntil: timestamp('muted_until', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'conversation_participants_pkey', columns: [t.conversationId, t.userId] }),
    // Composite in place of the reference's conversation_id FK, so a participant row cannot cross tenants.
    foreignKey({
      name: 'conversation_participants_organization_id_conversation_id_fkey',
      columns: [t.organizationId, t.conversationId],
      foreignColumns: [conversations.organizationId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'conversation_participants_user_id_fkey', columns: [t.userId], foreignColumns: [profiles.id] }).onDelete('restrict'),
    oneOf('conversation_participants_participant_role_check', t.participantRole, participantRoles),
    check('conversation_participants_left_after_joined_check', sql`${t.leftAt} is null or ${t.leftAt} >= ${t.joinedAt}`),
    index('conversation_participants_organization_id_conversation_id_idx').on(t.organizationId, t.conversationId),
    // app.conversation_ids(): a user's conversations (reference: partial where left_at is null,
    // include conversation_id; non-partial here because it also leads the user_id FK).
    index('conversation_participants_user_id_conversation_id_idx').on(t.userId, t.conversationId),
  ],
).enableRLS();

// ------------------------------------------------------------------ messages
/** A chat message. The sender must be a participant (FK); `client_message_id` makes retries idempotent. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Not in the reference model: added so policies can filter every tenant table by organisation.
    organizationId: uuid('organization_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    senderId: uuid('sender_id').notNull(),
    clientMessageId: uuid('client_message_id').notNull(),
    body: text('body'),
    attachmentDocumentId: uuid('attachment_document_id'),
    replyToId: uuid('reply_to_id'),
    createdAt: createdAt(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: deletedAt(),
  },
  (t) => [
    foreignKey({
      name: 'messages_conversation_id_sender_id_fkey',
      columns: [t.conversationId, t.senderId],
      foreignColumns: [conversationParticipants.conversationId, conversationParticipants.userId],
    }).onDelete('restrict'),
    foreignKey({
      name: 'messages_organization_id_conversation_id_fkey',
      columns: [t.organizationId, t.conversationId],
      foreignColumns: [conversations.organizationId, conversations.id],
    }).onDelete('restrict'),
    // An attachment is a document of this conversation (of this organisation): not another
    // conversation's, not a student record.
    foreignKey({
      name: 'messages_attachment_in_conversation_fkey',
      columns: [t.organizationId, t.conversationId, t.attachmentDocumentId],
      foreignColumns: [documents.organizationId, documents.conversationId, documents.id],
    }).onDelete(setNullOnly(t.attachmentDocumentId)),
    // Target of the replies' composite (organization_id, reply_to_id) FK.
    unique('messages_organization_id_id_key').on(t.organizationId, t.id),
    foreignKey({
      name: 'messages_organization_id_reply_to_id_fkey',
      columns: [t.organizationId, t.replyToId],
      foreignColumns: [t.organizationId, t.id],
    }).onDelete(setNullOnly(t.replyToId)),
    unique('messages_sender_id_client_message_id_key').on(t.senderId, t.clientMessageId),
    check('messages_body_check', sql`char_length(${t.body}) between 1 and 10000`),
    check(
      'messages_content_check',
      sql`${t.body} is not null or ${t.attachmentDocumentId} is not null or ${t.deletedAt} is not null`,
    ),
    // The conversation's timeline.
    index('messages_conversation_id_created_at_idx').on(t.conversationId, t.createdAt.desc()),
    index('messages_conversation_id_sender_id_idx').on(t.conversationId, t.senderId),
    index('messages_organization_id_conversation_id_idx').on(t.organizationId, t.conversationId),
    index('messages_attachment_idx')
      .on(t.organizationId, t.conversationId, t.attachmentDocumentId)
      .where(sql`${t.attachmentDocumentId} is not null`),
    index('messages_organization_id_reply_to_id_idx').on(t.organizationId, t.replyToId).where(sql`${t.replyToId} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const conversationsRelations = relations(conversations, ({ one, many }) => ({
  organization: one(organizations, { fields: [conversations.organizationId], references: [organizations.id] }),
  student: one(students, { fields: [conversations.studentId], references: [students.id] }),
  createdByProfile: one(profiles, { fields: [conversations.createdBy], references: [profiles.id] }),
  participants: many(conversationParticipants),
  messages: many(messages),
  documents: many(documents),
}));

export const conversationParticipantsRelations = relations(conversationParticipants, ({ one, many }) => ({
  organization: one(organizations, { fields: [conversationParticipants.organizationId], references: [organizations.id] }),
  conversation: one(conversations, { fields: [conversationParticipants.conversationId], references: [conversations.id] }),
  user: one(profiles, { fields: [conversationParticipants.userId], references: [profiles.id] }),
  messages: many(messages),
}));

export const messagesRelations = relations(messages, ({ one, many }) => ({
  organization: one(organizations, { fields: [messages.organizationId], references: [organizations.id] }),
  conversation: one(conversations, { fields: [messages.conversationId], references: [conversations.id] }),
  sender: one(conversationParticipants, {
    fields: [messages.conversationId, messages.senderId],
    references: [conversationParticipants.conversationId, conversationParticipants.userId],
  }),
  senderProfile: one(profiles, { fields: [messages.senderId], references: [profiles.id] }),
  attachment: one(documents, { fields: [messages.attachmentDocumentId], references: [documents.id] }),
  replyTo: one(messages, { fields: [messages.replyToId], references: [messages.id], relationName: 'message_reply' }),
  replies: many(messages, { relationName: 'message_reply' }),
}));
