/** `therapy-db/validators/webhook-subscriptions`: the validators of `public.webhook_subscriptions`. */
import * as z from 'zod';
import { checkWebhookTarget, type WebhookTargetOptions } from '../../webhooks';
import { array, minItems } from '../array';
import { eventTypeDescription, eventTypePattern } from '../patterns';
import { fieldLabel } from '../label';
import { matches, text } from '../text';
import { webhookSubscriptionsColumns } from '../described-tables';
import { tableSchemas } from '../table';

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

export const webhookSubscriptionSchemas = tableSchemas(webhookSubscriptionsColumns, {
  // The delivery worker counts failures and disables a failing endpoint.
  server: ['id', 'createdAt', 'failureCount', 'disabledAt'],
  columns: {
    targetUrl: (s) => s.check(webhookTarget()),
    // Each element is an event type, as outbox_events.event_type (issues at event_types[i]).
    eventTypes: () => array(text().check(matches(eventTypePattern, eventTypeDescription))).check(minItems(1)),
  },
});
export const webhookSubscriptionInsertSchema: (typeof webhookSubscriptionSchemas)['insert'] = webhookSubscriptionSchemas.insert;
export const webhookSubscriptionUpdateSchema: (typeof webhookSubscriptionSchemas)['update'] = webhookSubscriptionSchemas.update;
export const webhookSubscriptionSelectSchema: (typeof webhookSubscriptionSchemas)['select'] = webhookSubscriptionSchemas.select;
export type WebhookSubscriptionInsert = z.output<typeof webhookSubscriptionInsertSchema>;
export type WebhookSubscriptionInsertInput = z.input<typeof webhookSubscriptionInsertSchema>;
export type WebhookSubscriptionUpdate = z.output<typeof webhookSubscriptionUpdateSchema>;
export type WebhookSubscriptionUpdateInput = z.input<typeof webhookSubscriptionUpdateSchema>;
export type WebhookSubscriptionSelect = z.output<typeof webhookSubscriptionSelectSchema>;
