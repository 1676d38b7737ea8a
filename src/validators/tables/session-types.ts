/** `therapy-db/validators/session-types`: the validators of `public.session_types`. */
import type { z } from 'zod';
import { between } from '../numeric';
import { rule } from '../rules';
import { sessionTypesColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const sessionTypeSchemas = tableSchemas(sessionTypesColumns, {
  server: ['id'],
  columns: {
    defaultDurationMinutes: (s) => s.check(between(5, 240)),
    maxParticipants: (s) => s.check(between(1, 8)),
  },
  rules: [
    rule({
      constraint: 'session_types_group_size_check',
      reads: ['isGroup', 'maxParticipants'],
      path: 'maxParticipants',
      message: 'max_participants must be 1 unless is_group is true',
      holds: (row) => row.isGroup === true || row.maxParticipants === 1,
    }),
  ],
});
export const sessionTypeInsertSchema: (typeof sessionTypeSchemas)['insert'] = sessionTypeSchemas.insert;
export const sessionTypeUpdateSchema: (typeof sessionTypeSchemas)['update'] = sessionTypeSchemas.update;
export const sessionTypeSelectSchema: (typeof sessionTypeSchemas)['select'] = sessionTypeSchemas.select;
export type SessionTypeInsert = z.output<typeof sessionTypeInsertSchema>;
export type SessionTypeInsertInput = z.input<typeof sessionTypeInsertSchema>;
export type SessionTypeUpdate = z.output<typeof sessionTypeUpdateSchema>;
export type SessionTypeUpdateInput = z.input<typeof sessionTypeUpdateSchema>;
export type SessionTypeSelect = z.output<typeof sessionTypeSelectSchema>;
