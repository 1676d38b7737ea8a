import type postgres from 'postgres';

/**
 * The two database calls the delivery worker makes, so it runs on any client: postgres.js in Node
 * (`postgresDeliveryStore`), supabase-js `rpc` in an Edge Function (`supabaseDeliveryStore`), or a
 * fake in a unit test. Both calls are the SECURITY DEFINER functions `public.claim_events` and
 * `public.ack_event`, executable by `therapy_automation` and `service_role` only.
 */
export interface DeliveryStore {
  /** Claims up to `limit` due events for `leaseSeconds` (status `in_flight`). */
  claim(limit: number, leaseSeconds: number): Promise<readonly ClaimedEvent[]>;
  /** Records the outcome of one attempt; `null` when the lease was lost (another worker owns the event now). */
  ack(ack: DeliveryAck): Promise<AckResult | null>;
}

/** One row of `public.claim_events(limit, lease_seconds)`. */
export interface ClaimedEvent {
  /** `outbox_events.id` (bigint, as a string). */
  readonly id: string;
  /** The event id: `X-Webhook-Id`, the same for every subscription and every retry. */
  readonly eventId: string;
  readonly subscriptionId: string;
  readonly organizationId: string;
  readonly eventType: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The envelope `{ id, type, version, occurred_at, organization_id, actor_id, data }`. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** 1 for the first attempt; also the lease token `ack` must present. */
  readonly attempt: number;
  readonly targetUrl: string;
  /** `webhook_subscriptions.secret_id` (e.g. a Supabase Vault secret id). */
  readonly secretId: string;
}

export interface DeliveryAck {
  readonly id: string;
  readonly attempt: number;
  readonly delivered: boolean;
  readonly statusCode?: number | null;
  readonly error?: string | null;
  /** A receiver's `Retry-After`, in seconds: the next attempt waits at least this long (≤ 12 h). */
  readonly retryAfterSeconds?: number | null;
}

export interface AckResult {
  readonly status: 'delivered' | 'failed' | 'dead';
  /** When a failed event is attempted again. */
  readonly nextAttemptAt: Date | null;
}

interface ClaimRow {
  id: string | number | bigint;
  event_id: string;
  subscription_id: string;
  organization_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown> | string;
  attempt: number;
  target_url: string;
  secret_id: string;
}

interface AckRow {
  status: string;
  next_attempt_at: string | Date | null;
}

function toClaimed(row: ClaimRow): ClaimedEvent {
  return {
    id: String(row.id),
    eventId: row.event_id,
    subscriptionId: row.subscription_id,
    organizationId: row.organization_id,
    eventType: row.event_type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload,
    attempt: Number(row.attempt),
    targetUrl: row.target_url,
    secretId: row.secret_id,
  };
}

function toAck(row: AckRow | undefined): AckResult | null {
  if (!row) return null;
  if (row.status !== 'delivered' && row.status !== 'failed' && row.status !== 'dead') {
    throw new Error(`ack_event returned an unexpected status "${row.status}"`);
  }
  return { status: row.status, nextAttemptAt: row.next_attempt_at === null ? null : new Date(row.next_attempt_at) };
}

const ackArgs = (ack: DeliveryAck) => ({
  p_id: ack.id,
  p_attempt: ack.attempt,
  p_delivered: ack.delivered,
  p_status_code: ack.statusCode ?? null,
  p_error: ack.error ?? null,
  p_retry_after_seconds: ack.retryAfterSeconds ?? null,
});

/** A store over postgres.js (`connect().sql`, or `postgres(url)` logged in as a `therapy_automation` member). */
export function postgresDeliveryStore(sql: postgres.Sql): DeliveryStore {
  return {
    async claim(limit, leaseSeconds) {
      const rows = await sql<ClaimRow[]>`select * from public.claim_events(${limit}::integer, ${leaseSeconds}::integer)`;
      return rows.map(toClaimed);
    },
    async ack(ack) {
      const a = ackArgs(ack);
      const rows = await sql<AckRow[]>`select * from public.ack_event(${a.p_id}::bigint, ${a.p_attempt}::integer, ${a.p_delivered}::boolean,
        ${a.p_status_code}::integer, ${a.p_error}::text, ${a.p_retry_after_seconds}::integer)`;
      return toAck(rows[0]);
    },
  };
}

/**
 * The part of a supabase-js client the store uses (`createClient(url, serviceRoleKey)`, or a key of
 * a user that is a member of `therapy_automation`). Declared structurally: no supabase-js import.
 */
export interface SupabaseRpcClient {
  rpc(fn: string, args?: Record<string, unknown>): PromiseLike<{ data: unknown; error: { message: string } | null }>;
}

/** A store over supabase-js `rpc` (PostgREST), e.g. inside a Supabase Edge Function. */
export function supabaseDeliveryStore(client: SupabaseRpcClient): DeliveryStore {
  const call = async (fn: string, args: Record<string, unknown>): Promise<unknown[]> => {
    const { data, error } = await client.rpc(fn, args);
    if (error) throw new Error(`${fn}: ${error.message}`);
    return Array.isArray(data) ? data : data === null ? [] : [data];
  };
  return {
    async claim(limit, leaseSeconds) {
      const rows = await call('claim_events', { p_limit: limit, p_lease_seconds: leaseSeconds });
      return (rows as ClaimRow[]).map(toClaimed);
    },
    async ack(ack) {
      const rows = await call('ack_event', ackArgs(ack));
      return toAck(rows[0] as AckRow | undefined);
    },
  };
}
