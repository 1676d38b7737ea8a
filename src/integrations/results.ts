import type postgres from 'postgres';
import { z } from 'zod';
import { webhookResultStatuses } from '../schema/codes';

/**
 * What a receiver reports after processing a delivered event — an n8n workflow's callback: the SMS
 * was sent, the claim was filed, or it failed and why. Recorded on the event's outbox row
 * (`outbox_events.result`, `result_reported_at`), where an operator looks for the event's fate.
 *
 * The callback is signed like a delivery, with the subscription's secret (`verifyWebhookRequest`),
 * so only the subscription's receiver can report, and only on the subscription's own events.
 */
export const webhookResultSchema = z
  .object({
    /** The delivered event's id (`X-Webhook-Id` of the delivery, the envelope's `id`). */
    event_id: z.uuid(),
    status: z.enum(webhookResultStatuses),
    /** A short note for operators (no clinical content: ids and outcomes). */
    detail: z.string().max(2000).optional(),
    /** The workflow run, e.g. n8n's `{{ $execution.id }}`. */
    execution_id: z.string().min(1).max(200).optional(),
  })
  .strict();

export type WebhookResult = z.output<typeof webhookResultSchema>;

export interface RecordWebhookResultOptions {
  /** The subscription whose secret signed the callback: only its events can be reported on. */
  readonly subscriptionId: string;
  readonly result: WebhookResult;
  /** The callback's own webhook id: a callback delivered again with the same id is recorded once. */
  readonly callbackId?: string;
}

export type RecordWebhookResultOutcome = 'recorded' | 'duplicate' | 'unknown_event';

/**
 * Records a receiver's result on the event's outbox row, in the caller's transaction (the service
 * role or the database owner: clients have no privilege on the outbox). `unknown_event` when the
 * subscription has no such event — including another organisation's events, whatever the id.
 */
export async function recordWebhookResult(sql: postgres.Sql | postgres.TransactionSql, options: RecordWebhookResultOptions): Promise<{ outcome: RecordWebhookResultOutcome }> {
  const { result, subscriptionId } = options;
  const stored = { status: result.status, ...(result.detail !== undefined ? { detail: result.detail } : {}), ...(result.execution_id !== undefined ? { execution_id: result.execution_id } : {}), ...(options.callbackId ? { callback_id: options.callbackId } : {}) };
  const [row] = await sql<{ id: number; duplicate: boolean }[]>`
    select e.id, coalesce(e.result ->> 'callback_id' = ${options.callbackId ?? null}, false) as duplicate
      from public.outbox_events e
     where e.event_id = ${result.event_id} and e.subscription_id = ${subscriptionId}
       for update`;
  if (!row) return { outcome: 'unknown_event' };
  if (row.duplicate) return { outcome: 'duplicate' };
  // Sent as text and cast: a jsonb-typed parameter would be JSON-encoded again by some clients.
  await sql`update public.outbox_events set result = ${JSON.stringify(stored)}::text::jsonb, result_reported_at = pg_catalog.now() where id = ${row.id}`;
  return { outcome: 'recorded' };
}
