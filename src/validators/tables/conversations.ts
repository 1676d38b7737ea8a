/** `therapy-db/validators/conversations`: the validators of `public.conversations`. */
import type { z } from 'zod';
import { rule } from '../rules';
import { conversationsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const conversationSchemas = tableSchemas(conversationsColumns, {
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
export const conversationInsertSchema: (typeof conversationSchemas)['insert'] = conversationSchemas.insert;
export const conversationUpdateSchema: (typeof conversationSchemas)['update'] = conversationSchemas.update;
export const conversationSelectSchema: (typeof conversationSchemas)['select'] = conversationSchemas.select;
export type ConversationInsert = z.output<typeof conversationInsertSchema>;
export type ConversationInsertInput = z.input<typeof conversationInsertSchema>;
export type ConversationUpdate = z.output<typeof conversationUpdateSchema>;
export type ConversationUpdateInput = z.input<typeof conversationUpdateSchema>;
export type ConversationSelect = z.output<typeof conversationSelectSchema>;
