import { defineFunction, defineTriggerFunction, defineTrigger, quoteIdent, statement, type DdlObject } from '../ddl';
import { consents, messages, progressReports, serviceCharges, sessionNotes, therapySessions } from '../schema';
import { outboxDelivery } from './delivery/policy';

export { outboxDelivery };

/**
 * The transactional outbox behind the n8n webhooks.
 *
 * Triggers write one `outbox_events` row per event and matching active subscription, inside the
 * business transaction (`app.enqueue_event`), so an event exists if and only if its change
 * committed. A delivery worker (`deliverWebhooks`, `therapy-db deliver`, an Edge Function or n8n
 * itself) claims due rows with `public.claim_events` — `for update skip locked`, a lease held in
 * `next_attempt_at` while the row is `in_flight` — and records each attempt with
 * `public.ack_event`: `delivered` (whenever a 2xx arrives, even after the lease expired), or
 * `failed` with exponential backoff (≤ 12 h), or `dead` after the last attempt. Per subscription and aggregate, only the oldest undelivered event is handed
 * out, so a receiver sees one aggregate's events in the order they were created.
 *
 * Neither `anon` nor `authenticated` can execute any of these functions (nor read the outbox);
 * the automation role `therapy_automation` (NOLOGIN, granted to nobody by default) and
 * `service_role` can execute the claim and ack functions, and nothing else.
 */


/** The NOLOGIN role that may execute `claim_events` and `ack_event`; grant it to a login for n8n. */
export const automationRole = 'therapy_automation';

const role = quoteIdent(automationRole);

export const automationRoleObject = statement({
  key: `role ${automationRole}`,
  create: [
    `do $do$
begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = '${automationRole}') then
    create role ${role} nologin;
  end if;
exception when duplicate_object or unique_violation then
  null;  -- roles belong to the server: another database created it concurrently
end
$do$`,
    // Functions are found through the schema; the role gets no table, sequence or other function.
    `grant usage on schema public to ${role}`,
  ],
  drop: [
    `revoke usage on schema public from ${role}`,
    `do $do$
begin
  drop role if exists ${role};
exception when dependent_objects_still_exist then
  raise notice 'role ${automationRole} is still used (other databases or members); not dropped';
end
$do$`,
  ],
});

