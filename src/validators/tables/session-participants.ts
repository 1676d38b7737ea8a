/** `therapy-db/validators/session-participants`: the validators of `public.session_participants`. */
import type { z } from 'zod';
import { between } from '../numeric';
import { sessionParticipantsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const sessionParticipantSchemas = tableSchemas(sessionParticipantsColumns, {
  // time_range and is_active are copied from the session by the session_participants_sync trigger.
  server: ['timeRange', 'isActive', 'createdAt'],
  columns: {
    minutesAttended: (s) => s.check(between(0, 240)),
  },
});
export const sessionParticipantInsertSchema: (typeof sessionParticipantSchemas)['insert'] = sessionParticipantSchemas.insert;
export const sessionParticipantUpdateSchema: (typeof sessionParticipantSchemas)['update'] = sessionParticipantSchemas.update;
export const sessionParticipantSelectSchema: (typeof sessionParticipantSchemas)['select'] = sessionParticipantSchemas.select;
export type SessionParticipantInsert = z.output<typeof sessionParticipantInsertSchema>;
export type SessionParticipantInsertInput = z.input<typeof sessionParticipantInsertSchema>;
export type SessionParticipantUpdate = z.output<typeof sessionParticipantUpdateSchema>;
export type SessionParticipantUpdateInput = z.input<typeof sessionParticipantUpdateSchema>;
export type SessionParticipantSelect = z.output<typeof sessionParticipantSelectSchema>;
