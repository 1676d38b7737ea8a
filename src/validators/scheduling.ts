import type { z } from 'zod';
import { calendarBlackouts, sessionParticipants, sessionSeries, sessionTypes, therapySessions } from '../schema/scheduling';
import { columnName } from './label';
import { between } from './numeric';
import { nonEmptyRange } from './range';
import { ordered, rule, type RowRule } from './rules';
import { defineTable, type RuleRow } from './table';
import { matches } from './text';

// ------------------------------------------------------------------ session_types
export const sessionTypeValidators = defineTable(sessionTypes, {
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
export const sessionTypeInsertSchema: (typeof sessionTypeValidators)['insert'] = sessionTypeValidators.insert;
export const sessionTypeUpdateSchema: (typeof sessionTypeValidators)['update'] = sessionTypeValidators.update;
export const sessionTypeSelectSchema: (typeof sessionTypeValidators)['select'] = sessionTypeValidators.select;
export type SessionTypeInsert = z.output<typeof sessionTypeInsertSchema>;
export type SessionTypeInsertInput = z.input<typeof sessionTypeInsertSchema>;
export type SessionTypeUpdate = z.output<typeof sessionTypeUpdateSchema>;
export type SessionTypeUpdateInput = z.input<typeof sessionTypeUpdateSchema>;
export type SessionTypeSelect = z.output<typeof sessionTypeSelectSchema>;

// ------------------------------------------------------------------ session_series
export const sessionSeriesValidators = defineTable(sessionSeries, {
  server: ['id', 'createdAt'],
  columns: {
    rrule: (s) =>
      s.check(
        matches(
          /^FREQ=(DAILY|WEEKLY|MONTHLY)(;[A-Z]+=[A-Za-z0-9,+-]+)*$/,
          'an RRULE: FREQ=DAILY, WEEKLY or MONTHLY, then ;KEY=value parts (e.g. FREQ=WEEKLY;BYDAY=MO,WE)',
        ),
      ),
    durationMinutes: (s) => s.check(between(5, 240)),
    activeDuring: (s) => s.check(nonEmptyRange('daterange')),
  },
});
export const sessionSeriesInsertSchema: (typeof sessionSeriesValidators)['insert'] = sessionSeriesValidators.insert;
export const sessionSeriesUpdateSchema: (typeof sessionSeriesValidators)['update'] = sessionSeriesValidators.update;
export const sessionSeriesSelectSchema: (typeof sessionSeriesValidators)['select'] = sessionSeriesValidators.select;
export type SessionSeriesInsert = z.output<typeof sessionSeriesInsertSchema>;
export type SessionSeriesInsertInput = z.input<typeof sessionSeriesInsertSchema>;
export type SessionSeriesUpdate = z.output<typeof sessionSeriesUpdateSchema>;
export type SessionSeriesUpdateInput = z.input<typeof sessionSeriesUpdateSchema>;
export type SessionSeriesSelect = z.output<typeof sessionSeriesSelectSchema>;

// ------------------------------------------------------------------ therapy_sessions
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

export const therapySessionValidators = defineTable(therapySessions, {
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
export const therapySessionInsertSchema: (typeof therapySessionValidators)['insert'] = therapySessionValidators.insert;
export const therapySessionUpdateSchema: (typeof therapySessionValidators)['update'] = therapySessionValidators.update;
export const therapySessionSelectSchema: (typeof therapySessionValidators)['select'] = therapySessionValidators.select;
export type TherapySessionInsert = z.output<typeof therapySessionInsertSchema>;
export type TherapySessionInsertInput = z.input<typeof therapySessionInsertSchema>;
export type TherapySessionUpdate = z.output<typeof therapySessionUpdateSchema>;
export type TherapySessionUpdateInput = z.input<typeof therapySessionUpdateSchema>;
export type TherapySessionSelect = z.output<typeof therapySessionSelectSchema>;

// ------------------------------------------------------------------ session_participants
export const sessionParticipantValidators = defineTable(sessionParticipants, {
  // time_range and is_active are copied from the session by the session_participants_sync trigger.
  server: ['timeRange', 'isActive', 'createdAt'],
  columns: {
    minutesAttended: (s) => s.check(between(0, 240)),
  },
});
export const sessionParticipantInsertSchema: (typeof sessionParticipantValidators)['insert'] = sessionParticipantValidators.insert;
export const sessionParticipantUpdateSchema: (typeof sessionParticipantValidators)['update'] = sessionParticipantValidators.update;
export const sessionParticipantSelectSchema: (typeof sessionParticipantValidators)['select'] = sessionParticipantValidators.select;
export type SessionParticipantInsert = z.output<typeof sessionParticipantInsertSchema>;
export type SessionParticipantInsertInput = z.input<typeof sessionParticipantInsertSchema>;
export type SessionParticipantUpdate = z.output<typeof sessionParticipantUpdateSchema>;
export type SessionParticipantUpdateInput = z.input<typeof sessionParticipantUpdateSchema>;
export type SessionParticipantSelect = z.output<typeof sessionParticipantSelectSchema>;

// ------------------------------------------------------------------ calendar_blackouts
export const calendarBlackoutValidators = defineTable(calendarBlackouts, {
  server: ['id'],
  columns: {
    during: (s) => s.check(nonEmptyRange('tstzrange')),
  },
});
export const calendarBlackoutInsertSchema: (typeof calendarBlackoutValidators)['insert'] = calendarBlackoutValidators.insert;
export const calendarBlackoutUpdateSchema: (typeof calendarBlackoutValidators)['update'] = calendarBlackoutValidators.update;
export const calendarBlackoutSelectSchema: (typeof calendarBlackoutValidators)['select'] = calendarBlackoutValidators.select;
export type CalendarBlackoutInsert = z.output<typeof calendarBlackoutInsertSchema>;
export type CalendarBlackoutInsertInput = z.input<typeof calendarBlackoutInsertSchema>;
export type CalendarBlackoutUpdate = z.output<typeof calendarBlackoutUpdateSchema>;
export type CalendarBlackoutUpdateInput = z.input<typeof calendarBlackoutUpdateSchema>;
export type CalendarBlackoutSelect = z.output<typeof calendarBlackoutSelectSchema>;
