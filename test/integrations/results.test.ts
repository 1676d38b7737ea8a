import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import { recordWebhookResult, webhookResultSchema } from '../../src/integrations';
import { asServiceRole, asUser } from '../../src/testing';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { rolledBack, sqlState } from './support';

/**
 * A receiver's result on its outbox event (what the n8n-callback Edge Function records): only on
 * the reporting subscription's own events, once per callback id, and the columns' CHECKs.
 */
describe('recordWebhookResult: a receiver reports what it did with an event', () => {
  let db: TestDatabase;
  let f: Fixture;
  const event = async (org: 'a' | 'b') =>
    (await db.sql<{ id: string; event_id: string; subscription_id: string }[]>`
      select id::text, event_id, subscription_id from public.outbox_events where organization_id = ${f[org].organizationId} order by id limit 1`)[0]!;

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('as service_role: recorded with the server time, then a repeat of the same callback id is a duplicate', async () => {
    const e = await event('a');
    const outcome = await asServiceRole(db.sql, async (tx) => {
      const first = await recordWebhookResult(tx, { subscriptionId: e.subscription_id, callbackId: 'cb-1', result: { event_id: e.event_id, status: 'succeeded', detail: 'sent' } });
      const again = await recordWebhookResult(tx, { subscriptionId: e.subscription_id, callbackId: 'cb-1', result: { event_id: e.event_id, status: 'failed' } });
      const [row] = await tx`select result, result_reported_at = now() as server_time from public.outbox_events where id = ${e.id}`;
      return { first, again, row };
    });
    expect(outcome).toEqual({
      first: { outcome: 'recorded' },
      again: { outcome: 'duplicate' },
      row: { result: { status: 'succeeded', detail: 'sent', callback_id: 'cb-1' }, server_time: true },
    });
  });

  it("another subscription's event is unknown, whatever its id", async () => {
    const a = await event('a');
    const b = await event('b');
    const outcome = await asServiceRole(db.sql, (tx) => recordWebhookResult(tx, { subscriptionId: a.subscription_id, result: { event_id: b.event_id, status: 'succeeded' } }));
    expect(outcome).toEqual({ outcome: 'unknown_event' });
  });

  it('a signed-in user cannot record a result: the outbox is not theirs (42501)', async () => {
    const e = await event('a');
    const state = await asUser(db.sql, { sub: f.a.users.org_admin }, (tx) =>
      sqlState(recordWebhookResult(tx, { subscriptionId: e.subscription_id, result: { event_id: e.event_id, status: 'succeeded' } })),
    );
    expect(state).toBe('42501');
  });

  it('the CHECKs: a result is an object with a known status, stamped exactly when present', async () => {
    const e = await event('a');
    const attempt = (set: string) =>
      rolledBack(db.sql, (tx) =>
        tx.unsafe(`update public.outbox_events set ${set} where id = $1`, [e.id]).then(
          () => 'ok',
          (err: { code?: string; constraint_name?: string }) => `${err.code} ${err.constraint_name}`,
        ),
      );
    expect(await attempt(`result = '{"status":"succeeded"}', result_reported_at = now()`)).toBe('ok');
    expect(await attempt(`result = '{"status":"done"}', result_reported_at = now()`)).toBe('23514 outbox_events_result_check');
    expect(await attempt(`result = '"succeeded"', result_reported_at = now()`)).toBe('23514 outbox_events_result_check');
    expect(await attempt(`result = '{"status":"failed"}'`)).toBe('23514 outbox_events_result_reported_at_check');
    expect(await attempt(`result_reported_at = now()`)).toBe('23514 outbox_events_result_reported_at_check');
  });

  it('webhookResultSchema: the callback body, strict', () => {
    const event_id = '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90';
    expect(webhookResultSchema.safeParse({ event_id, status: 'failed', detail: 'Twilio 21211', execution_id: '4711' }).success).toBe(true);
    expect(webhookResultSchema.safeParse({ event_id, status: 'done' }).success).toBe(false);
    expect(webhookResultSchema.safeParse({ event_id, status: 'succeeded', note: 'extra' }).success).toBe(false);
    expect(webhookResultSchema.safeParse({ event_id, status: 'failed', detail: 'x'.repeat(2001) }).success).toBe(false);
  });
});
