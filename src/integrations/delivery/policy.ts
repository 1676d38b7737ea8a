/**
 * The delivery policy: retry schedule and the bounds `public.claim_events` enforces. Rendered into
 * the SQL of the outbox functions (../outbox.ts) and read by the worker, which must not import the
 * schema (it runs in Edge Functions too).
 */
export const outboxDelivery = {
  /** Attempts before an event is `dead`. */
  maxAttempts: 10,
  /** Delay after the first failed attempt; multiplied by `backoffFactor` per further attempt. */
  baseDelaySeconds: 60,
  backoffFactor: 3,
  /** Upper bound of any delay, `Retry-After` included (12 h). */
  maxDelaySeconds: 43_200,
  /** Up to this fraction is added at random, so retries after an outage spread out. */
  jitter: 0.1,
  /** Bounds of the lease a worker may ask for. */
  minLeaseSeconds: 1,
  maxLeaseSeconds: 3_600,
  /** Bounds of one claim. */
  maxBatchSize: 1_000,
} as const;
