import { readFileSync } from 'node:fs';
import type postgres from 'postgres';
import {
  drainWebhooks,
  firstSecret,
  postgresDeliveryStore,
  secretsFromEnv,
  secretsFromMap,
  type FetchLike,
  type SecretSource,
} from '../integrations/delivery';
import type { Logger } from '../log';

/**
 * `therapy-db deliver --once | --watch`: the webhook delivery worker as a process. Connect it as a
 * login that is a member of `therapy_automation` (or any role allowed to execute
 * `public.claim_events` / `public.ack_event`); run as many as you like, they never share an event.
 *
 * Secrets: `--secrets FILE` (or `THERAPY_DB_WEBHOOK_SECRETS_FILE`), a JSON object mapping a
 * subscription id (or its `secret_id`) to its secret; otherwise the environment variable
 * `THERAPY_DB_WEBHOOK_SECRET_<SUBSCRIPTION_ID>` (upper case, `-` → `_`).
 */
export interface DeliverCommandOptions {
  readonly sql: postgres.Sql;
  /** `once`: deliver everything due now, then exit. `watch`: keep polling until `signal` aborts. */
  readonly mode: 'once' | 'watch';
  readonly secretFor: SecretSource;
  readonly batchSize?: number;
  readonly leaseSeconds?: number;
  /** Pause between polls when nothing is due (`watch`). */
  readonly intervalMs?: number;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly fetch?: FetchLike;
}

export interface DeliverCommandSummary {
  readonly rounds: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
  readonly leaseLost: number;
}

/** Reads the secrets file (if any) and the environment into one source. */
export function loadSecretSource(options: { readonly file?: string | undefined; readonly env?: NodeJS.ProcessEnv }): SecretSource {
  const env = options.env ?? process.env;
  const file = options.file ?? env.THERAPY_DB_WEBHOOK_SECRETS_FILE;
  const sources: SecretSource[] = [];
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read the webhook secrets file ${file}: ${(error as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      throw new Error(`the webhook secrets file ${file} must be a JSON object of "<subscription id>": "<secret>"`);
    }
    sources.push(secretsFromMap(parsed as Record<string, string>));
  }
  sources.push(secretsFromEnv(env));
  return firstSecret(...sources);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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

export async function runDeliver(options: DeliverCommandOptions): Promise<DeliverCommandSummary> {
  const db = postgresDeliveryStore(options.sql);
  const total = { rounds: 0, delivered: 0, failed: 0, dead: 0, leaseLost: 0 };
  const intervalMs = options.intervalMs ?? 5_000;
  if (options.mode === 'watch') options.log(`deliver: watching the outbox (every ${intervalMs / 1000} s when idle; Ctrl-C to stop)`);
  do {
    const report = await drainWebhooks({
      db,
      secretFor: options.secretFor,
      log: options.log,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    total.rounds += report.rounds;
    total.delivered += report.delivered;
    total.failed += report.failed;
    total.dead += report.dead;
    total.leaseLost += report.leaseLost;
    if (options.mode === 'once' || options.signal?.aborted) break;
    await sleep(intervalMs, options.signal);
  } while (!options.signal?.aborted);
  options.log(
    `deliver: ${total.delivered} delivered, ${total.failed} failed (will be retried), ${total.dead} dead` +
      (total.leaseLost ? `, ${total.leaseLost} lease lost` : ''),
  );
  return total;
}

export interface DeliverCliValues {
  readonly once?: boolean | undefined;
  readonly watch?: boolean | undefined;
  readonly 'batch-size'?: string | undefined;
  readonly interval?: string | undefined;
  readonly lease?: string | undefined;
  readonly secrets?: string | undefined;
}

function positiveNumber(name: string, value: string | undefined, usageError: (message: string) => Error): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw usageError(`--${name} must be a positive number (got "${value}")`);
  return n;
}

/** The `deliver` command of the CLI: parses its options, connects, runs until done or interrupted. */
export async function deliverCommand(options: {
  readonly values: DeliverCliValues;
  readonly url: string | undefined;
  readonly dataDir: string;
  readonly log: Logger;
  readonly usageError: (message: string) => Error;
}): Promise<number> {
  const { values, usageError } = options;
  if (Boolean(values.once) === Boolean(values.watch)) throw usageError('deliver needs exactly one of --once and --watch');
  const batchSize = positiveNumber('batch-size', values['batch-size'], usageError);
  const intervalSeconds = positiveNumber('interval', values.interval, usageError);
  const leaseSeconds = positiveNumber('lease', values.lease, usageError);
  const secretFor = loadSecretSource({ file: values.secrets });
  const { connect } = await import('../db');
  const database = options.url
    ? await connect({ url: options.url, max: 4, log: options.log })
    : await connect({ dataDir: options.dataDir, log: options.log });
  const controller = new AbortController();
  const stop = () => {
    options.log('deliver: stopping after the current round…');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runDeliver({
      sql: database.sql,
      mode: values.once ? 'once' : 'watch',
      secretFor,
      log: options.log,
      signal: controller.signal,
      ...(batchSize !== undefined ? { batchSize: Math.floor(batchSize) } : {}),
      ...(leaseSeconds !== undefined ? { leaseSeconds: Math.floor(leaseSeconds) } : {}),
      ...(intervalSeconds !== undefined ? { intervalMs: intervalSeconds * 1000 } : {}),
    });
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await database.close();
  }
}
