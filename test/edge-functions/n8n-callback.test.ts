import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import { idHeader, secretEnvName, signatureHeader, signWebhook, timestampHeader } from '../../src/integrations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { installExample, startFunction, type RunningFunction } from './support';

/**
 * examples/edge-functions/supabase/functions/n8n-callback under Deno: an n8n workflow reports the
 * result of an event the outbox delivered to it, signed with its subscription's secret. The fixture's
 * sessions have already put `session.created` events in both organisations' outboxes.
 */

let db: TestDatabase;
let fx: Fixture;
let fn: RunningFunction;
const secrets = { a: 'n8n-secret-of-organisation-a-0123456789', b: 'n8n-secret-of-organisation-b-9876543210' };
const subscriptions = { a: '', b: '' };

interface OutboxRow {
  event_id: string;
  result: Record<string, unknown> | null;
  result_reported_at: Date | null;
}
const eventOf = async (org: 'a' | 'b') =>
  (await db.sql<OutboxRow[]>`select event_id, result, result_reported_at from public.outbox_events where organization_id = ${fx[org].organizationId} order by id limit 1`)[0]!;
const rowOf = async (eventId: string) => (await db.sql<OutboxRow[]>`select event_id, result, result_reported_at from public.outbox_events where event_id = ${eventId}`)[0]!;

interface CallbackOptions {
  readonly subscription?: string;
  readonly secret?: string;
  readonly id?: string;
  /** Seconds to shift the signed timestamp by (negative: an old, replayed request). */
  readonly age?: number;
  /** Replace the body after signing it. */
  readonly tamper?: string;
  readonly unsigned?: boolean;
  /** Sign with Standard Webhooks' webhook-* headers (by the standardwebhooks library) instead of X-Webhook-*. */
  readonly standard?: boolean;
}

async function callback(body: unknown, options: CallbackOptions = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000) - (options.age ?? 0);
  const id = options.id ?? crypto.randomUUID();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.standard) {
    const signature = new Webhook(options.secret ?? secrets.a, { format: 'raw' }).sign(id, new Date(timestamp * 1000), raw);
    Object.assign(headers, { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature });
  } else headers[idHeader] = id;
  if (!options.unsigned && !options.standard) {
    headers[timestampHeader] = String(timestamp);
    headers[signatureHeader] = await signWebhook(options.secret ?? secrets.a, timestamp, raw);
  }
  const response = await fetch(`${fn.url}/${options.subscription ?? subscriptions.a}`, { method: 'POST', headers, body: options.tamper ?? raw });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedFixture(db.sql);
  for (const org of ['a', 'b'] as const) {
    const [row] = await db.sql`select id from public.webhook_subscriptions where organization_id = ${fx[org].organizationId}`;
    subscriptions[org] = row!.id as string;
  }
  installExample();
  fn = await startFunction('n8n-callback', {
    SUPABASE_URL: 'http://127.0.0.1:9',
    SUPABASE_DB_URL: db.url,
    [secretEnvName(subscriptions.a)]: secrets.a,
    [secretEnvName(subscriptions.b)]: secrets.b,
  });
  // A build of the package may come first (installExample): minutes on a busy machine.
}, 600_000);
afterAll(async () => {
  await fn?.stop();
  await db?.close();
});

