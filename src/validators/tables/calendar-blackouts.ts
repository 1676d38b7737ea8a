/** `therapy-db/validators/calendar-blackouts`: the validators of `public.calendar_blackouts`. */
import type { z } from 'zod';
import { nonEmptyRange } from '../range';
import { calendarBlackoutsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const calendarBlackoutSchemas = tableSchemas(calendarBlackoutsColumns, {
  server: ['id'],
  columns: {
    during: (s) => s.check(nonEmptyRange('tstzrange')),
  },
});
export const calendarBlackoutInsertSchema: (typeof calendarBlackoutSchemas)['insert'] = calendarBlackoutSchemas.insert;
export const calendarBlackoutUpdateSchema: (typeof calendarBlackoutSchemas)['update'] = calendarBlackoutSchemas.update;
export const calendarBlackoutSelectSchema: (typeof calendarBlackoutSchemas)['select'] = calendarBlackoutSchemas.select;
export type CalendarBlackoutInsert = z.output<typeof calendarBlackoutInsertSchema>;
export type CalendarBlackoutInsertInput = z.input<typeof calendarBlackoutInsertSchema>;
export type CalendarBlackoutUpdate = z.output<typeof calendarBlackoutUpdateSchema>;
export type CalendarBlackoutUpdateInput = z.input<typeof calendarBlackoutUpdateSchema>;
export type CalendarBlackoutSelect = z.output<typeof calendarBlackoutSelectSchema>;
