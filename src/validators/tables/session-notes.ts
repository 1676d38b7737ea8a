/** `therapy-db/validators/session-notes`: the validators of `public.session_notes`. */
import * as z from 'zod';
import { between } from '../numeric';
import { rule } from '../rules';
import { sessionNotesColumns } from '../described-tables';
import { tableSchemas } from '../table';

/**
 * Notes are inserted as drafts (the session_notes_created_as_draft rule of the
 * session_notes_signed_immutable trigger) and signed by an update, when the trigger stamps
 * `signed_at`, `signed_by` and `content_hash`. On insert `void_reason` and `cosigned_by` can only be
 * null or absent, which store the same thing (a draft is not void; a supervisor co-signs later, and
 * the trigger clears a co-signer given on insert): any other value is refused, so a misunderstanding
 * shows.
 */
export const sessionNoteSchemas = tableSchemas(sessionNotesColumns, {
  server: ['id', 'createdAt', 'updatedAt', 'signedAt', 'signedBy', 'contentHash', 'cosignedAt'],
  columns: {
    billableMinutes: (s) => s.check(between(0, 240)),
  },
  insert: {
    status: z.literal('draft', { error: 'status must be draft: notes are created as drafts and signed by an update' }).optional(),
    voidReason: z.null({ error: 'void_reason can only be set when voiding a signed note' }).optional(),
    cosignedBy: z.null({ error: 'cosigned_by is set when a supervisor co-signs a pending note, not on insert' }).optional(),
  },
  rules: [
    rule({
      constraint: 'session_notes_void_reason_check',
      reads: ['status', 'voidReason'],
      path: 'voidReason',
      message: 'void_reason is required when status is void, and only then',
      holds: (row) => (row.status === 'void') === (row.voidReason !== null),
    }),
    rule({
      constraint: 'session_notes_cosigner_not_author_check',
      reads: ['cosignedBy', 'authorId'],
      path: 'cosignedBy',
      message: 'cosigned_by must not be the author_id',
      holds: (row) => row.cosignedBy === null || row.cosignedBy !== row.authorId,
    }),
  ],
});
export const sessionNoteInsertSchema: (typeof sessionNoteSchemas)['insert'] = sessionNoteSchemas.insert;
export const sessionNoteUpdateSchema: (typeof sessionNoteSchemas)['update'] = sessionNoteSchemas.update;
export const sessionNoteSelectSchema: (typeof sessionNoteSchemas)['select'] = sessionNoteSchemas.select;
export type SessionNoteInsert = z.output<typeof sessionNoteInsertSchema>;
export type SessionNoteInsertInput = z.input<typeof sessionNoteInsertSchema>;
export type SessionNoteUpdate = z.output<typeof sessionNoteUpdateSchema>;
export type SessionNoteUpdateInput = z.input<typeof sessionNoteUpdateSchema>;
export type SessionNoteSelect = z.output<typeof sessionNoteSelectSchema>;
