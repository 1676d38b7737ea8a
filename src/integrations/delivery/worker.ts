import { checkWebhookTarget, nonPublicAddress, normalizeAllowedHost } from '../../webhooks';
import {
  idHeader,
  signatureHeader,
  signatureSchemes,
  signStandardWebhook,
  signWebhook,
  standardWebhookHeaders,
  timestampHeader,
  type SignatureScheme,
  type WebhookSecret,
} from '../signature';
import { outboxDelivery } from './policy';
import type { AckResult, ClaimedEvent, DeliveryStore } from './store';

/**
 * The webhook delivery worker: claim due outbox events, POST each signed envelope to its
 * subscription's endpoint, ack the outcome. Web APIs only (fetch, crypto.subtle, TextEncoder,
 * AbortSignal), so it runs unchanged in Node and in a Supabase Edge Function.
 *
 * Delivery is at least once: an event whose worker dies (or overruns its lease) is delivered again
 * by another worker with the same `X-Webhook-Id`, which receivers use to deduplicate.
 */

/** Events claimed per round, unless `batchSize` says otherwise. */
export const defaultBatchSize = 20;
/** Seconds a claim holds an event, unless `leaseSeconds` says otherwise. */
export const defaultLeaseSeconds = 120;
/** Milliseconds a request may take, unless `timeoutMs` says otherwise. */
export const defaultTimeoutMs = 10_000;

/**
 * The shortest lease that outlives a request with this timeout plus the ack after it (5 s), so a
 * worker that is merely slow never sees its event handed to another worker. `therapy-db deliver`
 * refuses a shorter `--lease`; the library accepts one (a late 2xx is still recorded as delivered,
 * but the receiver may get the event twice).
 */
