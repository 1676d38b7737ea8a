/** `therapy-db/validators/conversation-participants`: the validators of `public.conversation_participants`. */
import type { z } from 'zod';
import { ordered } from '../rules';
import { conversationParticipantsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const conversationParticipantSchemas = tableSchemas(conversationParticipantsColumns, {
  server: [],
  // joined_at defaults to now(): with it omitted, only the database knows the time.
  rules: [ordered('conversation_participants_left_after_joined_check', 'leftAt', 'joinedAt', { orEqual: true })],
});
export const conversationParticipantInsertSchema: (typeof conversationParticipantSchemas)['insert'] = conversationParticipantSchemas.insert;
export const conversationParticipantUpdateSchema: (typeof conversationParticipantSchemas)['update'] = conversationParticipantSchemas.update;
export const conversationParticipantSelectSchema: (typeof conversationParticipantSchemas)['select'] = conversationParticipantSchemas.select;
export type ConversationParticipantInsert = z.output<typeof conversationParticipantInsertSchema>;
export type ConversationParticipantInsertInput = z.input<typeof conversationParticipantInsertSchema>;
export type ConversationParticipantUpdate = z.output<typeof conversationParticipantUpdateSchema>;
export type ConversationParticipantUpdateInput = z.input<typeof conversationParticipantUpdateSchema>;
export type ConversationParticipantSelect = z.output<typeof conversationParticipantSelectSchema>;
