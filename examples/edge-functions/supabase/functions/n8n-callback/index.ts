/**
 * POST /functions/v1/n8n-callback/<subscription id> — an n8n workflow reports what it did with an
 * event the outbox delivered to it (an SMS sent, a claim filed, or a failure), and the result is
 * recorded on that event's outbox row.
 *
 * The request is signed like the deliveries, with the subscription's secret (the same
 * THERAPY_DB_WEBHOOK_SECRET_<id> the delivery worker uses), in either scheme (Standard Webhooks'
 * webhook-* headers or X-Webhook-*), and verified by the package's webhook signature check on the
 * raw body before anything is parsed: 401 for a missing, wrong or stale
 * (replayed) signature. A callback can only record on its own subscription's events (404 otherwise);
 * a callback delivered twice (same webhook id) is recorded once.
 *
 *   { "event_id": "…", "status": "succeeded" | "failed", "detail"?: "…", "execution_id"?: "…" }
 */
import { enterServiceRole } from 'therapy-db/rls';
import { recordWebhookResult, secretEnvName, verifyWebhookRequest, webhookResultSchema } from 'therapy-db/integrations';
import { isUuid } from 'therapy-db/validators';
import { sql } from '../_shared/database.ts';
import { json, problemResponse } from '../_shared/http.ts';
import { log } from '../_shared/log.ts';
import { serveFunction, type RequestContext } from '../_shared/serve.ts';

serveFunction('n8n-callback', async (request: Request, context: RequestContext): Promise<Response> => {
  if (request.method !== 'POST') return problemResponse({ status: 405, error: 'method_not_allowed', message: 'use POST' });
  const subscriptionId = new URL(request.url).pathname.split('/').filter(Boolean).at(-1) ?? '';
  if (!isUuid(subscriptionId)) return problemResponse({ status: 404, error: 'not_found', message: 'call /n8n-callback/<subscription id>' });
  context.fields.subscription_id = subscriptionId;

  // An unknown subscription and a wrong signature answer alike: the caller learns nothing.
  const secret = Deno.env.get(secretEnvName(subscriptionId));
  const verified = secret ? await verifyWebhookRequest(request, secret) : ({ valid: false, reason: 'signature_mismatch', body: '', id: null } as const);
  if (!verified.valid) {
    log('warn', 'callback_signature_refused', { request_id: context.requestId, subscription_id: subscriptionId, reason: verified.reason });
    return problemResponse({ status: 401, error: 'invalid_signature', message: `the callback's signature is not valid (${verified.reason})` });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(verified.body);
  } catch {
    return problemResponse({ status: 400, error: 'invalid_json', message: 'the body must be JSON' });
  }
  const result = webhookResultSchema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
    return problemResponse({ status: 422, error: 'invalid', message: 'the callback is not valid', issues });
  }

  // The callback's own id (webhook-id or X-Webhook-Id, whichever scheme signed it): a retry is recorded once.
  const callbackId = verified.id ?? undefined;
  // The function's own connection, with service_role's grants (not the owner's): it writes one row.
  const recorded = await sql().begin(async (tx) => {
    await enterServiceRole(tx);
    return recordWebhookResult(tx, { subscriptionId, result: result.data, ...(callbackId ? { callbackId } : {}) });
  });
  log('info', 'callback_result', { request_id: context.requestId, subscription_id: subscriptionId, event_id: result.data.event_id, status: result.data.status, outcome: recorded.outcome });
  if (recorded.outcome === 'unknown_event') {
    return problemResponse({ status: 404, error: 'unknown_event', message: 'no event with this id was delivered to this subscription' });
  }
  return json(200, { recorded: recorded.outcome === 'recorded', duplicate: recorded.outcome === 'duplicate', event_id: result.data.event_id });
});