export function minimumLeaseSeconds(timeoutMs: number = defaultTimeoutMs): number {
  return Math.ceil(timeoutMs / 1000) + 5;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface SecretRequest {
  readonly subscriptionId: string;
  readonly secretId: string;
  readonly organizationId: string;
}

export interface DeliverWebhooksOptions {
  readonly db: DeliveryStore;
  /** Returns the subscription's HMAC secret; `null`/`undefined` fails the attempt (retried with backoff). */
  readonly secretFor: (subscription: SecretRequest) => WebhookSecret | null | undefined | Promise<WebhookSecret | null | undefined>;
  /** Default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  /** Events claimed per round (default 20). */
  readonly batchSize?: number;
  /** How long a claim is held before another worker may take the event over (default 120 s). */
  readonly leaseSeconds?: number;
  /**
   * Per-request timeout (default 10 s). Keep it below the lease: a request still running when its
   * lease expires lets another worker deliver the event a second time (its 2xx is still recorded).
   */
  readonly timeoutMs?: number;
  /**
   * Stops between rounds: once aborted, no new events are claimed (`drainWebhooks` returns after the
   * round in progress, whose requests finish and are acked). It does not cut requests short.
   */
  readonly signal?: AbortSignal;
  /** One line per delivery (e.g. `stderrLogger`). */
  readonly log?: (line: string) => void;
  /** The clock, in milliseconds (tests). */
  readonly now?: () => number;
  /** `User-Agent` of the requests. */
  readonly userAgent?: string;
  /**
   * The signature headers sent: `both` (default), `standard-webhooks` (`webhook-id`,
   * `webhook-timestamp`, `webhook-signature`) or `therapy-db` (`X-Webhook-Id`,
   * `X-Webhook-Timestamp`, `X-Webhook-Signature`). `X-Webhook-Event` and `X-Webhook-Attempt` are
   * always sent.
   */
  readonly signatureScheme?: SignatureScheme;
  /**
   * Hosts a webhook may be sent to although they are not public (development: a receiver on
   * `localhost` or `127.0.0.1`), as the database's `therapy_db.webhook_allowed_hosts`. Every other
   * target must be https to a public address when it is delivered to: its name is resolved and the
   * request refused if any address is loopback, private, link-local, CGNAT or otherwise not public.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Resolves a target's host name to its IP addresses before the request (default: the system
   * resolver, `node:dns` `lookup`, which Node and Deno provide). A test's or a platform's own resolver.
   */
  readonly resolveHost?: (hostname: string) => Promise<readonly string[]>;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'dead' | 'lease_lost';

export interface DeliveryResult {
  readonly outboxId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly subscriptionId: string;
  readonly attempt: number;
  readonly outcome: DeliveryOutcome;
  /** The endpoint's HTTP status, when it answered. */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** When a failed event is attempted again. */
  readonly nextAttemptAt: Date | null;
}

export interface DeliveryReport {
  readonly claimed: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
  readonly leaseLost: number;
  readonly results: readonly DeliveryResult[];
}

const envelopeKeys = ['id', 'type', 'version', 'occurred_at', 'organization_id', 'actor_id', 'data'] as const;

/** The body sent: the envelope with its keys in the documented order (jsonb stores them sorted by length). */
export function envelopeBody(payload: Readonly<Record<string, unknown>>): string {
  const ordered: Record<string, unknown> = {};
  for (const key of envelopeKeys) if (key in payload) ordered[key] = payload[key];
  for (const [key, value] of Object.entries(payload)) if (!(key in ordered)) ordered[key] = value;
  return JSON.stringify(ordered);
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), if the endpoint sent one. */
function retryAfterSeconds(response: Response, nowMs: number): number | null {
  const value = response.headers.get('retry-after');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

async function readSnippet(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return '';
  }
}

/** One line for a failed request or database call: the message and the code that classifies it. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
    const own = (error as { code?: unknown }).code;
    if (typeof own === 'string' && !error.message.includes(own)) return `${error.message} (${own})`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${error.message} (${cause.code})` : cause?.message ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '<invalid url>';
  }
}

interface Attempt {
  readonly delivered: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly retryAfter: number | null;
}

/** The signature headers of one delivery, in the chosen scheme(s); the event id is the message id. */
async function signatureHeaders(secret: WebhookSecret, id: string, timestamp: string, body: string, scheme: SignatureScheme): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  if (scheme !== 'therapy-db') {
    headers[standardWebhookHeaders.id] = id;
    headers[standardWebhookHeaders.timestamp] = timestamp;
    headers[standardWebhookHeaders.signature] = await signStandardWebhook(secret, id, timestamp, body);
  }
  if (scheme !== 'standard-webhooks') {
    headers[idHeader] = id;
    headers[timestampHeader] = timestamp;
    headers[signatureHeader] = await signWebhook(secret, timestamp, body);
  }
  return headers;
}

/** The system resolver: every address of the name, as `fetch` would pick from them. */
async function systemResolve(hostname: string): Promise<readonly string[]> {
  const dns = await import('node:dns/promises');
  return (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
}

/**
 * Why the target may not be posted to now, or undefined: the rules the database enforced when the
 * subscription was written (a row written before them, or under another allow-list, is caught
 * here), and — against DNS rebinding, a public name that resolves to an internal address — every
 * address its name resolves to must be public, unless the host is allow-listed.
 */
export async function webhookTargetRefusal(url: string, options: Pick<DeliverWebhooksOptions, 'allowedHosts' | 'resolveHost'> = {}): Promise<string | undefined> {
  const checked = checkWebhookTarget(url, { allowedHosts: options.allowedHosts ?? [] });
  if (!checked.ok) return `target refused: ${checked.problem}`;
  const { host, kind } = checked.target;
  // An IP literal was checked above; an allow-listed name is trusted as it resolves.
  if (kind !== 'name' || (options.allowedHosts ?? []).some((h) => normalizeAllowedHost(h) === host)) return undefined;
  let addresses: readonly string[];
  try {
    addresses = await (options.resolveHost ?? systemResolve)(host);
  } catch (error) {
    return `target refused: ${host} does not resolve (${describeError(error)})`;
  }
  if (addresses.length === 0) return `target refused: ${host} does not resolve`;
  for (const address of addresses) {
    const problem = nonPublicAddress(address);
    if (problem) return `target refused: ${host} resolves to ${problem} (webhook_target_not_public)`;
  }
  return undefined;
}

async function attempt(event: ClaimedEvent, options: DeliverWebhooksOptions, fetchImpl: FetchLike, now: () => number): Promise<Attempt> {
  const refusal = await webhookTargetRefusal(event.targetUrl, options);
  if (refusal) return { delivered: false, statusCode: null, error: refusal, retryAfter: null };
  let secret: WebhookSecret | null | undefined;
  try {
    secret = await options.secretFor({ subscriptionId: event.subscriptionId, secretId: event.secretId, organizationId: event.organizationId });
  } catch (error) {
    return { delivered: false, statusCode: null, error: `secret lookup failed: ${describeError(error)}`, retryAfter: null };
  }
  if (secret === null || secret === undefined || secret.length === 0) {
    return { delivered: false, statusCode: null, error: `no secret for subscription ${event.subscriptionId}`, retryAfter: null };
  }
  const body = envelopeBody(event.payload);
  const timestamp = String(Math.floor(now() / 1000));
  let headers: Record<string, string>;
  try {
    headers = await signatureHeaders(secret, event.eventId, timestamp, body, options.signatureScheme ?? 'both');
  } catch (error) {
    return { delivered: false, statusCode: null, error: `cannot sign with the secret of subscription ${event.subscriptionId}: ${describeError(error)}`, retryAfter: null };
  }
  try {
    const response = await fetchImpl(event.targetUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': options.userAgent ?? 'therapy-db-webhooks/1',
        ...headers,
        'X-Webhook-Event': event.eventType,
        'X-Webhook-Attempt': String(event.attempt),
      },
      body,
      // A redirect is a misconfigured endpoint, not a delivery: never re-send the body elsewhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs),
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => {});
      return { delivered: true, statusCode: response.status, error: null, retryAfter: null };
    }
    const snippet = await readSnippet(response);
    return {
      delivered: false,
      statusCode: response.status,
      error: `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
      retryAfter: retryAfterSeconds(response, now()),
    };
  } catch (error) {
    return { delivered: false, statusCode: null, error: describeError(error), retryAfter: null };
  }
}

/** The batch size and lease of `options`, checked against what `claim_events` accepts. */
function deliveryLimits(options: DeliverWebhooksOptions): { batchSize: number; leaseSeconds: number } {
  const batchSize = options.batchSize ?? defaultBatchSize;
  const leaseSeconds = options.leaseSeconds ?? defaultLeaseSeconds;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > outboxDelivery.maxBatchSize) {
    throw new RangeError(`batchSize must be an integer between 1 and ${outboxDelivery.maxBatchSize} (got ${batchSize})`);
  }
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < outboxDelivery.minLeaseSeconds || leaseSeconds > outboxDelivery.maxLeaseSeconds) {
    throw new RangeError(`leaseSeconds must be an integer between ${outboxDelivery.minLeaseSeconds} and ${outboxDelivery.maxLeaseSeconds} (got ${leaseSeconds})`);
  }
  if (options.signatureScheme !== undefined && !signatureSchemes.includes(options.signatureScheme)) {
    throw new RangeError(`signatureScheme must be one of ${signatureSchemes.join(', ')} (got ${String(options.signatureScheme)})`);
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new RangeError(`timeoutMs must be a positive number (got ${timeoutMs})`);
  return { batchSize, leaseSeconds };
}

function formatDelay(at: Date | null, nowMs: number): string {
  if (!at) return '';
  const seconds = Math.max(0, Math.round((at.getTime() - nowMs) / 1000));
  return seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * One round: claims up to `batchSize` due events, delivers them concurrently (the claim hands out
 * at most one event per subscription and aggregate, the oldest, so per-aggregate order holds) and
 * acks each. Returns what happened; call it again (or `drainWebhooks`) for the next round.
 */
export async function deliverWebhooks(options: DeliverWebhooksOptions): Promise<DeliveryReport> {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const { batchSize, leaseSeconds } = deliveryLimits(options);
  if (options.signal?.aborted) return { claimed: 0, delivered: 0, failed: 0, dead: 0, leaseLost: 0, results: [] };
  const claimed = await options.db.claim(batchSize, leaseSeconds);
  const results = await Promise.all(
    claimed.map(async (event): Promise<DeliveryResult> => {
      const started = now();
      const outcome = await attempt(event, options, fetchImpl, now);
      const durationMs = Math.max(0, now() - started);
      let ack: AckResult | null;
      try {
        ack = await options.db.ack({
          id: event.id,
          attempt: event.attempt,
          delivered: outcome.delivered,
          statusCode: outcome.statusCode,
          error: outcome.error,
          retryAfterSeconds: outcome.retryAfter,
        });
      } catch (error) {
        // The lease expires and another round delivers the event again (same X-Webhook-Id).
        options.log?.(`deliver: ack of event ${event.eventId} failed, it will be retried after its lease: ${describeError(error)}`);
        ack = null;
      }
      const result: DeliveryResult = {
        outboxId: event.id,
        eventId: event.eventId,
        eventType: event.eventType,
        subscriptionId: event.subscriptionId,
        attempt: event.attempt,
        outcome: ack ? ack.status : 'lease_lost',
        statusCode: outcome.statusCode,
        error: outcome.error,
        durationMs,
        nextAttemptAt: ack?.status === 'failed' ? ack.nextAttemptAt : null,
      };
      options.log?.(formatResult(result, hostOf(event.targetUrl), now()));
      return result;
    }),
  );
  const count = (outcome: DeliveryOutcome) => results.filter((r) => r.outcome === outcome).length;
  return {
    claimed: claimed.length,
    delivered: count('delivered'),
    failed: count('failed'),
    dead: count('dead'),
    leaseLost: count('lease_lost'),
    results,
  };
}

function formatResult(r: DeliveryResult, host: string, nowMs: number): string {
  const head = `deliver: ${r.eventType} ${r.eventId} → ${host} (subscription ${r.subscriptionId}, attempt ${r.attempt})`;
  const answer = r.statusCode !== null ? `HTTP ${r.statusCode}` : (r.error ?? 'no answer');
  switch (r.outcome) {
    case 'delivered':
      return `${head}: ${answer} in ${r.durationMs} ms, delivered`;
    case 'failed':
      return `${head}: ${r.error ?? answer} in ${r.durationMs} ms, retry in ${formatDelay(r.nextAttemptAt, nowMs)}`;
    case 'dead':
      return `${head}: ${r.error ?? answer}, dead after ${r.attempt} attempts`;
    case 'lease_lost':
      return r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300
        ? `${head}: ${answer} in ${r.durationMs} ms, already recorded as delivered by another attempt (a duplicate the receiver drops by its id)`
        : `${head}: ${answer}, lease lost (the event was claimed again after the lease expired; that attempt decides)`;
  }
}

export interface DrainReport extends DeliveryReport {
  readonly rounds: number;
}

/**
 * Rounds of `deliverWebhooks` until one claims nothing (or `maxRounds`, or `signal` aborts):
 * everything due now is attempted once, and events queued behind a delivered one in the same
 * aggregate follow in order.
 */
export async function drainWebhooks(options: DeliverWebhooksOptions & { readonly maxRounds?: number }): Promise<DrainReport> {
  const all: DeliveryResult[] = [];
  let claimed = 0;
  let rounds = 0;
  const maxRounds = options.maxRounds ?? 1000;
  while (rounds < maxRounds && !options.signal?.aborted) {
    const report = await deliverWebhooks(options);
    rounds++;
    claimed += report.claimed;
    all.push(...report.results);
    if (report.claimed === 0) break;
  }
  const count = (outcome: DeliveryOutcome) => all.filter((r) => r.outcome === outcome).length;
  return { rounds, claimed, delivered: count('delivered'), failed: count('failed'), dead: count('dead'), leaseLost: count('lease_lost'), results: all };
}