describe('n8n-callback: a signed result is recorded on its outbox event', () => {
  it('200: the result, the workflow run and the callback id are stored, with the server time', async () => {
    const event = await eventOf('a');
    const id = crypto.randomUUID();
    const answer = await callback({ event_id: event.event_id, status: 'succeeded', detail: 'SMS sent to 1 guardian', execution_id: '4711' }, { id });
    expect(answer).toEqual({ status: 200, body: { recorded: true, duplicate: false, event_id: event.event_id } });
    const row = await rowOf(event.event_id);
    expect(row.result).toEqual({ status: 'succeeded', detail: 'SMS sent to 1 guardian', execution_id: '4711', callback_id: id });
    expect(Math.abs(new Date(row.result_reported_at!).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('the same callback delivered twice (same webhook id) is recorded once', async () => {
    const event = await eventOf('a');
    const id = crypto.randomUUID();
    expect((await callback({ event_id: event.event_id, status: 'failed', detail: 'first' }, { id })).body).toMatchObject({ recorded: true });
    const first = await rowOf(event.event_id);
    const again = await callback({ event_id: event.event_id, status: 'failed', detail: 'first' }, { id });
    expect(again).toEqual({ status: 200, body: { recorded: false, duplicate: true, event_id: event.event_id } });
    expect(await rowOf(event.event_id)).toEqual(first);
  });

  it('a callback signed with Standard Webhooks (webhook-* headers, by the standardwebhooks library) is recorded, once per webhook-id', async () => {
    const event = await eventOf('a');
    const id = crypto.randomUUID();
    const body = { event_id: event.event_id, status: 'succeeded', detail: 'signed the standard way' };
    expect(await callback(body, { id, standard: true })).toEqual({ status: 200, body: { recorded: true, duplicate: false, event_id: event.event_id } });
    expect((await rowOf(event.event_id)).result).toEqual({ status: 'succeeded', detail: 'signed the standard way', callback_id: id });
    expect(await callback(body, { id, standard: true })).toEqual({ status: 200, body: { recorded: false, duplicate: true, event_id: event.event_id } });
    const forged = await callback(body, { standard: true, secret: 'not-the-subscription-secret-0000000000' });
    expect(forged).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
  });

  it('422: a body that is not a result, named by field', async () => {
    const event = await eventOf('a');
    const answer = await callback({ event_id: event.event_id, status: 'done' });
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toEqual([expect.objectContaining({ field: 'status' })]);
  });
});

describe('n8n-callback: refusals record nothing', () => {
  const refused: [string, CallbackOptions][] = [
    ['a signature made with another secret', { secret: 'not-the-subscription-secret-0000000000' }],
    ['a replayed request (signed ten minutes ago)', { age: 600 }],
    ['a body changed after signing', { tamper: '__tampered__' }],
    ['no signature at all', { unsigned: true }],
    ["organisation B's subscription in the path, signed with A's secret", { subscription: '' }],
    ['a subscription with no secret configured', { subscription: '00000000-0000-4000-8000-000000000000' }],
  ];
  for (const [name, options] of refused) {
    it(`401 for ${name}`, async () => {
      const event = await eventOf('a');
      const before = await rowOf(event.event_id);
      const body = { event_id: event.event_id, status: 'failed', detail: 'forged' };
      const opts = options.tamper ? { ...options, tamper: JSON.stringify({ ...body, detail: 'tampered' }) } : options.subscription === '' ? { ...options, subscription: subscriptions.b } : options;
      const answer = await callback(body, opts);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: 'invalid_signature' });
      expect(await rowOf(event.event_id)).toEqual(before);
    });
  }

  it("404: A's subscription cannot record on organisation B's event, even with its id", async () => {
    const event = await eventOf('b');
    const before = await rowOf(event.event_id);
    const answer = await callback({ event_id: event.event_id, status: 'succeeded' });
    expect(answer).toMatchObject({ status: 404, body: { error: 'unknown_event' } });
    expect(await rowOf(event.event_id)).toEqual(before);
  });

  it('logs one JSON line per request, never a secret or a signature', async () => {
    const requests = fn.logs().filter((l) => l.event === 'request');
    expect(requests.length).toBeGreaterThan(5);
    expect(fn.logs()).toContainEqual(expect.objectContaining({ event: 'callback_signature_refused', reason: 'timestamp_out_of_tolerance' }));
    const text = fn.output.join('\n');
    expect(text).not.toContain(secrets.a);
    expect(text).not.toMatch(/sha256=[0-9a-f]{64}/);
  });
});
