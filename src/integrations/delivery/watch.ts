import { deliverWebhooks, describeError, type DeliverWebhooksOptions } from './worker';

/**
 * The long-running worker (`therapy-db deliver --watch`): rounds of `deliverWebhooks` while events
 * are due, a pause when none is, until `signal` aborts. A lost database connection (a restart, a
 * failover, `pg_terminate_backend`, a pooler that drops idle clients) does not end it: the error is
 * logged and the round is tried again after a growing pause; the client reconnects on its next
 * query. Any other error (a missing grant, a function that does not exist) ends the watch: retrying
 * cannot fix a misconfiguration, and a crash is what a supervisor notices.
 */
export interface WatchWebhooksOptions extends DeliverWebhooksOptions {
  /** Stops the watch after the round in progress (its requests finish and are acked). */
  readonly signal: AbortSignal;
  /** Pause when nothing was due (default 5 s). */
  readonly intervalMs?: number;
  /** Whether an error of a round is a lost connection worth retrying (default `isConnectionError`). */
  readonly isTransient?: (error: unknown) => boolean;
  /** Pause after the first failed round (default 1 s), doubled after each further one up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  /** Longest pause between retries (default 30 s). */
  readonly maxRetryDelayMs?: number;
}

export interface WatchReport {
  readonly rounds: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
  readonly leaseLost: number;
  /** Rounds that failed for a lost connection and were retried. */
  readonly retries: number;
}

/** postgres.js's codes for a connection that broke (not `CONNECTION_ENDED`: that is our own `end()`). */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/** Socket and DNS errors of a server that is down, restarting or unreachable for a while. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATEs of a server going away or too busy for now: class 08 (connection exception), 57P01–03
 * (terminated by an administrator, crash, starting up), 57014 (statement timeout), 53300 (too many
 * connections), 40001 and 40P01 (serialisation failure, deadlock).
 */
const TRANSIENT_SQLSTATE = /^(?:08...|57P0[123]|57014|53300|40001|40P01)$/;

/** True for an error that a later attempt on a fresh connection can succeed after. */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (DRIVER_CODES.has(code) || NETWORK_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
  }
  return false;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function watchWebhooks(options: WatchWebhooksOptions): Promise<WatchReport> {
  const { signal } = options;
  const intervalMs = options.intervalMs ?? 5_000;
  const isTransient = options.isTransient ?? isConnectionError;
  const firstDelay = options.retryDelayMs ?? 1_000;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const total = { rounds: 0, delivered: 0, failed: 0, dead: 0, leaseLost: 0, retries: 0 };
  let failuresInARow = 0;
  while (!signal.aborted) {
    let claimed: number;
    try {
      const report = await deliverWebhooks(options);
      claimed = report.claimed;
      total.rounds++;
      total.delivered += report.delivered;
      total.failed += report.failed;
      total.dead += report.dead;
      total.leaseLost += report.leaseLost;
    } catch (error) {
      if (!isTransient(error)) throw error;
      failuresInARow++;
      total.retries++;
      const delay = Math.min(maxDelay, firstDelay * 2 ** (failuresInARow - 1));
      options.log?.(`deliver: the database is unreachable (${describeError(error)}); retrying in ${formatSeconds(delay)}`);
      await sleep(delay, signal);
      continue;
    }
    if (failuresInARow > 0) {
      options.log?.(`deliver: the database is back after ${failuresInARow} failed ${failuresInARow === 1 ? 'round' : 'rounds'}`);
      failuresInARow = 0;
    }
    if (claimed === 0) await sleep(intervalMs, signal);
  }
  return total;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
