/** `therapy-db/validators/messages`: the validators of `public.messages`. */
import type { z } from 'zod';
import { rule } from '../rules';
import { length } from '../text';
import { messagesColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const messageSchemas = tableSchemas(messagesColumns, {
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
export const messageInsertSchema: (typeof messageSchemas)['insert'] = messageSchemas.insert;
export const messageUpdateSchema: (typeof messageSchemas)['update'] = messageSchemas.update;
export const messageSelectSchema: (typeof messageSchemas)['select'] = messageSchemas.select;
export type MessageInsert = z.output<typeof messageInsertSchema>;
export type MessageInsertInput = z.input<typeof messageInsertSchema>;
export type MessageUpdate = z.output<typeof messageUpdateSchema>;
export type MessageUpdateInput = z.input<typeof messageUpdateSchema>;
export type MessageSelect = z.output<typeof messageSelectSchema>;
