import { readFileSync } from 'node:fs';
import type postgres from 'postgres';
import {
  defaultLeaseSeconds,
  defaultTimeoutMs,
  drainWebhooks,
  firstSecret,
  minimumLeaseSeconds,
  outboxDelivery,
  postgresDeliveryStore,
  secretsFromEnv,
  secretsFromMap,
  type FetchLike,
  type SecretSource,
  watchWebhooks,
} from '../integrations/delivery';
import { signatureSchemes, type SignatureScheme } from '../integrations';
import type { Logger } from '../log';

/**
 * `therapy-db deliver --once | --watch`: the webhook delivery worker as a process. Connect it as a
 * login that is a member of `therapy_automation` (or any role allowed to execute
 * `public.claim_events` / `public.ack_event`); run as many as you like, they never share an event.
 *
 * Secrets: `--secrets FILE` (or `THERAPY_DB_WEBHOOK_SECRETS_FILE`), a JSON object mapping a
 * subscription id (or its `secret_id`) to its secret; otherwise the environment variable
 * `THERAPY_DB_WEBHOOK_SECRET_<SUBSCRIPTION_ID>` (upper case, `-` → `_`).
 *
 * Targets: https to a public address only, checked again at delivery (the name resolved, against
 * DNS rebinding); `THERAPY_DB_WEBHOOK_ALLOWED_HOSTS` (comma-separated, development only) lists hosts
 * allowed although not public, as the database's `therapy_db.webhook_allowed_hosts` does.
 */
export interface DeliverCommandOptions {
  readonly sql: postgres.Sql;
  /** `once`: deliver everything due now, then exit. `watch`: keep polling until `signal` aborts. */
  readonly mode: 'once' | 'watch';
  readonly secretFor: SecretSource;
  readonly batchSize?: number;
  readonly leaseSeconds?: number;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Signature headers (default both schemes). */
  readonly signatureScheme?: SignatureScheme;
  /** Pause between polls when nothing is due (`watch`). */
  readonly intervalMs?: number;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly fetch?: FetchLike;
  /** Hosts allowed although not public (development), e.g. from `THERAPY_DB_WEBHOOK_ALLOWED_HOSTS`. */
  readonly allowedHosts?: readonly string[];
}

/** `THERAPY_DB_WEBHOOK_ALLOWED_HOSTS`: a comma-separated list of hosts, empty entries ignored. */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.THERAPY_DB_WEBHOOK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter((h) => h.length > 0);
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

export async function runDeliver(options: DeliverCommandOptions): Promise<DeliverCommandSummary> {
  const worker = {
    db: postgresDeliveryStore(options.sql),
    secretFor: options.secretFor,
    log: options.log,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signatureScheme !== undefined ? { signatureScheme: options.signatureScheme } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  };
  let total: DeliverCommandSummary;
  if (options.mode === 'watch') {
    const intervalMs = options.intervalMs ?? 5_000;
    options.log(`deliver: watching the outbox (every ${intervalMs / 1000} s when idle; Ctrl-C or SIGTERM to stop after the current round)`);
    total = await watchWebhooks({ ...worker, signal: options.signal ?? new AbortController().signal, intervalMs });
  } else {
    total = await drainWebhooks(worker);
  }
  options.log(
    `deliver: ${total.delivered} delivered, ${total.failed} failed (will be retried), ${total.dead} dead` +
      (total.leaseLost ? `, ${total.leaseLost} lease lost` : ''),
  );
  return { rounds: total.rounds, delivered: total.delivered, failed: total.failed, dead: total.dead, leaseLost: total.leaseLost };
}

export interface DeliverCliValues {
  readonly once?: boolean | undefined;
  readonly watch?: boolean | undefined;
  readonly 'batch-size'?: string | undefined;
  readonly interval?: string | undefined;
  readonly lease?: string | undefined;
  readonly timeout?: string | undefined;
  readonly signature?: string | undefined;
  readonly secrets?: string | undefined;
}

/** A whole number in `min..max`, or undefined when the option is absent. */
function integerOption(name: string, value: string | undefined, min: number, max: number, usageError: (message: string) => Error): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

/** A positive number of seconds up to `max`, or undefined when the option is absent. */
function secondsOption(name: string, value: string | undefined, max: number, usageError: (message: string) => Error): number | undefined {
  if (value === undefined) return undefined;
  if (!/^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(value) || !(Number(value) > 0) || Number(value) > max) {
    throw usageError(`--${name} must be a number of seconds greater than 0 and at most ${max} (got "${value}")`);
  }
  return Number(value);
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
  const batchSize = integerOption('batch-size', values['batch-size'], 1, outboxDelivery.maxBatchSize, usageError);
  const intervalSeconds = secondsOption('interval', values.interval, 86_400, usageError);
  const timeoutSeconds = secondsOption('timeout', values.timeout, outboxDelivery.maxLeaseSeconds - minimumLeaseSeconds(0), usageError);
  const timeoutMs = timeoutSeconds === undefined ? undefined : Math.round(timeoutSeconds * 1000);
  const leaseSeconds = integerOption('lease', values.lease, outboxDelivery.minLeaseSeconds, outboxDelivery.maxLeaseSeconds, usageError);
  const shortest = minimumLeaseSeconds(timeoutMs);
  if (leaseSeconds !== undefined && leaseSeconds < shortest) {
    throw usageError(
      `--lease ${leaseSeconds} is shorter than the request timeout (${(timeoutMs ?? defaultTimeoutMs) / 1000} s) plus 5 s for the ack: ` +
        `a slow delivery would be handed to another worker and sent twice. Use --lease ${shortest} or more, or a shorter --timeout`,
    );
  }
  if (leaseSeconds === undefined && defaultLeaseSeconds < shortest) {
    throw usageError(`--timeout ${timeoutSeconds} needs a longer lease than the default ${defaultLeaseSeconds} s: add --lease ${shortest} or more`);
  }
  const signatureScheme = values.signature as SignatureScheme | undefined;
  if (signatureScheme !== undefined && !signatureSchemes.includes(signatureScheme)) {
    throw usageError(`--signature must be one of ${signatureSchemes.join(', ')} (got "${values.signature}")`);
  }
  const secretFor = loadSecretSource({ file: values.secrets });
  const { connect } = await import('../db');
  const database = options.url
    ? await connect({ url: options.url, max: 4, log: options.log })
    : await connect({ dataDir: options.dataDir, log: options.log });
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      options.log(`deliver: ${signal}: stopping after the current round (send it again to exit at once)…`);
      controller.abort();
      return;
    }
    options.log(`deliver: ${signal} again: exiting now; the events of this round are delivered again after their lease`);
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await runDeliver({
      sql: database.sql,
      mode: values.once ? 'once' : 'watch',
      secretFor,
      log: options.log,
      signal: controller.signal,
      allowedHosts: allowedHostsFromEnv(),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(leaseSeconds !== undefined ? { leaseSeconds } : {}),
      ...(intervalSeconds !== undefined ? { intervalMs: intervalSeconds * 1000 } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(signatureScheme !== undefined ? { signatureScheme } : {}),
    });
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await database.close();
  }
}
