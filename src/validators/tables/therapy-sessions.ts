/** `therapy-db/validators/therapy-sessions`: the validators of `public.therapy_sessions`. */
import type { z } from 'zod';
import type { therapySessions } from '../../schema/scheduling';
import { columnName } from '../label';
import { ordered, rule, type RowRule } from '../rules';
import { therapySessionsColumns } from '../described-tables';
import { tableSchemas, type RuleRow } from '../table';

const FOUR_HOURS = 4 * 60 * 60 * 1000;
const cancellationFields = ['cancellationReason', 'cancelledAt', 'cancelledBy'] as const;
/** The statuses a session reaches only once it has started. */
const startedStatuses: readonly string[] = ['in_progress', 'completed', 'no_show'];

/** `(status = 'cancelled') = (reason, cancelled_at and cancelled_by all set)`. */
const cancellationFieldsSetIffCancelled: RowRule<'status' | (typeof cancellationFields)[number], RuleRow<typeof therapySessions>> = {
  constraint: 'therapy_sessions_cancellation_fields_check',
  reads: ['status', ...cancellationFields],
  check: (row) => {
    const cancelled = row.status === 'cancelled';
    const missing = cancellationFields.filter((field) => row[field] === null);
    if (cancelled) return missing.map((field) => ({ path: field, message: `${columnName(field)} is required when status is cancelled` }));
    if (missing.length === 0) {
      return [{ path: 'status', message: 'status must be cancelled when cancellation_reason, cancelled_at and cancelled_by are all set' }];
    }
    return [];
  },
};

export const therapySessionSchemas = tableSchemas(therapySessionsColumns, {
  server: ['id', 'createdAt', 'updatedAt', 'deletedAt'],
  rules: [
    ordered('therapy_sessions_end_after_start_check', 'endTime', 'startTime'),
    rule({
      constraint: 'therapy_sessions_max_length_check',
      reads: ['startTime', 'endTime'],
      path: 'endTime',
      message: 'end_time must be at most 4 hours after start_time',
      holds: (row) => row.endTime.getTime() - row.startTime.getTime() <= FOUR_HOURS,
    }),
    cancellationFieldsSetIffCancelled,
    // The status machine's clock rule, which the database applies on insert as on update.
    rule({
      constraint: 'therapy_sessions_not_yet_started',
      reads: ['status', 'startTime'],
      path: 'status',
      message: 'a session that has not started cannot be in_progress, completed or no_show',
      holds: (row) => !(startedStatuses.includes(row.status) && row.startTime.getTime() > Date.now()),
    }),
    rule({
      constraint: 'therapy_sessions_cancellation_note_check',
      reads: ['cancellationReason', 'cancellationNote'],
      path: 'cancellationNote',
      message: 'cancellation_note is required when cancellation_reason is other',
      holds: (row) => row.cancellationReason !== 'other' || row.cancellationNote !== null,
    }),
  ],
});
export const therapySessionInsertSchema: (typeof therapySessionSchemas)['insert'] = therapySessionSchemas.insert;
export const therapySessionUpdateSchema: (typeof therapySessionSchemas)['update'] = therapySessionSchemas.update;
export const therapySessionSelectSchema: (typeof therapySessionSchemas)['select'] = therapySessionSchemas.select;
export type TherapySessionInsert = z.output<typeof therapySessionInsertSchema>;
export type TherapySessionInsertInput = z.input<typeof therapySessionInsertSchema>;
export type TherapySessionUpdate = z.output<typeof therapySessionUpdateSchema>;
export type TherapySessionUpdateInput = z.input<typeof therapySessionUpdateSchema>;
export type TherapySessionSelect = z.output<typeof therapySessionSelectSchema>;
