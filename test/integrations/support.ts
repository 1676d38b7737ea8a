import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type postgres from 'postgres';
import { createWebhookSecret, type FetchLike } from '../../src/integrations';
export { rolledBack } from '../../src/testing';

/** One request a test receiver got. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Answer after this many milliseconds. */
  readonly delayMs?: number;
}

export interface Receiver {
  readonly port: number;
  /** `https://127.0.0.1:<port>` + path: what a subscription's `target_url` (https only) names. */
  targetUrl(path: string): string;
  readonly requests: ReceivedRequest[];
  /** Decides each answer (default 200). */
  reply: (request: ReceivedRequest, index: number) => Reply;
  close(): Promise<void>;
}

/** A throwaway self-signed certificate for 127.0.0.1 in `dir` (`key.pem`, `cert.pem`); needs openssl. */
export function selfSignedCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const result = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), certFile: join(dir, 'cert.pem') };
}

export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/**
 * A real HTTP server on 127.0.0.1 recording every request; HTTPS with `tls` (a child process
 * trusts the certificate through NODE_EXTRA_CA_CERTS).
 */
export async function startReceiver(options: { readonly tls?: { readonly key: string; readonly cert: string } } = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = {
    requests,
    reply: (() => ({ status: 200, body: 'ok' })) as Receiver['reply'],
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedRequest = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const index = requests.push(request) - 1;
      const reply = receiver.reply(request, index);
      const send = () => {
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    port,
    targetUrl: (path: string) => `https://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A port nothing listens on (a dead endpoint). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `webhook_subscriptions.target_url` must be https; the in-process test receivers speak plain
 * HTTP on 127.0.0.1, so the worker's fetch is given this one, which sends `https://127.0.0.1:…`
 * to `http://127.0.0.1:…` and leaves everything else alone. (The CLI test uses real TLS.)
 */
export const loopbackFetch: FetchLike = (input, init) =>
  globalThis.fetch(input.replace(/^https:\/\/127\.0\.0\.1:/, 'http://127.0.0.1:'), init);

export interface SubscriptionSpec {
  readonly organizationId: string;
  readonly targetUrl: string;
  readonly eventTypes: readonly string[];
  readonly createdBy?: string;
}

/**
 * The test receivers' host: not a public address, so the database accepts it only when
 * `therapy_db.webhook_allowed_hosts` lists it, and the worker only with `allowedHosts`.
 */
export const loopbackHosts: readonly string[] = ['127.0.0.1'];

/** Runs `fn` in a transaction whose `therapy_db.webhook_allowed_hosts` is `loopbackHosts` (development's allow-list). */
export function withLoopbackAllowed<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('therapy_db.webhook_allowed_hosts', ${loopbackHosts.join(',')}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/**
 * Inserts a subscription (as the database owner) with a new Vault signing secret of its
 * organisation, loopback targets allowed, and returns its id and secret_id.
 */
export async function addSubscription(sql: postgres.Sql, spec: SubscriptionSpec): Promise<{ id: string; secretId: string }> {
  return withLoopbackAllowed(sql, async (tx) => {
    const { secretId } = await createWebhookSecret(tx, { organizationId: spec.organizationId, label: `test-${randomUUID()}` });
    const [row] = await tx<{ id: string; secret_id: string }[]>`
      insert into public.webhook_subscriptions (organization_id, target_url, event_types, secret_id, created_by)
      values (${spec.organizationId}, ${spec.targetUrl}, ${tx.array([...spec.eventTypes])}, ${secretId}, ${spec.createdBy ?? null})
      returning id, secret_id`;
    return { id: row!.id, secretId: row!.secret_id };
  });
}

/** Silences the fixture's own subscriptions and forgets what they queued, so a test starts empty. */
export async function resetOutbox(sql: postgres.Sql): Promise<void> {
  await sql`update public.webhook_subscriptions set active = false`;
  await sql`delete from public.outbox_events`;
}

/** Makes every waiting retry due now (instead of waiting out the backoff). */
export async function makeRetriesDue(sql: postgres.Sql): Promise<void> {
  await sql`update public.outbox_events set next_attempt_at = now() - interval '1 second' where status = 'failed'`;
}

/** Runs `fn` in a committed transaction as the given user (claims set, role unchanged), as a request that commits would. */
export async function committedAs<T>(sql: postgres.Sql, userId: string | null, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    if (userId) await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/** The sqlstate of a rejected promise (or 'ok'). */
export async function sqlState(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? `error: ${(error as Error).message}`;
  }
}
