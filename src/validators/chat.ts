import type { z } from 'zod';
import { conversationParticipants, conversations, messages } from '../schema/chat';
import { ordered, rule } from './rules';
import { defineTable } from './table';
import { length } from './text';

// ------------------------------------------------------------------ conversations
export const conversationValidators = defineTable(conversations, {
  // last_message_at is the server's record of the newest message.
  server: ['id', 'createdAt', 'lastMessageAt'],
  rules: [
    rule({
      constraint: 'conversations_student_team_check',
      reads: ['kind', 'studentId'],
      path: 'studentId',
      message: 'student_id is required for a student_team conversation',
      holds: (row) => row.kind !== 'student_team' || row.studentId !== null,
    }),
  ],
});
export const conversationInsertSchema: (typeof conversationValidators)['insert'] = conversationValidators.insert;
export const conversationUpdateSchema: (typeof conversationValidators)['update'] = conversationValidators.update;
export const conversationSelectSchema: (typeof conversationValidators)['select'] = conversationValidators.select;
export type ConversationInsert = z.output<typeof conversationInsertSchema>;
export type ConversationInsertInput = z.input<typeof conversationInsertSchema>;
export type ConversationUpdate = z.output<typeof conversationUpdateSchema>;
export type ConversationUpdateInput = z.input<typeof conversationUpdateSchema>;
export type ConversationSelect = z.output<typeof conversationSelectSchema>;

// ------------------------------------------------------------------ conversation_participants
export const conversationParticipantValidators = defineTable(conversationParticipants, {
  server: [],
  // joined_at defaults to now(): with it omitted, only the database knows the time.
  rules: [ordered('conversation_participants_left_after_joined_check', 'leftAt', 'joinedAt', { orEqual: true })],
});
export const conversationParticipantInsertSchema: (typeof conversationParticipantValidators)['insert'] = conversationParticipantValidators.insert;
export const conversationParticipantUpdateSchema: (typeof conversationParticipantValidators)['update'] = conversationParticipantValidators.update;
export const conversationParticipantSelectSchema: (typeof conversationParticipantValidators)['select'] = conversationParticipantValidators.select;
export type ConversationParticipantInsert = z.output<typeof conversationParticipantInsertSchema>;
export type ConversationParticipantInsertInput = z.input<typeof conversationParticipantInsertSchema>;
export type ConversationParticipantUpdate = z.output<typeof conversationParticipantUpdateSchema>;
export type ConversationParticipantUpdateInput = z.input<typeof conversationParticipantUpdateSchema>;
export type ConversationParticipantSelect = z.output<typeof conversationParticipantSelectSchema>;

// ------------------------------------------------------------------ messages
export const messageValidators = defineTable(messages, {
  // Edits and soft deletes go through the server, which stamps edited_at and deleted_at.
  server: ['id', 'createdAt', 'editedAt', 'deletedAt'],
  columns: {
    body: (s) => s.check(length(1, 10_000)),
  },
  rules: [
    rule({
      constraint: 'messages_content_check',
      reads: ['body', 'attachmentDocumentId', 'deletedAt'],
      path: 'body',
      message: 'body is required unless attachment_document_id is set',
      holds: (row) => row.body !== null || row.attachmentDocumentId !== null || row.deletedAt !== null,
    }),
  ],
});
export const messageInsertSchema: (typeof messageValidators)['insert'] = messageValidators.insert;
export const messageUpdateSchema: (typeof messageValidators)['update'] = messageValidators.update;
export const messageSelectSchema: (typeof messageValidators)['select'] = messageValidators.select;
export type MessageInsert = z.output<typeof messageInsertSchema>;
export type MessageInsertInput = z.input<typeof messageInsertSchema>;
export type MessageUpdate = z.output<typeof messageUpdateSchema>;
export type MessageUpdateInput = z.input<typeof messageUpdateSchema>;
export type MessageSelect = z.output<typeof messageSelectSchema>;
