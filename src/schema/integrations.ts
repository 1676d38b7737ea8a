import { relations, sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { outboxStatuses, webhookResultStatuses } from './codes';
import { createdAt, literalList, oneOf } from './columns';
import { organizations, profiles } from './identity';

// ------------------------------------------------------------------ webhook_subscriptions
/**
 * An organisation's webhook endpoint (e.g. n8n) and the event types it receives. The HMAC secret is
 * not stored here: `secret_id` points into Supabase Vault.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    targetUrl: text('target_url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    secretId: uuid('secret_id').notNull(),
    active: boolean('active').notNull().default(true),
    failureCount: integer('failure_count').notNull().default(0),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    // Not in the reference model: target of the outbox's composite FK; also leads the org index.
    unique('webhook_subscriptions_organization_id_id_key').on(t.organizationId, t.id),
    foreignKey({
      name: 'webhook_subscriptions_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'webhook_subscriptions_created_by_fkey', columns: [t.createdBy], foreignColumns: [profiles.id] }).onDelete('set null'),
    check('webhook_subscriptions_target_url_check', sql`${t.targetUrl} ~ '^https://'`),
    // At least one event type, each matching outbox_events.event_type's pattern. The JSON text of the
    // array (["a.b","c.d"]) is matched rather than array_to_string(…, ','), which would pass an
    // element 'a.b,c.d'; a NULL element is JSON null and a nested array has brackets, so both fail.
    check(
      'webhook_subscriptions_event_types_check',
      sql`array_to_json(${t.eventTypes})::text ~ '^\\["[a-z_]+\\.[a-z_]+"(,"[a-z_]+\\.[a-z_]+")*\\]$'`,
    ),
    // app.enqueue_event(): active subscriptions to an event type.
    index('webhook_subscriptions_event_types_idx').using('gin', t.eventTypes).where(sql`${t.active}`),
    index('webhook_subscriptions_created_by_idx').on(t.createdBy).where(sql`${t.createdBy} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ outbox_events
/**
 * Transactional outbox: one row per event per subscription, written in the business transaction
 * and delivered by a worker that claims rows with `for update skip locked`.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid('event_id').notNull().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    subscriptionId: uuid('subscription_id'),
    eventType: text('event_type').notNull(),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: uuid('aggregate_id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: smallint('last_status_code'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    result: jsonb('result').$type<{ status: (typeof webhookResultStatuses)[number]; detail?: string; execution_id?: string; callback_id?: string }>(),
    resultReportedAt: timestamp('result_reported_at', { withTimezone: true }),
  },
  (t) => [
    // Not in the reference model: organization_id is pinned to an organisation, and the
    // subscription FK is composite so an event cannot be delivered to another tenant's endpoint.
    foreignKey({ name: 'outbox_events_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({
      name: 'outbox_events_organization_id_subscription_id_fkey',
      columns: [t.organizationId, t.subscriptionId],
      foreignColumns: [webhookSubscriptions.organizationId, webhookSubscriptions.id],
    }).onDelete('cascade'),
    // The idempotency key: one delivery row per event and subscription.
    unique('outbox_events_event_id_subscription_id_key').on(t.eventId, t.subscriptionId).nullsNotDistinct(),
    check('outbox_events_event_type_check', sql`${t.eventType} ~ '^[a-z_]+\\.[a-z_]+$'`),
    oneOf('outbox_events_status_check', t.status, outboxStatuses),
    check('outbox_events_payload_check', sql`jsonb_typeof(${t.payload}) = 'object'`),
    check('outbox_events_attempts_check', sql`${t.attempts} between 0 and 50`),
    // A receiver's report (recordWebhookResult): an object with a known status, stamped with the server's time.
    check(
      'outbox_events_result_check',
      sql`${t.result} is null or (jsonb_typeof(${t.result}) = 'object' and ${t.result} ->> 'status' in (${literalList(webhookResultStatuses)}))`,
    ),
    check('outbox_events_result_reported_at_check', sql`(${t.result} is null) = (${t.resultReportedAt} is null)`),
    // The delivery worker's queue.
    // claim_events: due events, including in-flight ones whose lease has expired.
    index('outbox_events_next_attempt_at_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'failed', 'in_flight')`),
    // claim_events: "is there an older undelivered event of this aggregate for this subscription?"
    index('outbox_events_aggregate_order_idx')
      .on(t.subscriptionId, t.aggregateType, t.aggregateId, t.id)
      .where(sql`${t.status} in ('pending', 'failed', 'in_flight')`),
    index('outbox_events_organization_id_subscription_id_idx').on(t.organizationId, t.subscriptionId),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const webhookSubscriptionsRelations = relations(webhookSubscriptions, ({ one, many }) => ({
  organization: one(organizations, { fields: [webhookSubscriptions.organizationId], references: [organizations.id] }),
  createdByProfile: one(profiles, { fields: [webhookSubscriptions.createdBy], references: [profiles.id] }),
  events: many(outboxEvents),
}));

export const outboxEventsRelations = relations(outboxEvents, ({ one }) => ({
  organization: one(organizations, { fields: [outboxEvents.organizationId], references: [organizations.id] }),
  subscription: one(webhookSubscriptions, { fields: [outboxEvents.subscriptionId], references: [webhookSubscriptions.id] }),
}));
