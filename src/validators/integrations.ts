import { z } from 'zod';
import { outboxEvents, webhookSubscriptions } from '../schema/integrations';
import { checkWebhookTarget, type WebhookTargetOptions } from '../webhooks';
import { array, minItems } from './array';
import { eventTypeDescription, eventTypePattern } from './notifications';
import { between } from './numeric';
import { defineTable } from './table';
import { fieldLabel } from './label';
import { matches, text } from './text';

// ------------------------------------------------------------------ webhook_subscriptions
/**
 * The check of a webhook target URL: `https` to a public address, the database's rule
 * (`webhook_subscriptions_target_url_public`), e.g. `target_url must be a public address:
 * 169.254.169.254 is in 169.254.0.0/16, not a public address`. The table's schemas use it without
 * an allow-list; in development, where the database's `therapy_db.webhook_allowed_hosts` lists a
 * local receiver, extend them with the same hosts:
 * `webhookSubscriptionInsertSchema.extend({ targetUrl: text().check(webhookTarget({ allowedHosts: ['localhost'] })) })`.
 */
export function webhookTarget(options: WebhookTargetOptions = {}) {
  const problem = (value: unknown) => {
    const checked = typeof value === 'string' ? checkWebhookTarget(value, options) : undefined;
    return checked && !checked.ok ? checked.problem : 'must be an https:// URL';
  };
  return z.refine<string>((value) => checkWebhookTarget(value, options).ok, { error: (issue) => `${fieldLabel(issue.path)} ${problem(issue.input)}` });
}

export const webhookSubscriptionValidators = defineTable(webhookSubscriptions, {
  // The delivery worker counts failures and disables a failing endpoint.
  server: ['id', 'createdAt', 'failureCount', 'disabledAt'],
  columns: {
    targetUrl: (s) => s.check(webhookTarget()),
    // Each element is an event type, as outbox_events.event_type (issues at event_types[i]).
    eventTypes: () => array(text().check(matches(eventTypePattern, eventTypeDescription))).check(minItems(1)),
  },
});
export const webhookSubscriptionInsertSchema: (typeof webhookSubscriptionValidators)['insert'] = webhookSubscriptionValidators.insert;
export const webhookSubscriptionUpdateSchema: (typeof webhookSubscriptionValidators)['update'] = webhookSubscriptionValidators.update;
export const webhookSubscriptionSelectSchema: (typeof webhookSubscriptionValidators)['select'] = webhookSubscriptionValidators.select;
export type WebhookSubscriptionInsert = z.output<typeof webhookSubscriptionInsertSchema>;
export type WebhookSubscriptionInsertInput = z.input<typeof webhookSubscriptionInsertSchema>;
export type WebhookSubscriptionUpdate = z.output<typeof webhookSubscriptionUpdateSchema>;
export type WebhookSubscriptionUpdateInput = z.input<typeof webhookSubscriptionUpdateSchema>;
export type WebhookSubscriptionSelect = z.output<typeof webhookSubscriptionSelectSchema>;

// ------------------------------------------------------------------ outbox_events
export const outboxEventValidators = defineTable(outboxEvents, {
  // `id` is an identity column (generated always, so never accepted); a receiver's result is recorded
  // by recordWebhookResult (therapy-db/integrations), with the server's time.
  server: ['createdAt', 'result', 'resultReportedAt'],
  columns: {
    eventType: (s) => s.check(matches(eventTypePattern, eventTypeDescription)),
    attempts: (s) => s.check(between(0, 50)),
  },
});
export const outboxEventInsertSchema: (typeof outboxEventValidators)['insert'] = outboxEventValidators.insert;
export const outboxEventUpdateSchema: (typeof outboxEventValidators)['update'] = outboxEventValidators.update;
export const outboxEventSelectSchema: (typeof outboxEventValidators)['select'] = outboxEventValidators.select;
export type OutboxEventInsert = z.output<typeof outboxEventInsertSchema>;
export type OutboxEventInsertInput = z.input<typeof outboxEventInsertSchema>;
export type OutboxEventUpdate = z.output<typeof outboxEventUpdateSchema>;
export type OutboxEventUpdateInput = z.input<typeof outboxEventUpdateSchema>;
export type OutboxEventSelect = z.output<typeof outboxEventSelectSchema>;