/** `2025-03-04T16:00:00.000000Z`: every timestamp of an event payload, in UTC whatever the session's TimeZone. */
export const outboxTime = defineFunction({
  schema: 'app',
  name: 'outbox_time',
  args: [{ name: 'p_at', type: 'timestamptz' }],
  returns: 'text',
  language: 'sql',
  volatility: 'stable',
  searchPath: '',
  body: `select pg_catalog.to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  comment: 'An event timestamp as ISO 8601 in UTC (webhook payloads).',
});

export const enqueueEvent = defineFunction({
  schema: 'app',
  name: 'enqueue_event',
  args: [
    { name: 'p_organization_id', type: 'uuid' },
    { name: 'p_type', type: 'text' },
    { name: 'p_aggregate_type', type: 'text' },
    { name: 'p_aggregate_id', type: 'uuid' },
    { name: 'p_data', type: 'jsonb' },
  ],
  returns: 'integer',
  language: 'plpgsql',
  security: 'definer',
  searchPath: '',
  body: `
declare
  v_event_id uuid := pg_catalog.gen_random_uuid();
  v_count integer;
begin
  if p_organization_id is null then
    return 0;
  end if;
  insert into public.outbox_events (event_id, organization_id, subscription_id, event_type, aggregate_type, aggregate_id, payload)
  select v_event_id, p_organization_id, w.id, p_type, p_aggregate_type, p_aggregate_id,
         pg_catalog.jsonb_build_object(
           'id', v_event_id, 'type', p_type, 'version', 1, 'occurred_at', app.outbox_time(pg_catalog.now()),
           'organization_id', p_organization_id, 'actor_id', (select auth.uid()), 'data', coalesce(p_data, '{}'::jsonb))
    from public.webhook_subscriptions w
   where w.organization_id = p_organization_id and w.active and w.disabled_at is null and p_type = any (w.event_types)
   order by w.created_at, w.id;
  get diagnostics v_count = row_count;
  return v_count;
end`,
  comment: 'Writes one outbox row per active subscription of the organisation to this event type (called by the outbox triggers, in the business transaction).',
});

// ------------------------------------------------------------------ sessions
const sessionEvents = defineTriggerFunction({
  name: 'outbox_session_events',
  security: 'definer',
  body: `
declare
  v_types text[] := '{}';
  v_type text;
  v_data jsonb;
begin
  if tg_op = 'INSERT' then
    v_types := array['session.created'];
  else
    if (new.start_time, new.end_time) is distinct from (old.start_time, old.end_time) then
      v_types := pg_catalog.array_append(v_types, 'session.rescheduled');
    end if;
    if new.status is distinct from old.status and new.status in ('confirmed', 'cancelled', 'completed', 'no_show') then
      v_types := pg_catalog.array_append(v_types, 'session.' || new.status);
    end if;
  end if;
  if pg_catalog.cardinality(v_types) = 0 then
    return null;
  end if;
  v_data := pg_catalog.jsonb_build_object(
    'session_id', new.id,
    'therapist_id', new.therapist_id,
    'session_type_id', new.session_type_id,
    'series_id', new.series_id,
    'school_id', new.school_id,
    'makeup_for_session_id', new.makeup_for_session_id,
    'status', new.status,
    'previous_status', case when tg_op = 'UPDATE' then old.status end,
    'start_time', app.outbox_time(new.start_time),
    'end_time', app.outbox_time(new.end_time),
    'previous_start_time', case when tg_op = 'UPDATE' and 'session.rescheduled' = any (v_types) then app.outbox_time(old.start_time) end,
    'previous_end_time', case when tg_op = 'UPDATE' and 'session.rescheduled' = any (v_types) then app.outbox_time(old.end_time) end,
    'delivery_mode', new.delivery_mode,
    'cancellation_reason', new.cancellation_reason,
    -- Deferred to commit: participants inserted after the session in the same transaction are here.
    'student_ids', (select coalesce(pg_catalog.jsonb_agg(p.student_id order by p.student_id), '[]'::jsonb)
                      from public.session_participants p where p.session_id = new.id));
  foreach v_type in array v_types loop
    perform app.enqueue_event(new.organization_id, v_type, 'therapy_session', new.id, v_data);
  end loop;
  return null;
end`,
  comment: 'Constraint trigger (deferred to commit): session.created / confirmed / rescheduled / cancelled / completed / no_show.',
});

// ------------------------------------------------------------------ notes
const noteEvents = defineTriggerFunction({
  name: 'outbox_note_events',
  security: 'definer',
  body: `
declare
  v_data jsonb;
begin
  if not ((old.status = 'draft' and new.status in ('signed', 'pending_cosign'))
       or (old.status = 'pending_cosign' and new.status = 'signed')) then
    return null;
  end if;
  v_data := pg_catalog.jsonb_build_object(
    'note_id', new.id,
    'session_id', new.session_id,
    'student_id', new.student_id,
    'author_id', new.author_id,
    'status', new.status,
    'amends_note_id', new.amends_note_id,
    'signed_at', app.outbox_time(new.signed_at),
    'signed_by', new.signed_by,
    'cosigned_at', app.outbox_time(new.cosigned_at),
    'cosigned_by', new.cosigned_by,
    -- Supervisors of the note's organisation only, active therapists of it (not deactivated): an
    -- assignment of another organisation never learns of this note.
    'supervisor_ids', (select coalesce(pg_catalog.jsonb_agg(distinct s.supervisor_id), '[]'::jsonb)
                         from public.supervision_assignments s
                        where s.supervisee_id = new.author_id and s.organization_id = new.organization_id
                          and s.active_during @> current_date
                          and app.is_member(s.organization_id, s.supervisor_id, array['therapist'])));
  if old.status = 'draft' and new.status = 'signed' then
    perform app.enqueue_event(new.organization_id, 'note.signed', 'session_note', new.id, v_data);
  elsif old.status = 'draft' then
    perform app.enqueue_event(new.organization_id, 'note.cosign_requested', 'session_note', new.id, v_data);
  else
    perform app.enqueue_event(new.organization_id, 'note.cosigned', 'session_note', new.id, v_data);
  end if;
  if old.status = 'draft' and new.amends_note_id is not null then
    -- Ordered with the amended note's own events.
    perform app.enqueue_event(new.organization_id, 'note.amended', 'session_note', new.amends_note_id, v_data);
  end if;
  return null;
end`,
  comment: 'Trigger: note.signed, note.cosign_requested, note.cosigned and note.amended (ids and signing facts, never note text).',
});

// ------------------------------------------------------------------ chat
const messageEvents = defineTriggerFunction({
  name: 'outbox_message_events',
  security: 'definer',
  body: `
begin
  perform app.enqueue_event(new.organization_id, 'message.created', 'conversation', new.conversation_id,
    pg_catalog.jsonb_build_object(
      'message_id', new.id,
      'conversation_id', new.conversation_id,
      'sender_id', new.sender_id,
      'reply_to_id', new.reply_to_id,
      'attachment_document_id', new.attachment_document_id,
      'created_at', app.outbox_time(new.created_at)));
  return null;
end`,
  comment: 'Trigger: message.created (ids only, never the body), ordered per conversation.',
});

// ------------------------------------------------------------------ consent
const consentEvents = defineTriggerFunction({
  name: 'outbox_consent_events',
  security: 'definer',
  body: `
begin
  perform app.enqueue_event(new.organization_id,
    case when tg_op = 'INSERT' then 'consent.granted' else 'consent.revoked' end,
    'consent', new.id,
    pg_catalog.jsonb_build_object(
      'consent_id', new.id,
      'student_id', new.student_id,
      'guardian_id', new.guardian_id,
      'consent_type', new.consent_type,
      'granted_at', app.outbox_time(new.granted_at),
      'expires_at', app.outbox_time(new.expires_at),
      'revoked_at', app.outbox_time(new.revoked_at)));
  return null;
end`,
  comment: 'Trigger: consent.granted (insert) and consent.revoked (revoked_at set); the reason text is not sent.',
});

// ------------------------------------------------------------------ documents
/** Fires on `storage.objects`: the upload of a `documents` row's object is `document.uploaded`. */
const documentEvents = defineTriggerFunction({
  name: 'outbox_document_events',
  security: 'definer',
  body: `
declare
  d public.documents;
begin
  select * into d from public.documents x
   where x.bucket_id = new.bucket_id and x.storage_path = new.name and x.deleted_at is null;
  if not found then
    return null;
  end if;
  perform app.enqueue_event(d.organization_id, 'document.uploaded', 'document', d.id,
    pg_catalog.jsonb_build_object(
      'document_id', d.id,
      'bucket_id', d.bucket_id,
      'storage_path', d.storage_path,
      'category', d.category,
      'student_id', d.student_id,
      'session_id', d.session_id,
      'conversation_id', d.conversation_id,
      'mime_type', d.mime_type,
      'size_bytes', d.size_bytes,
      'visibility', d.visibility,
      'uploaded_by', d.uploaded_by));
  return null;
end`,
  comment: 'Trigger on storage.objects: document.uploaded when the object of a documents row arrives (ids, never the file name).',
});

// ------------------------------------------------------------------ billing
const chargeEvents = defineTriggerFunction({
  name: 'outbox_charge_events',
  security: 'definer',
  body: `
begin
  perform app.enqueue_event(new.organization_id, 'charge.ready', 'service_charge', new.id,
    pg_catalog.jsonb_build_object(
      'charge_id', new.id,
      'session_id', new.session_id,
      'student_id', new.student_id,
      'note_id', new.note_id,
      'billing_code_id', new.billing_code_id,
      'service_date', new.service_date,
      'billable_minutes', new.billable_minutes,
      'units', new.units,
      'payer', new.payer,
      'status', new.status,
      'rendering_provider_id', new.rendering_provider_id,
      'supervising_provider_id', new.supervising_provider_id));
  return null;
end`,
  comment: 'Trigger: charge.ready when a service charge is inserted ready or becomes ready.',
});

// ------------------------------------------------------------------ progress reports
const progressReportEvents = defineTriggerFunction({
  name: 'outbox_progress_report_events',
  security: 'definer',
  body: `
begin
  perform app.enqueue_event(new.organization_id, 'progress_report.shared', 'progress_report', new.id,
    pg_catalog.jsonb_build_object(
      'progress_report_id', new.id,
      'goal_id', new.goal_id,
      'student_id', new.student_id,
      'author_id', new.author_id,
      'progress_code', new.progress_code,
      'period_start', pg_catalog.lower(new.reporting_period),
      'period_end', pg_catalog.upper(new.reporting_period),
      'shared_with_guardians_at', app.outbox_time(new.shared_with_guardians_at)));
  return null;
end`,
  comment: 'Trigger: progress_report.shared when a report is first shared with guardians (ids, never the summary).',
});

const shared = (r: 'new' | 'old') => `(${r}.status = 'shared' or ${r}.shared_with_guardians_at is not null)`;

export const outboxTriggers: readonly DdlObject[] = [
  sessionEvents,
  defineTrigger({ name: 'therapy_sessions_outbox_insert', table: therapySessions, timing: 'after', events: ['insert'], deferred: true, function: sessionEvents }),
  defineTrigger({
    name: 'therapy_sessions_outbox_update',
    table: therapySessions,
    timing: 'after',
    events: [{ updateOf: [therapySessions.status, therapySessions.startTime, therapySessions.endTime] }],
    deferred: true,
    when: 'old.status is distinct from new.status or old.start_time is distinct from new.start_time or old.end_time is distinct from new.end_time',
    function: sessionEvents,
  }),
  noteEvents,
  defineTrigger({
    name: 'session_notes_outbox',
    table: sessionNotes,
    timing: 'after',
    events: [{ updateOf: [sessionNotes.status] }],
    when: 'old.status is distinct from new.status',
    function: noteEvents,
  }),
  messageEvents,
  defineTrigger({ name: 'messages_outbox', table: messages, timing: 'after', events: ['insert'], function: messageEvents }),
  consentEvents,
  defineTrigger({ name: 'consents_outbox_granted', table: consents, timing: 'after', events: ['insert'], when: 'new.revoked_at is null', function: consentEvents }),
  defineTrigger({
    name: 'consents_outbox_revoked',
    table: consents,
    timing: 'after',
    events: [{ updateOf: [consents.revokedAt] }],
    when: 'old.revoked_at is null and new.revoked_at is not null',
    function: consentEvents,
  }),
  documentEvents,
  statement({
    key: 'trigger therapy_db_document_uploaded_outbox on storage.objects',
    create: [
      `create trigger therapy_db_document_uploaded_outbox
after insert on storage.objects
for each row
execute function app.outbox_document_events()`,
    ],
    drop: ['drop trigger if exists therapy_db_document_uploaded_outbox on storage.objects'],
  }),
  chargeEvents,
  defineTrigger({ name: 'service_charges_outbox_insert', table: serviceCharges, timing: 'after', events: ['insert'], when: "new.status = 'ready'", function: chargeEvents }),
  defineTrigger({
    name: 'service_charges_outbox_update',
    table: serviceCharges,
    timing: 'after',
    events: [{ updateOf: [serviceCharges.status] }],
    when: "old.status is distinct from new.status and new.status = 'ready'",
    function: chargeEvents,
  }),
  progressReportEvents,
  defineTrigger({ name: 'progress_reports_outbox_insert', table: progressReports, timing: 'after', events: ['insert'], when: shared('new'), function: progressReportEvents }),
  defineTrigger({
    name: 'progress_reports_outbox_update',
    table: progressReports,
    timing: 'after',
    events: [{ updateOf: [progressReports.status, progressReports.sharedWithGuardiansAt] }],
    when: `${shared('new')} and not ${shared('old')}`,
    function: progressReportEvents,
  }),
];

// ------------------------------------------------------------------ delivery functions
const d = outboxDelivery;

export const claimEvents = defineFunction({
  schema: 'public',
  name: 'claim_events',
  args: [
    { name: 'p_limit', type: 'integer', default: '10' },
    { name: 'p_lease_seconds', type: 'integer', default: '120' },
  ],
  returns: `table (id bigint, event_id uuid, subscription_id uuid, organization_id uuid, event_type text, aggregate_type text,
  aggregate_id uuid, payload jsonb, attempt integer, target_url text, secret_id uuid)`,
  language: 'plpgsql',
  security: 'definer',
  searchPath: '',
  executableBy: [automationRole, 'service_role'],
  body: `
#variable_conflict use_column
begin
  if p_limit is null or p_limit not between 1 and ${d.maxBatchSize} then
    raise exception 'claim_events: p_limit must be between 1 and ${d.maxBatchSize} (got %)', p_limit using errcode = 'invalid_parameter_value';
  end if;
  if p_lease_seconds is null or p_lease_seconds not between ${d.minLeaseSeconds} and ${d.maxLeaseSeconds} then
    raise exception 'claim_events: p_lease_seconds must be between ${d.minLeaseSeconds} and ${d.maxLeaseSeconds} (got %)', p_lease_seconds
      using errcode = 'invalid_parameter_value';
  end if;
  -- A lease that expired after the last allowed attempt: that worker never acked, and no attempt is left.
  update public.outbox_events e
     set status = 'dead', last_error = coalesce(e.last_error || '; ', '') || 'lease expired after the last attempt'
   where e.id in (select x.id from public.outbox_events x
                   where x.status = 'in_flight' and x.next_attempt_at <= pg_catalog.now() and x.attempts >= ${d.maxAttempts}
                     for update skip locked);
  return query
  with candidates as (
    select e.id
      from public.outbox_events e
      join public.webhook_subscriptions w on w.organization_id = e.organization_id and w.id = e.subscription_id
     where e.status in ('pending', 'failed', 'in_flight')
       and e.next_attempt_at <= pg_catalog.now()
       and e.attempts < ${d.maxAttempts}
       and w.active and w.disabled_at is null
       -- the oldest undelivered event of its aggregate for this subscription: per-aggregate order
       and not exists (
         select 1 from public.outbox_events p
          where p.organization_id = e.organization_id and p.subscription_id = e.subscription_id
            and p.aggregate_type = e.aggregate_type and p.aggregate_id = e.aggregate_id
            and p.id < e.id and p.status in ('pending', 'failed', 'in_flight'))
     order by e.id
     limit p_limit
       for update of e skip locked
  ), claimed as (
    update public.outbox_events e
       set status = 'in_flight',
           attempts = e.attempts + 1,
           next_attempt_at = pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_seconds)
      from candidates c
     where e.id = c.id
    returning e.id, e.event_id, e.subscription_id, e.organization_id, e.event_type, e.aggregate_type, e.aggregate_id, e.payload, e.attempts
  )
  select c.id, c.event_id, c.subscription_id, c.organization_id, c.event_type, c.aggregate_type, c.aggregate_id, c.payload,
         c.attempts::integer, w.target_url, w.secret_id
    from claimed c
    join public.webhook_subscriptions w on w.id = c.subscription_id
   order by c.id;
end`,
  comment:
    'Webhook delivery: claims up to p_limit due outbox events (for update skip locked) for p_lease_seconds; the attempt number returned is the lease token ack_event needs.',
});

export const ackEvent = defineFunction({
  schema: 'public',
  name: 'ack_event',
  args: [
    { name: 'p_id', type: 'bigint' },
    { name: 'p_attempt', type: 'integer' },
    { name: 'p_delivered', type: 'boolean' },
    { name: 'p_status_code', type: 'integer', default: 'null' },
    { name: 'p_error', type: 'text', default: 'null' },
    { name: 'p_retry_after_seconds', type: 'integer', default: 'null' },
  ],
  returns: 'table (status text, next_attempt_at timestamptz)',
  language: 'plpgsql',
  security: 'definer',
  searchPath: '',
  executableBy: [automationRole, 'service_role'],
  body: `
#variable_conflict use_column
declare
  v_event public.outbox_events;
  v_delay double precision;
  v_next timestamptz;
begin
  select * into v_event from public.outbox_events e where e.id = p_id for update;
  if not found or p_attempt is null or p_attempt < 1 or p_attempt > v_event.attempts then
    return;  -- no such attempt
  end if;
  if p_delivered then
    -- A 2xx is a delivery whenever it arrives: the receiver has the event. An attempt that overran
    -- its lease still records it, even if the event was claimed again, failed or went dead meanwhile.
    if v_event.status = 'delivered' then
      return;  -- another attempt's delivery was recorded first (a duplicate, deduplicated on the event id)
    end if;
    update public.outbox_events e
       set status = 'delivered', delivered_at = pg_catalog.now(), next_attempt_at = pg_catalog.now(),
           last_status_code = p_status_code, last_error = null
     where e.id = p_id;
    update public.webhook_subscriptions w set failure_count = 0 where w.id = v_event.subscription_id and w.failure_count <> 0;
    return query select 'delivered'::text, null::timestamptz;
    return;
  end if;
  if v_event.status <> 'in_flight' or v_event.attempts <> p_attempt then
    return;  -- lease lost: a failure of an attempt that no longer holds the event changes nothing
  end if;
  update public.webhook_subscriptions w set failure_count = w.failure_count + 1 where w.id = v_event.subscription_id;
  if v_event.attempts >= ${d.maxAttempts} then
    update public.outbox_events e
       set status = 'dead', next_attempt_at = pg_catalog.now(), last_status_code = p_status_code, last_error = pg_catalog.left(p_error, 2000)
     where e.id = p_id;
    return query select 'dead'::text, null::timestamptz;
    return;
  end if;
  v_delay := least(${d.maxDelaySeconds}, greatest(coalesce(p_retry_after_seconds, 0),
    ${d.baseDelaySeconds} * pg_catalog.power(${d.backoffFactor}, v_event.attempts - 1) * (1 + ${d.jitter} * pg_catalog.random())));
  v_next := pg_catalog.now() + pg_catalog.make_interval(secs => v_delay);
  update public.outbox_events e
     set status = 'failed', next_attempt_at = v_next, last_status_code = p_status_code, last_error = pg_catalog.left(p_error, 2000)
   where e.id = p_id;
  return query select 'failed'::text, v_next;
end`,
  comment: `Webhook delivery: records one attempt of a claimed event — delivered; failed and retried after ${d.baseDelaySeconds} s × ${d.backoffFactor}^(attempt-1) (≤ 12 h); dead after ${d.maxAttempts} attempts. A delivery is recorded even after the lease was lost; a failure then returns no row and changes nothing.`,
});

/** The outbox's database objects, in dependency order. */
export const outboxObjects: readonly DdlObject[] = [automationRoleObject, outboxTime, enqueueEvent, ...outboxTriggers, claimEvents, ackEvent];
