import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import {
  deliverWebhooks,
  drainWebhooks,
  outboxDelivery,
  postgresDeliveryStore,
  verifyWebhookSignature,
  webhookEventSchema,
  type DeliverWebhooksOptions,
} from '../../src/integrations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addSubscription, committedAs, deadPort, loopbackFetch, loopbackHosts, makeRetriesDue, resetOutbox, startReceiver, type ReceivedRequest, type Receiver, withLoopbackAllowed } from './support';

/**
 * The delivery worker end to end: outbox rows written by real business transactions, delivered to
 * a real HTTP server on 127.0.0.1, acked back into the database.
 */
describe('webhook delivery', () => {
  let db: TestDatabase;
  let f: Fixture;
  let receiver: Receiver;
  const secrets = new Map<string, string>();
  let slot = 0;

  const options = (extra: Partial<DeliverWebhooksOptions> = {}): DeliverWebhooksOptions => ({
    db: postgresDeliveryStore(db.sql),
    fetch: loopbackFetch,
    allowedHosts: loopbackHosts,
    secretFor: ({ subscriptionId }) => secrets.get(subscriptionId),
    batchSize: 3,
    ...extra,
  });

  const subscribe = async (path: string, eventTypes: readonly string[], target?: string) => {
    const sub = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: target ?? receiver.targetUrl(path), eventTypes });
    secrets.set(sub.id, `secret-of-${path}-${sub.id.slice(0, 8)}`);
    return sub.id;
  };

  /** Creates a session (with student s1) as the therapist, in a committed transaction; returns its id. */
  const newSession = async () => {
    slot++;
    return committedAs(db.sql, f.a.users.therapist, async (tx) => {
      const [s] = await tx<{ id: string }[]>`
        insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
        select ${f.a.organizationId}, ${f.a.users.therapist}, st.id, ${f.a.schoolIds[0]},
               date_trunc('day', now()) + ${`${40 + slot} days 15 hours`}::interval, date_trunc('day', now()) + ${`${40 + slot} days 15 hours 30 minutes`}::interval, ${f.a.users.therapist}
          from public.session_types st where st.organization_id = ${f.a.organizationId} limit 1
        returning id`;
      await tx`insert into public.session_participants (organization_id, session_id, student_id) values (${f.a.organizationId}, ${s!.id}, ${f.a.studentIds[0]})`;
      return s!.id;
    });
  };

  const sendMessage = (body: string) =>
    db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
           values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.guardian}, gen_random_uuid(), ${body})`;

  const header = (r: ReceivedRequest, name: string) => String(r.headers[name.toLowerCase()] ?? '');

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await db.close();
  });
  beforeEach(async () => {
    await resetOutbox(db.sql);
    receiver.requests.length = 0;
    receiver.reply = () => ({ status: 200, body: 'ok' });
  });
  afterEach(async () => {
    await db.sql`update public.webhook_subscriptions set active = false`;
  });

  it('delivers every event once per subscription, in creation order per aggregate, signed', async () => {
    const all = await subscribe('/all', ['session.created', 'session.confirmed', 'session.rescheduled', 'session.cancelled']);
    const some = await subscribe('/some', ['session.created', 'session.cancelled']);
    const s1 = await newSession();
    const s2 = await newSession();
    await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${s1}`;
    await db.sql`update public.therapy_sessions set start_time = start_time + interval '2 hours', end_time = end_time + interval '2 hours' where id = ${s1}`;
    await db.sql`update public.therapy_sessions set status = 'cancelled', cancellation_reason = 'weather', cancelled_by = ${f.a.users.therapist}, cancelled_at = now() where id in (${s1}, ${s2})`;

    const report = await drainWebhooks(options());
    expect(report).toMatchObject({ delivered: 10, failed: 0, dead: 0, leaseLost: 0 });

    const received = receiver.requests.map((r) => ({ path: r.path, event: webhookEventSchema.parse(JSON.parse(r.body)), request: r }));
    // Once per (subscription, event id).
    const keys = received.map((r) => `${r.path} ${header(r.request, 'X-Webhook-Id')}`);
    expect(new Set(keys).size).toBe(keys.length);
    const sequence = (path: string, session: string) =>
      received.filter((r) => r.path === path && (r.event.data as { session_id?: string }).session_id === session).map((r) => r.event.type);
    expect(sequence('/all', s1)).toEqual(['session.created', 'session.confirmed', 'session.rescheduled', 'session.cancelled']);
    expect(sequence('/all', s2)).toEqual(['session.created', 'session.cancelled']);
    expect(sequence('/some', s1)).toEqual(['session.created', 'session.cancelled']);
    expect(sequence('/some', s2)).toEqual(['session.created', 'session.cancelled']);

    for (const { path, event, request } of received) {
      const secret = secrets.get(path === '/all' ? all : some)!;
      const other = secrets.get(path === '/all' ? some : all)!;
      const timestamp = header(request, 'X-Webhook-Timestamp');
      const signature = header(request, 'X-Webhook-Signature');
      expect(header(request, 'X-Webhook-Id')).toBe(event.id);
      expect(header(request, 'content-type')).toBe('application/json');
      expect(await verifyWebhookSignature({ secret, body: request.body, timestamp, signature })).toEqual({ valid: true });
      expect(await verifyWebhookSignature({ secret: other, body: request.body, timestamp, signature })).toMatchObject({ valid: false });
      expect(Object.keys(JSON.parse(request.body))).toEqual(['id', 'type', 'version', 'occurred_at', 'organization_id', 'actor_id', 'data']);
    }
    // The same event carries the same X-Webhook-Id to both subscriptions.
    const created = received.filter((r) => r.event.type === 'session.created' && (r.event.data as { session_id: string }).session_id === s1);
    expect(new Set(created.map((r) => r.event.id)).size).toBe(1);
    expect(created[0]!.event.actor_id).toBe(f.a.users.therapist);
    expect((created[0]!.event.data as { student_ids: string[] }).student_ids).toEqual([f.a.studentIds[0]]);

    const rows = await db.sql`select status, attempts, last_status_code, delivered_at is not null as stamped from public.outbox_events`;
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row).toEqual({ status: 'delivered', attempts: 1, last_status_code: 200, stamped: true });
    // Nothing is left to claim.
    expect((await deliverWebhooks(options())).claimed).toBe(0);
  });

  it('receivers verify with the standardwebhooks library (webhook-* headers) or with X-Webhook-Signature; one scheme alone on request', async () => {
    const sub = await subscribe('/standard', ['message.created']);
    const whsec = `whsec_${Buffer.from('thirty-two bytes of webhook key!').toString('base64')}`;
    secrets.set(sub, whsec);
    await sendMessage('standard');
    expect(await drainWebhooks(options())).toMatchObject({ delivered: 1 });
    const [both] = receiver.requests;
    // What a receiver on any Standard Webhooks SDK does; the library parses the body it verified.
    const event = new Webhook(whsec).verify(both!.body, both!.headers as Record<string, string>) as { id: string };
    expect(event.id).toBe(header(both!, 'webhook-id'));
    expect(header(both!, 'webhook-id')).toBe(header(both!, 'X-Webhook-Id'));
    expect(await verifyWebhookSignature({ secret: whsec, body: both!.body, timestamp: header(both!, 'X-Webhook-Timestamp'), signature: header(both!, 'X-Webhook-Signature') })).toEqual({ valid: true });

    // A secret that is not whsec_: the library verifies it as a raw key.
    secrets.set(sub, 'plain-text-secret');
    for (const signatureScheme of ['standard-webhooks', 'therapy-db'] as const) {
      receiver.requests.length = 0;
      await sendMessage(signatureScheme);
      expect(await drainWebhooks(options({ signatureScheme }))).toMatchObject({ delivered: 1 });
      const [request] = receiver.requests;
      expect(Boolean(request!.headers['webhook-signature'])).toBe(signatureScheme === 'standard-webhooks');
      expect(Boolean(request!.headers['x-webhook-signature'])).toBe(signatureScheme === 'therapy-db');
      expect(request!.headers['x-webhook-event']).toBe('message.created');
      if (signatureScheme === 'standard-webhooks') {
        expect(() => new Webhook('plain-text-secret', { format: 'raw' }).verify(request!.body, request!.headers as Record<string, string>)).not.toThrow();
      }
    }
    await expect(deliverWebhooks(options({ signatureScheme: 'sha1' as never }))).rejects.toThrow(/signatureScheme must be one of both, standard-webhooks, therapy-db/);
  });

  it('a 500 is retried with backoff and then delivered; later events of the aggregate wait for it', async () => {
    await subscribe('/flaky', ['message.created']);
    await sendMessage('first');
    await sendMessage('second');
    receiver.reply = (_request, index) => (index === 0 ? { status: 500, body: 'boom' } : { status: 200 });

    const lines: string[] = [];
    const first = await deliverWebhooks(options({ log: (line) => lines.push(line) }));
    expect(first).toMatchObject({ claimed: 1, failed: 1, delivered: 0 });
    const failure = first.results[0]!;
    expect(failure).toMatchObject({ outcome: 'failed', statusCode: 500, error: 'HTTP 500: boom', attempt: 1 });
    const wait = (failure.nextAttemptAt!.getTime() - Date.now()) / 1000;
    expect(wait).toBeGreaterThan(outboxDelivery.baseDelaySeconds - 5);
    expect(wait).toBeLessThanOrEqual(outboxDelivery.baseDelaySeconds * (1 + outboxDelivery.jitter) + 1);
    expect(lines[0]).toMatch(/message\.created .* HTTP 500: boom in \d+ ms, retry in \d+ s/);

    // Not due yet, and the second message waits behind the first (same conversation).
    expect((await deliverWebhooks(options())).claimed).toBe(0);
    const [row] = await db.sql`select status, attempts, last_status_code, last_error from public.outbox_events order by id limit 1`;
    expect(row).toEqual({ status: 'failed', attempts: 1, last_status_code: 500, last_error: 'HTTP 500: boom' });

    await makeRetriesDue(db.sql);
    const report = await drainWebhooks(options());
    expect(report).toMatchObject({ delivered: 2, failed: 0 });
    const [failed, retried, second] = receiver.requests;
    expect(header(retried!, 'X-Webhook-Id')).toBe(header(failed!, 'X-Webhook-Id'));
    expect(header(retried!, 'X-Webhook-Attempt')).toBe('2');
    expect(JSON.parse(second!.body).data.message_id).not.toBe(JSON.parse(retried!.body).data.message_id);
    const statuses = await db.sql`select status, attempts from public.outbox_events order by id`;
    expect(statuses).toEqual([{ status: 'delivered', attempts: 2 }, { status: 'delivered', attempts: 1 }]);
  });

  it('a dead endpoint ends dead after the attempt limit, with growing delays capped at 12 h', async () => {
    const port = await deadPort();
    const sub = await subscribe('/dead', ['message.created'], `https://127.0.0.1:${port}/gone`);
    await sendMessage('into the void');
    const delays: number[] = [];
    let last;
    for (let i = 0; i < outboxDelivery.maxAttempts; i++) {
      last = await deliverWebhooks(options());
      expect(last.claimed).toBe(1);
      const result = last.results[0]!;
      if (result.nextAttemptAt) delays.push((result.nextAttemptAt.getTime() - Date.now()) / 1000);
      await makeRetriesDue(db.sql);
    }
    expect(last!.results[0]).toMatchObject({ outcome: 'dead', attempt: outboxDelivery.maxAttempts, statusCode: null });
    expect(last!.results[0]!.error).toMatch(/fetch failed|ECONNREFUSED/);
    expect(delays).toHaveLength(outboxDelivery.maxAttempts - 1);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(Math.min(delays[i - 1]!, outboxDelivery.maxDelaySeconds - 5));
    expect(Math.max(...delays)).toBeLessThanOrEqual(outboxDelivery.maxDelaySeconds + 1);
    const [row] = await db.sql`select status, attempts from public.outbox_events`;
    expect(row).toEqual({ status: 'dead', attempts: outboxDelivery.maxAttempts });
    const [subscription] = await db.sql`select failure_count from public.webhook_subscriptions where id = ${sub}`;
    expect(subscription?.failure_count).toBe(outboxDelivery.maxAttempts);
    expect((await deliverWebhooks(options())).claimed).toBe(0);
    // A dead event does not hold the aggregate back: the next message goes out.
    await withLoopbackAllowed(db.sql, (tx) => tx`update public.webhook_subscriptions set target_url = ${receiver.targetUrl('/revived')} where id = ${sub}`);
    await sendMessage('after the outage');
    expect(await drainWebhooks(options())).toMatchObject({ delivered: 1 });
  });

  it('a missing secret, a redirect and a timeout are failures, not deliveries', async () => {
    const noSecret = await subscribe('/no-secret', ['message.created']);
    secrets.delete(noSecret);
    await sendMessage('unsigned');
    const report = await deliverWebhooks(options());
    expect(report.results[0]).toMatchObject({ outcome: 'failed', error: `no secret for subscription ${noSecret}` });
    expect(receiver.requests).toHaveLength(0);

    await db.sql`update public.webhook_subscriptions set active = false`;
    await db.sql`delete from public.outbox_events`;
    await subscribe('/redirect', ['message.created']);
    await sendMessage('redirected');
    receiver.reply = () => ({ status: 307, headers: { location: 'https://elsewhere.example.org/' } });
    expect((await deliverWebhooks(options())).results[0]).toMatchObject({ outcome: 'failed', statusCode: 307 });

    await db.sql`update public.webhook_subscriptions set active = false`;
    await db.sql`delete from public.outbox_events`;
    await subscribe('/slow', ['message.created']);
    await sendMessage('slow');
    receiver.reply = () => ({ status: 200, delayMs: 500 });
    expect((await deliverWebhooks(options({ timeoutMs: 100 }))).results[0]).toMatchObject({ outcome: 'failed', error: 'timeout' });
  });

  it('a 2xx after the lease expired is still delivered: two workers, a 2 s lease, a receiver that answers 200 after 3 s — every event delivered, none dead', async () => {
    await subscribe('/slow-but-fine', ['consent.granted']);
    await db.sql`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
      select ${f.a.organizationId}, ${f.a.studentIds[0]}, 'media', now() - (g || ' minutes')::interval, 'e_signature', ${f.a.users.org_admin}
        from generate_series(1, 20) g`;
    receiver.reply = () => ({ status: 200, delayMs: 3_000 });
    const outstanding = async () =>
      (await db.sql<{ n: number }[]>`select count(*)::int as n from public.outbox_events where status in ('pending', 'failed', 'in_flight')`)[0]!.n;
    // Two workers polling side by side, each with a lease shorter than the receiver's answer.
    const work = async () => {
      const outcomes: string[] = [];
      while ((await outstanding()) > 0) {
        const report = await deliverWebhooks(options({ batchSize: 20, leaseSeconds: 2, timeoutMs: 10_000 }));
        outcomes.push(...report.results.map((r) => r.outcome));
        if (report.claimed === 0) await new Promise((r) => setTimeout(r, 100));
      }
      return outcomes;
    };
    const outcomes = (await Promise.all([work(), work()])).flat();

    const rows = await db.sql<{ status: string; n: number }[]>`select status, count(*)::int as n from public.outbox_events group by 1`;
    expect(rows).toEqual([{ status: 'delivered', n: 20 }]);
    expect(outcomes.filter((o) => o === 'delivered')).toHaveLength(20);
    expect(outcomes).not.toContain('dead');
    expect(outcomes).not.toContain('failed');
    // Every request was answered 200; the attempts that overran their lease were duplicates (same id).
    expect(new Set(receiver.requests.map((r) => header(r, 'X-Webhook-Id'))).size).toBe(20);
  });

  it('a worker told to stop finishes the round in flight and claims nothing more', async () => {
    await subscribe('/stop', ['consent.granted']);
    await db.sql`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
      select ${f.a.organizationId}, ${f.a.studentIds[0]}, 'media', now() - (g || ' minutes')::interval, 'e_signature', ${f.a.users.org_admin}
        from generate_series(1, 12) g`;
    const stop = new AbortController();
    receiver.reply = (_request, index) => {
      if (index === 0) stop.abort();
      return { status: 200, delayMs: 50 };
    };
    const report = await drainWebhooks(options({ batchSize: 4, signal: stop.signal }));
    expect(report).toMatchObject({ rounds: 1, claimed: 4, delivered: 4 });
    const [left] = await db.sql`select count(*)::int as n from public.outbox_events where status = 'pending'`;
    expect(left?.n).toBe(8);
    expect((await deliverWebhooks(options({ signal: stop.signal }))).claimed).toBe(0);
  });

  it('refuses a batch size or lease claim_events would refuse, before claiming', async () => {
    await expect(deliverWebhooks(options({ batchSize: 0.5 }))).rejects.toThrow(/batchSize must be an integer between 1 and 1000 \(got 0.5\)/);
    await expect(deliverWebhooks(options({ leaseSeconds: 99_999 }))).rejects.toThrow(/leaseSeconds must be an integer between 1 and 3600/);
    await expect(deliverWebhooks(options({ timeoutMs: -1 }))).rejects.toThrow(/timeoutMs must be a positive number/);
  });

  it('honours Retry-After', async () => {
    await subscribe('/busy', ['message.created']);
    await sendMessage('busy');
    receiver.reply = () => ({ status: 429, headers: { 'retry-after': '7200' } });
    const [result] = (await deliverWebhooks(options())).results;
    expect((result!.nextAttemptAt!.getTime() - Date.now()) / 1000).toBeGreaterThan(7190);
  });
});
