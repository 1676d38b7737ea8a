/** `therapy-db/validators/session-series`: the validators of `public.session_series`. */
import type { z } from 'zod';
import { between } from '../numeric';
import { nonEmptyRange } from '../range';
import { matches } from '../text';
import { sessionSeriesColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const sessionSeriesSchemas = tableSchemas(sessionSeriesColumns, {
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
export const sessionSeriesInsertSchema: (typeof sessionSeriesSchemas)['insert'] = sessionSeriesSchemas.insert;
export const sessionSeriesUpdateSchema: (typeof sessionSeriesSchemas)['update'] = sessionSeriesSchemas.update;
export const sessionSeriesSelectSchema: (typeof sessionSeriesSchemas)['select'] = sessionSeriesSchemas.select;
export type SessionSeriesInsert = z.output<typeof sessionSeriesInsertSchema>;
export type SessionSeriesInsertInput = z.input<typeof sessionSeriesInsertSchema>;
export type SessionSeriesUpdate = z.output<typeof sessionSeriesUpdateSchema>;
export type SessionSeriesUpdateInput = z.input<typeof sessionSeriesUpdateSchema>;
export type SessionSeriesSelect = z.output<typeof sessionSeriesSelectSchema>;
