/** `therapy-db/validators/outbox-events`: the validators of `public.outbox_events`. */
import type { z } from 'zod';
import { eventTypeDescription, eventTypePattern } from '../patterns';
import { between } from '../numeric';
import { matches } from '../text';
import { outboxEventsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const outboxEventSchemas = tableSchemas(outboxEventsColumns, {
  // `id` is an identity column (generated always, so never accepted); a receiver's result is recorded
  // by recordWebhookResult (therapy-db/integrations), with the server's time.
  server: ['createdAt', 'result', 'resultReportedAt'],
  columns: {
    eventType: (s) => s.check(matches(eventTypePattern, eventTypeDescription)),
    attempts: (s) => s.check(between(0, 50)),
  },
});
export const outboxEventInsertSchema: (typeof outboxEventSchemas)['insert'] = outboxEventSchemas.insert;
export const outboxEventUpdateSchema: (typeof outboxEventSchemas)['update'] = outboxEventSchemas.update;
export const outboxEventSelectSchema: (typeof outboxEventSchemas)['select'] = outboxEventSchemas.select;
export type OutboxEventInsert = z.output<typeof outboxEventInsertSchema>;
export type OutboxEventInsertInput = z.input<typeof outboxEventInsertSchema>;
export type OutboxEventUpdate = z.output<typeof outboxEventUpdateSchema>;
export type OutboxEventUpdateInput = z.input<typeof outboxEventUpdateSchema>;
export type OutboxEventSelect = z.output<typeof outboxEventSelectSchema>;
