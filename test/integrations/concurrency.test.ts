import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import { deliverWebhooks, drainWebhooks, postgresDeliveryStore, type DeliverWebhooksOptions } from '../../src/integrations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addSubscription, loopbackFetch, loopbackHosts, resetOutbox, startReceiver, type Receiver } from './support';

/**
 * Several delivery workers on one database, each on its own connections, as several `therapy-db
 * deliver --watch` processes (or Edge Function invocations) would run. PGlite serves a single
 * session, so there is no concurrency to test there.
 */
const onServer = inject('testBackend').kind === 'server';
if (!onServer) {
  console.log('integrations/concurrency: skipped on embedded PGlite (single connection: no parallel workers); runs on PostgreSQL (DATABASE_URL or testcontainers)');
}

describe.skipIf(!onServer)('webhook delivery with parallel workers (PostgreSQL)', () => {
  let db: TestDatabase;
  let f: Fixture;
  let receiver: Receiver;
  const workers: postgres.Sql[] = [];
  let secret = '';

  const worker = (sql: postgres.Sql, extra: Partial<DeliverWebhooksOptions> = {}): DeliverWebhooksOptions => ({
    db: postgresDeliveryStore(sql),
    fetch: loopbackFetch,
    allowedHosts: loopbackHosts,
    secretFor: () => secret,
    batchSize: 4,
    ...extra,
  });

  const outstanding = async () =>
    (await db.sql<{ n: number }[]>`select count(*)::int as n from public.outbox_events where status in ('pending', 'failed', 'in_flight')`)[0]!.n;

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
    receiver = await startReceiver();
    for (let i = 0; i < 4; i++) workers.push(postgres(db.url, { max: 3, onnotice: () => {} }));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.end({ timeout: 5 })));
    await receiver.close();
    await db.close();
  });
  beforeEach(async () => {
    await resetOutbox(db.sql);
    receiver.requests.length = 0;
    const sub = await addSubscription(db.sql, {
      organizationId: f.a.organizationId,
      targetUrl: receiver.targetUrl(`/parallel`),
      eventTypes: ['consent.granted', 'message.created'],
    });
    secret = `secret-${sub.id}`;
  });

  it('four workers in parallel never deliver one event twice, and keep each conversation in order', async () => {
    // 40 independent aggregates (consents) and one conversation of 20 messages.
    await db.sql`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
      select ${f.a.organizationId}, ${f.a.studentIds[0]}, 'media', now() - (g || ' minutes')::interval, 'e_signature', ${f.a.users.org_admin}
        from generate_series(1, 40) g`;
    for (let i = 0; i < 20; i++) {
      await db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
        values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.therapist}, gen_random_uuid(), ${`message ${i}`})`;
    }
    const messageOrder = (await db.sql<{ id: string }[]>`select id from public.messages where body like 'message %' order by created_at, (substr(body, 9))::int`).map((r) => r.id);
    receiver.reply = () => ({ status: 200, delayMs: Math.floor(Math.random() * 15) });

    const delivered = await Promise.all(
      workers.map(async (sql) => {
        let n = 0;
        while ((await outstanding()) > 0) {
          const report = await deliverWebhooks(worker(sql));
          n += report.delivered;
          if (report.claimed === 0) await new Promise((r) => setTimeout(r, 10));
        }
        return n;
      }),
    );

    const ids = receiver.requests.map((r) => String(r.headers['x-webhook-id']));
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(60);
    // More than one worker did real work (the test exercises contention, not one lucky worker).
    expect(delivered.filter((n) => n > 0).length).toBeGreaterThan(1);
    const rows = await db.sql`select status, attempts, count(*)::int as n from public.outbox_events group by 1, 2`;
    expect(rows).toEqual([{ status: 'delivered', attempts: 1, n: 60 }]);
    const received = receiver.requests
      .map((r) => JSON.parse(r.body) as { type: string; data: { message_id?: string } })
      .filter((e) => e.type === 'message.created')
      .map((e) => e.data.message_id);
    expect(received).toEqual(messageOrder);
  });

  it('a worker that dies between claim and ack loses nothing: after the lease another worker delivers', async () => {
    await db.sql`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
      select ${f.a.organizationId}, ${f.a.studentIds[0]}, 'media', now() - (g || ' minutes')::interval, 'e_signature', ${f.a.users.org_admin}
        from generate_series(1, 5) g`;
    // Worker 0 claims everything with a 2 s lease, then "dies": it never posts and never acks.
    const dying = postgresDeliveryStore(workers[0]!);
    const claimed = await dying.claim(10, 2);
    expect(claimed).toHaveLength(5);

    // While the lease runs, the others find nothing to do.
    const early = await drainWebhooks(worker(workers[1]!));
    expect(early.claimed).toBe(0);
    expect(receiver.requests).toHaveLength(0);

    await new Promise((r) => setTimeout(r, 2_300));
    const [late1, late2] = await Promise.all([drainWebhooks(worker(workers[1]!)), drainWebhooks(worker(workers[2]!))]);
    expect(late1.delivered + late2.delivered).toBe(5);
    const ids = receiver.requests.map((r) => String(r.headers['x-webhook-id']));
    expect(new Set(ids)).toEqual(new Set(claimed.map((c) => c.eventId)));
    expect(ids).toHaveLength(5);
    expect(receiver.requests.every((r) => r.headers['x-webhook-attempt'] === '2')).toBe(true);

    // The dead worker's ack, should it come back, is refused and changes nothing.
    expect(await dying.ack({ id: claimed[0]!.id, attempt: claimed[0]!.attempt, delivered: false, statusCode: 500 })).toBeNull();
    const rows = await db.sql`select status, attempts, count(*)::int as n from public.outbox_events group by 1, 2`;
    expect(rows).toEqual([{ status: 'delivered', attempts: 2, n: 5 }]);
  });
});
