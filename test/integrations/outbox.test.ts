import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import { automationRole, outboxDelivery, postgresDeliveryStore, webhookEventSchema, webhookEventTypes, type WebhookEventType } from '../../src/integrations';
import { asAnon, asServiceRole, asUser } from '../../src/testing';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addSubscription, committedAs, resetOutbox, rolledBack, sqlState } from './support';

interface OutboxRow {
  id: string;
  event_id: string;
  subscription_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
}

/** The outbox written by the triggers: which events, with which payloads, in which transaction. */
describe('outbox: events enqueued by the business transaction', () => {
  let db: TestDatabase;
  let f: Fixture;
  let everything: string;

  const rows = async (types?: readonly WebhookEventType[]) =>
    (await db.sql<OutboxRow[]>`select id::text, event_id, subscription_id, event_type, aggregate_type, aggregate_id, payload, status, attempts
      from public.outbox_events order by outbox_events.id`).filter((r) => !types || types.includes(r.event_type as WebhookEventType));

  let slot = 0;
  /** A new future session of the therapist with student s1 (its session.created is cleared by the caller's reset). */
  const freshSession = async (): Promise<string> => {
    slot++;
    const [s] = await db.sql<{ id: string }[]>`
      insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
      select ${f.a.organizationId}, ${f.a.users.therapist}, st.id, ${f.a.schoolIds[0]},
             date_trunc('day', now()) + ${`${30 + slot} days 15 hours`}::interval, date_trunc('day', now()) + ${`${30 + slot} days 15 hours 30 minutes`}::interval, ${f.a.users.therapist}
        from public.session_types st where st.organization_id = ${f.a.organizationId} limit 1
      returning id`;
    await db.sql`insert into public.session_participants (organization_id, session_id, student_id) values (${f.a.organizationId}, ${s!.id}, ${f.a.studentIds[0]})`;
    await db.sql`delete from public.outbox_events`;
    return s!.id;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await resetOutbox(db.sql);
    await db.sql`delete from public.webhook_subscriptions where target_url like 'https://hooks.test/%'`;
    everything = (await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: 'https://hooks.test/all', eventTypes: webhookEventTypes })).id;
  });

  it('the fixture queued session.created for its subscriptions at commit (they were inserted after the sessions, in the same transaction)', async () => {
    // beforeEach cleared the outbox; a fresh database shows what seeding wrote.
    const fresh = await createTestDatabase();
    try {
      const fx = await seedFixture(fresh.sql);
      const queued = await fresh.sql<{ event_type: string; n: number }[]>`
        select event_type, count(*)::int as n from public.outbox_events where organization_id = ${fx.a.organizationId} group by 1 order by 1`;
      // Deferred: the constraint trigger ran at commit, after the subscription row was written.
      expect(queued).toEqual([{ event_type: 'session.created', n: 3 }]);
    } finally {
      await fresh.close();
    }
  });

  it('a new session with participants added later in the same transaction: session.created lists them (deferred trigger)', async () => {
    const sessionId = await committedAs(db.sql, f.a.users.therapist, async (tx) => {
      const [s] = await tx<{ id: string }[]>`
        insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
        select ${f.a.organizationId}, ${f.a.users.therapist}, st.id, ${f.a.schoolIds[0]}, now() + interval '20 days', now() + interval '20 days 30 minutes', ${f.a.users.therapist}
          from public.session_types st where st.organization_id = ${f.a.organizationId} limit 1
        returning id`;
      await tx`insert into public.session_participants (organization_id, session_id, student_id) values (${f.a.organizationId}, ${s!.id}, ${f.a.studentIds[0]})`;
      return s!.id;
    });
    const [row] = await rows(['session.created']);
    expect(row).toMatchObject({ subscription_id: everything, aggregate_type: 'therapy_session', aggregate_id: sessionId, status: 'pending', attempts: 0 });
    const event = webhookEventSchema.parse(row!.payload);
    expect(event.type).toBe('session.created');
    expect(event.actor_id).toBe(f.a.users.therapist);
    expect(event.organization_id).toBe(f.a.organizationId);
    expect(event.data).toMatchObject({ session_id: sessionId, student_ids: [f.a.studentIds[0]], status: 'scheduled', previous_status: null });
    expect(event.id).toBe(row!.event_id);
  });

  it('a rolled-back transaction leaves no event', async () => {
    await rolledBack(db.sql, (tx) => tx`update public.therapy_sessions set status = 'confirmed' where id = ${f.a.sessionIds.upcomingS1}`);
    expect(await rows()).toEqual([]);
  });

  it('session status changes and reschedules, in order, one event each', async () => {
    const id = await freshSession();
    await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${id}`;
    await db.sql`update public.therapy_sessions set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour' where id = ${id}`;
    await db.sql`update public.therapy_sessions set location = 'Room 12' where id = ${id}`; // no event
    await db.sql`update public.therapy_sessions set status = 'cancelled', cancellation_reason = 'weather', cancelled_by = ${f.a.users.therapist}, cancelled_at = now() where id = ${id}`;
    const queued = await rows();
    expect(queued.map((r) => r.event_type)).toEqual(['session.confirmed', 'session.rescheduled', 'session.cancelled']);
    const [confirmed, rescheduled, cancelled] = queued.map((r) => webhookEventSchema.parse(r.payload));
    expect(confirmed!.data).toMatchObject({ status: 'confirmed', previous_status: 'scheduled', previous_start_time: null });
    expect(rescheduled!.data).toMatchObject({ status: 'confirmed', previous_status: 'confirmed' });
    const r = rescheduled!.data as { start_time: string; previous_start_time: string };
    expect(new Date(r.start_time).getTime() - new Date(r.previous_start_time).getTime()).toBe(3_600_000);
    expect(cancelled!.data).toMatchObject({ status: 'cancelled', cancellation_reason: 'weather', student_ids: [f.a.studentIds[0]] });
    expect(JSON.stringify(queued.map((r) => r.payload))).not.toContain('Room 12');
  });

  it('completed and no_show', async () => {
    const make = async (days: number) => {
      const [s] = await db.sql<{ id: string }[]>`
        insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, start_time, end_time, created_by)
        select ${f.a.organizationId}, ${f.a.users.supervisor}, st.id, now() - ${`${days} days`}::interval, now() - ${`${days} days`}::interval + interval '30 minutes', ${f.a.users.supervisor}
          from public.session_types st where st.organization_id = ${f.a.organizationId} limit 1 returning id`;
      await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${s!.id}`;
      return s!.id;
    };
    const done = await make(3);
    const missed = await make(4);
    await db.sql`update public.therapy_sessions set status = 'completed' where id = ${done}`;
    await db.sql`update public.therapy_sessions set status = 'no_show' where id = ${missed}`;
    const types = (await rows()).map((r) => `${r.event_type}:${r.aggregate_id === done ? 'done' : 'missed'}`);
    expect(types).toEqual([
      'session.created:done', 'session.confirmed:done', 'session.created:missed', 'session.confirmed:missed',
      'session.completed:done', 'session.no_show:missed',
    ]);
  });

  it('notes: signed, cosign_requested, cosigned, amended — ids and signing facts, never the note text', async () => {
    // The SLPA's draft needs a co-signature from the supervisor.
    await db.sql`update public.session_notes set status = 'pending_cosign' where id = ${f.a.noteIds.draftS2}`;
    await db.sql`update public.session_notes set status = 'signed', cosigned_by = ${f.a.users.supervisor} where id = ${f.a.noteIds.draftS2}`;
    // An amendment of the therapist's signed note.
    const [amendment] = await db.sql<{ id: string }[]>`
      insert into public.session_notes (organization_id, session_id, student_id, author_id, amends_note_id, subjective, billable_minutes)
      values (${f.a.organizationId}, ${f.a.sessionIds.pastS1}, ${f.a.studentIds[0]}, ${f.a.users.therapist}, ${f.a.noteIds.signedS1}, 'Correction: 17/20 trials.', 30)
      returning id`;
    await db.sql`update public.session_notes set status = 'signed' where id = ${amendment!.id}`;
    const queued = await rows();
    expect(queued.map((r) => [r.event_type, r.aggregate_id])).toEqual([
      ['note.cosign_requested', f.a.noteIds.draftS2],
      ['note.cosigned', f.a.noteIds.draftS2],
      ['note.signed', amendment!.id],
      ['note.amended', f.a.noteIds.signedS1],
    ]);
    const events = queued.map((r) => webhookEventSchema.parse(r.payload));
    expect(events[0]!.data).toMatchObject({ status: 'pending_cosign', author_id: f.a.users.supervisee, supervisor_ids: [f.a.users.supervisor] });
    expect(events[1]!.data).toMatchObject({ status: 'signed', cosigned_by: f.a.users.supervisor });
    expect(events[3]!.data).toMatchObject({ note_id: amendment!.id, amends_note_id: f.a.noteIds.signedS1 });
    const text = JSON.stringify(queued.map((r) => r.payload));
    for (const secret of ['Correction', 'Tired today', '17/20']) expect(text).not.toContain(secret);
  });

  it('message.created: ids only, ordered per conversation', async () => {
    await db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
      values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.guardian}, gen_random_uuid(), 'Private family matter')`;
    const [row] = await rows();
    expect(row).toMatchObject({ event_type: 'message.created', aggregate_type: 'conversation', aggregate_id: f.a.conversationId });
    const event = webhookEventSchema.parse(row!.payload);
    expect(event.data).toMatchObject({ conversation_id: f.a.conversationId, sender_id: f.a.users.guardian });
    expect(JSON.stringify(row!.payload)).not.toContain('Private family matter');
  });

  it('consent.granted and consent.revoked, without the reason', async () => {
    const [c] = await db.sql<{ id: string }[]>`
      insert into public.consents (organization_id, student_id, guardian_id, consent_type, granted_at, signature_method, recorded_by)
      values (${f.a.organizationId}, ${f.a.studentIds[0]}, ${f.a.guardianId}, 'messaging', now() - interval '1 day', 'e_signature', ${f.a.users.org_admin})
      returning id`;
    await db.sql`update public.consents set revoked_at = now(), revoked_reason = 'Family moved out of district' where id = ${c!.id}`;
    const queued = await rows();
    expect(queued.map((r) => r.event_type)).toEqual(['consent.granted', 'consent.revoked']);
    const revoked = webhookEventSchema.parse(queued[1]!.payload);
    expect(revoked.data).toMatchObject({ consent_id: c!.id, consent_type: 'messaging', guardian_id: f.a.guardianId });
    expect((revoked.data as { revoked_at: string | null }).revoked_at).not.toBeNull();
    expect(JSON.stringify(queued[1]!.payload)).not.toContain('moved');
  });

  it('document.uploaded when the object of a documents row lands in storage.objects (not when the row is written)', async () => {
    const [doc] = await db.sql<{ id: string; storage_path: string }[]>`
      insert into public.documents (organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, uploaded_by)
      select ${f.a.organizationId}, ${f.a.studentIds[0]}, 'student-records', ${f.a.organizationId} || '/students/' || ${f.a.studentIds[0]} || '/iep/' || gen_random_uuid() || '.pdf',
             'iep', 'Stevie IEP 2025.pdf', 'application/pdf', 1234, ${f.a.users.org_admin}
      returning id, storage_path`;
    expect(await rows()).toEqual([]);
    await db.sql`insert into storage.objects (bucket_id, name) values ('student-records', ${doc!.storage_path})`;
    const [row] = await rows();
    const event = webhookEventSchema.parse(row!.payload);
    expect(event).toMatchObject({ type: 'document.uploaded', data: { document_id: doc!.id, category: 'iep', size_bytes: 1234 } });
    expect(JSON.stringify(row!.payload)).not.toContain('Stevie');
  });

  it('charge.ready and progress_report.shared', async () => {
    await db.sql`update public.service_charges set status = 'pending' where organization_id = ${f.a.organizationId}`;
    await db.sql`update public.service_charges set status = 'ready' where organization_id = ${f.a.organizationId}`;
    const [report] = await db.sql<{ id: string }[]>`
      insert into public.progress_reports (organization_id, goal_id, student_id, reporting_period, progress_code, summary, author_id, status, finalized_at)
      select organization_id, goal_id, student_id, daterange(current_date, current_date + 30), 'sufficient', 'Summary text', author_id, 'final', now()
        from public.progress_reports where organization_id = ${f.a.organizationId} limit 1
      returning id`;
    await db.sql`update public.progress_reports set status = 'shared', shared_with_guardians_at = now() where id = ${report!.id}`;
    await db.sql`update public.progress_reports set shared_with_guardians_at = now() where id = ${report!.id}`; // already shared: no second event
    const queued = await rows();
    expect(queued.map((r) => r.event_type)).toEqual(['charge.ready', 'progress_report.shared']);
    const [charge, shared] = queued.map((r) => webhookEventSchema.parse(r.payload));
    expect(charge!.data).toMatchObject({ status: 'ready', units: 2, billable_minutes: 30 });
    expect(shared!.data).toMatchObject({ progress_report_id: report!.id, progress_code: 'sufficient' });
    expect(JSON.stringify(shared)).not.toContain('Summary text');
  });

  it('one row per matching active subscription; inactive, disabled and other organisations get none', async () => {
    const sessionsOnly = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: 'https://hooks.test/sessions', eventTypes: ['session.confirmed'] });
    const inactive = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: 'https://hooks.test/inactive', eventTypes: ['session.confirmed'] });
    const disabled = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: 'https://hooks.test/disabled', eventTypes: ['session.confirmed'] });
    const otherOrg = await addSubscription(db.sql, { organizationId: f.b.organizationId, targetUrl: 'https://hooks.test/b', eventTypes: ['session.confirmed'] });
    await db.sql`update public.webhook_subscriptions set active = false where id = ${inactive.id}`;
    await db.sql`update public.webhook_subscriptions set disabled_at = now() where id = ${disabled.id}`;
    const session = await freshSession();
    await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${session}`;
    const queued = await rows();
    expect(queued.map((r) => r.subscription_id).sort()).toEqual([everything, sessionsOnly.id].sort());
    expect(new Set(queued.map((r) => r.event_id)).size).toBe(1); // one event, two deliveries
    expect(otherOrg.id).toBeTruthy();
  });

  describe('privileges', () => {
    const signatures = ['public.claim_events(integer, integer)', 'public.ack_event(bigint, integer, boolean, integer, text, integer)'];
    const internal = ['app.enqueue_event(uuid, text, text, uuid, jsonb)', 'app.outbox_time(timestamptz)'];

    it(`${automationRole} exists, cannot log in, and is granted to nobody`, async () => {
      const [role] = await db.sql`select rolcanlogin, rolsuper, rolbypassrls from pg_roles where rolname = ${automationRole}`;
      expect(role).toEqual({ rolcanlogin: false, rolsuper: false, rolbypassrls: false });
      const members = await db.sql`select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid where r.rolname = ${automationRole}`;
      expect(members).toHaveLength(0);
    });

    it('only the automation role and service_role execute claim/ack; nobody executes the internal functions', async () => {
      for (const signature of [...signatures, ...internal]) {
        for (const r of ['anon', 'authenticated']) {
          const [row] = await db.sql`select has_function_privilege(${r}, ${signature}, 'execute') as ok`;
          expect(row?.ok, `${r} on ${signature}`).toBe(false);
        }
        const [automation] = await db.sql`select has_function_privilege(${automationRole}, ${signature}, 'execute') as ok`;
        expect(automation?.ok, signature).toBe(signatures.includes(signature));
      }
      const [service] = await db.sql`select has_function_privilege('service_role', ${signatures[0]!}, 'execute') as ok`;
      expect(service?.ok).toBe(true);
    });

    it(`${automationRole} reads no table, not the outbox, not the subscriptions`, async () => {
      for (const table of ['public.outbox_events', 'public.webhook_subscriptions', 'public.students', 'public.session_notes']) {
        const [row] = await db.sql`select has_table_privilege(${automationRole}, ${table}, 'select') as ok`;
        expect(row?.ok, table).toBe(false);
      }
    });

    it('anon and authenticated cannot call the delivery functions through the API', async () => {
      expect(await sqlState(asAnon(db.sql, (tx) => tx`select * from public.claim_events(1, 60)`))).toBe('42501');
      expect(await sqlState(asUser(db.sql, { sub: f.a.users.org_admin }, (tx) => tx`select * from public.claim_events(1, 60)`))).toBe('42501');
      expect(await sqlState(asUser(db.sql, { sub: f.a.users.org_admin }, (tx) => tx`select * from public.ack_event(1, 1, true)`))).toBe('42501');
      expect(
        await sqlState(asUser(db.sql, { sub: f.a.users.org_admin }, (tx) => tx`select app.enqueue_event(${f.a.organizationId}, 'session.created', 'therapy_session', gen_random_uuid(), '{}')`)),
      ).toBe('42501');
    });

    it('authenticated users, org admins included, see no outbox rows', async () => {
      await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${await freshSession()}`;
      for (const user of [f.a.users.org_admin, f.a.users.therapist]) {
        const n = await asUser(db.sql, { sub: user }, async (tx) => (await tx`select 1 from public.outbox_events`.catch(() => [])).length);
        expect(n).toBe(0);
      }
    });

    it(`a login granted ${automationRole} claims and acks, and can do nothing else`, async () => {
      await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${await freshSession()}`;
      const result = await rolledBack(db.sql, async (tx) => {
        await tx.unsafe(`set local role ${automationRole}`);
        const claimed = await tx`select id, attempt from public.claim_events(10, 60)`;
        const acked = await tx`select * from public.ack_event(${claimed[0]!.id}::bigint, ${claimed[0]!.attempt}::integer, true, 200)`;
        const direct = await tx.savepoint((sp) => sp`select 1 from public.outbox_events`).then(() => 'ok', (e: { code?: string }) => e.code);
        return { claimed: claimed.length, acked: acked[0]?.status, direct };
      });
      expect(result).toEqual({ claimed: 1, acked: 'delivered', direct: '42501' });
    });

    it('service_role (an Edge Function with the service key) can claim too', async () => {
      await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${await freshSession()}`;
      const n = await asServiceRole(db.sql, async (tx) => (await tx`select * from public.claim_events(10, 60)`).length);
      expect(n).toBe(1);
    });
  });

  describe('claim and ack', () => {
    const store = () => postgresDeliveryStore(db.sql);

    let session = '';
    const queueConfirmed = async () => {
      session = await freshSession();
      await db.sql`update public.therapy_sessions set status = 'confirmed' where id = ${session}`;
    };

    it('claim leases the event: in_flight, attempt counted, lease expiry in next_attempt_at; nobody else gets it meanwhile', async () => {
      await queueConfirmed();
      const [claimed] = await store().claim(10, 300);
      expect(claimed).toMatchObject({ eventType: 'session.confirmed', attempt: 1, subscriptionId: everything, targetUrl: 'https://hooks.test/all' });
      const [row] = await db.sql`select status, attempts, next_attempt_at > now() + interval '290 seconds' as leased from public.outbox_events where id = ${claimed!.id}`;
      expect(row).toEqual({ status: 'in_flight', attempts: 1, leased: true });
      expect(await store().claim(10, 300)).toEqual([]);
    });

    const expireLease = (id: string) => db.sql`update public.outbox_events set next_attempt_at = now() - interval '1 second' where id = ${id}`;

    it('an expired lease makes the event claimable again, and the first worker’s late failure changes nothing', async () => {
      await queueConfirmed();
      const [first] = await store().claim(10, 300);
      await expireLease(first!.id);
      const [second] = await store().claim(10, 300);
      expect(second).toMatchObject({ id: first!.id, eventId: first!.eventId, attempt: 2 });
      expect(await store().ack({ id: first!.id, attempt: first!.attempt, delivered: false, statusCode: 500 })).toBeNull();
      const [row] = await db.sql`select status, attempts, last_status_code from public.outbox_events where id = ${first!.id}`;
      expect(row).toEqual({ status: 'in_flight', attempts: 2, last_status_code: null });
      expect(await store().ack({ id: second!.id, attempt: second!.attempt, delivered: true, statusCode: 200 })).toMatchObject({ status: 'delivered' });
      expect(await store().ack({ id: second!.id, attempt: second!.attempt, delivered: true, statusCode: 200 })).toBeNull(); // acked once
    });

    it('a 2xx after the lease expired is still delivered: the late ack wins over the attempt that took over, whose ack then changes nothing', async () => {
      await queueConfirmed();
      const [first] = await store().claim(10, 300);
      await expireLease(first!.id);
      const [second] = await store().claim(10, 300);
      expect(await store().ack({ id: first!.id, attempt: first!.attempt, delivered: true, statusCode: 200 })).toEqual({ status: 'delivered', nextAttemptAt: null });
      expect(await store().ack({ id: second!.id, attempt: second!.attempt, delivered: false, error: 'timeout' })).toBeNull();
      expect(await store().ack({ id: second!.id, attempt: second!.attempt, delivered: true, statusCode: 200 })).toBeNull();
      const [row] = await db.sql`select status, attempts, last_status_code, delivered_at is not null as stamped from public.outbox_events where id = ${first!.id}`;
      expect(row).toEqual({ status: 'delivered', attempts: 2, last_status_code: 200, stamped: true });
    });

    it('a 2xx that arrives after a later attempt failed, or after the event went dead, is still delivered', async () => {
      await queueConfirmed();
      const [first] = await store().claim(10, 300);
      await expireLease(first!.id);
      const [second] = await store().claim(10, 300);
      expect(await store().ack({ id: second!.id, attempt: second!.attempt, delivered: false, statusCode: 503 })).toMatchObject({ status: 'failed' });
      expect(await store().ack({ id: first!.id, attempt: first!.attempt, delivered: true, statusCode: 204 })).toMatchObject({ status: 'delivered' });
      const [failedThenDelivered] = await db.sql`select status, last_status_code, last_error from public.outbox_events where id = ${first!.id}`;
      expect(failedThenDelivered).toEqual({ status: 'delivered', last_status_code: 204, last_error: null });

      await queueConfirmed();
      const [doomed] = await store().claim(10, 300);
      await db.sql`update public.outbox_events set status = 'dead' where id = ${doomed!.id}`;
      expect(await store().ack({ id: doomed!.id, attempt: doomed!.attempt, delivered: true, statusCode: 200 })).toMatchObject({ status: 'delivered' });
      // An attempt that never happened is no ack at all.
      expect(await store().ack({ id: doomed!.id, attempt: doomed!.attempt + 1, delivered: true, statusCode: 200 })).toBeNull();
    });

    it('a failure backs off exponentially (×3 from 60 s, capped at 12 h), then the event is dead after the last attempt', async () => {
      await queueConfirmed();
      const delays: number[] = [];
      for (let attempt = 1; attempt <= outboxDelivery.maxAttempts; attempt++) {
        const [claimed] = await store().claim(10, 60);
        expect(claimed?.attempt).toBe(attempt);
        const ack = await store().ack({ id: claimed!.id, attempt, delivered: false, statusCode: 503, error: 'HTTP 503' });
        if (attempt < outboxDelivery.maxAttempts) {
          expect(ack?.status).toBe('failed');
          delays.push((ack!.nextAttemptAt!.getTime() - Date.now()) / 1000);
          await db.sql`update public.outbox_events set next_attempt_at = now() where id = ${claimed!.id}`;
        } else {
          expect(ack).toEqual({ status: 'dead', nextAttemptAt: null });
        }
      }
      delays.forEach((delay, i) => {
        const base = Math.min(outboxDelivery.maxDelaySeconds, 60 * 3 ** i);
        expect(delay).toBeGreaterThan(base - 5);
        expect(delay).toBeLessThanOrEqual(Math.min(outboxDelivery.maxDelaySeconds, base * 1.1) + 1);
      });
      expect(Math.max(...delays)).toBeLessThanOrEqual(12 * 3600 + 1);
      expect(delays.at(-1)).toBeGreaterThan(12 * 3600 - 5);
      const [row] = await db.sql`select status, attempts, last_status_code, last_error from public.outbox_events`;
      expect(row).toEqual({ status: 'dead', attempts: 10, last_status_code: 503, last_error: 'HTTP 503' });
      const [sub] = await db.sql`select failure_count from public.webhook_subscriptions where id = ${everything}`;
      expect(sub?.failure_count).toBe(10);
      expect(await store().claim(10, 60)).toEqual([]);
    });

    it('Retry-After is honoured (within 12 h)', async () => {
      await queueConfirmed();
      const [claimed] = await store().claim(10, 60);
      const ack = await store().ack({ id: claimed!.id, attempt: 1, delivered: false, statusCode: 429, retryAfterSeconds: 3600 });
      expect((ack!.nextAttemptAt!.getTime() - Date.now()) / 1000).toBeGreaterThan(3590);
    });

    it('a lease that expires after the last attempt ends dead', async () => {
      await queueConfirmed();
      await db.sql`update public.outbox_events set status = 'in_flight', attempts = ${outboxDelivery.maxAttempts}, next_attempt_at = now() - interval '1 second'`;
      expect(await store().claim(10, 60)).toEqual([]);
      const [row] = await db.sql`select status from public.outbox_events`;
      expect(row?.status).toBe('dead');
    });

    it('per subscription and aggregate, only the oldest undelivered event is handed out', async () => {
      await queueConfirmed();
      await db.sql`update public.therapy_sessions set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour' where id = ${session}`;
      await db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
        values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.guardian}, gen_random_uuid(), 'hi')`;
      const first = await store().claim(10, 60);
      expect(first.map((e) => e.eventType)).toEqual(['session.confirmed', 'message.created']);
      expect(await store().claim(10, 60)).toEqual([]); // session.rescheduled waits for session.confirmed
      await store().ack({ id: first[0]!.id, attempt: 1, delivered: false, statusCode: 500 });
      await db.sql`update public.outbox_events set next_attempt_at = now() where status = 'failed'`;
      expect((await store().claim(10, 60)).map((e) => e.eventType)).toEqual(['session.confirmed']); // the retry, still first
    });

    it('refuses silly arguments', async () => {
      expect(await sqlState(db.sql`select * from public.claim_events(0, 60)`)).toBe('22023');
      expect(await sqlState(db.sql`select * from public.claim_events(10, 0)`)).toBe('22023');
    });
  });
});
