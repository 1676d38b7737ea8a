/** `therapy-db/validators/documents`: the validators of `public.documents`. */
import type { z } from 'zod';
import { bucketOfCategory, maxDocumentBytes } from '../../schema/codes';
import { between } from '../numeric';
import { rule } from '../rules';
import { matches } from '../text';
import { documentsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const documentSchemas = tableSchemas(documentsColumns, {
  server: ['id', 'createdAt', 'deletedAt'],
  columns: {
    sizeBytes: (s) => s.check(between(1, maxDocumentBytes)),
    sha256: (s) => s.check(matches(/^[0-9a-f]{64}$/, '64 lowercase hex digits (a SHA-256 digest)')),
  },
  rules: [
    rule({
      // Storage policies authorise by the path's first segment: split_part(storage_path, '/', 1) = organization_id::text.
      constraint: 'documents_storage_path_check',
      reads: ['storagePath', 'organizationId'],
      path: 'storagePath',
      message: 'storage_path must start with the organization_id, as {organization_id}/...',
      holds: (row) => row.storagePath.split('/')[0] === row.organizationId,
    }),
    rule({
      constraint: 'documents_chat_attachment_check',
      reads: ['category', 'conversationId'],
      path: 'conversationId',
      message: 'conversation_id is required for a chat_attachment, and only a chat_attachment belongs to a conversation',
      holds: (row) => (row.category === 'chat_attachment') === (row.conversationId !== null),
    }),
    rule({
      constraint: 'documents_chat_attachment_links_check',
      reads: ['category', 'studentId', 'sessionId'],
      path: 'studentId',
      message: 'a chat_attachment belongs to its conversation only: student_id and session_id must be null',
      holds: (row) => row.category !== 'chat_attachment' || (row.studentId === null && row.sessionId === null),
    }),
    rule({
      constraint: 'documents_category_bucket_check',
      reads: ['bucketId', 'category'],
      path: 'bucketId',
      message: 'bucket_id must be the bucket of the category: chat-attachments for a chat_attachment, org-assets for an org_asset, student-records otherwise',
      holds: (row) => row.bucketId === bucketOfCategory(row.category),
    }),
  ],
});
export const documentInsertSchema: (typeof documentSchemas)['insert'] = documentSchemas.insert;
export const documentUpdateSchema: (typeof documentSchemas)['update'] = documentSchemas.update;
export const documentSelectSchema: (typeof documentSchemas)['select'] = documentSchemas.select;
export type DocumentInsert = z.output<typeof documentInsertSchema>;
export type DocumentInsertInput = z.input<typeof documentInsertSchema>;
export type DocumentUpdate = z.output<typeof documentUpdateSchema>;
export type DocumentUpdateInput = z.input<typeof documentUpdateSchema>;
export type DocumentSelect = z.output<typeof documentSelectSchema>;
