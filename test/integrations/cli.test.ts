import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import { secretEnvName, verifyWebhookSignature } from '../../src/integrations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addSubscription, hasOpenssl, resetOutbox, selfSignedCertificate, startReceiver, type Receiver } from './support';

/**
 * `therapy-db deliver` as a process, against a real HTTPS endpoint on 127.0.0.1 (a throwaway
 * self-signed certificate the child process trusts through NODE_EXTRA_CA_CERTS), with the secret
 * from the environment.
 */
const repo = resolve(__dirname, '../..');
/** The CLI from source in one process (`--import tsx`: signals reach it directly, no tsx relay). */
const cli = ['--import', 'tsx', join(repo, 'src/cli/main.ts')];
if (!hasOpenssl) console.log('integrations/cli: skipped, openssl is not installed (needed for a test TLS certificate)');
const onServer = inject('testBackend').kind === 'server';
if (!onServer) {
  console.log('integrations/cli: "the watcher survives a terminated connection" skipped on embedded PGlite (single connection: no second session to call pg_terminate_backend from); runs on PostgreSQL');
}

/** A running `therapy-db deliver` child: its stderr so far, and its exit. */
interface Worker {
  readonly child: ChildProcess;
  stderr: string;
  readonly exited: Promise<number | null>;
}

describe.skipIf(!hasOpenssl)('therapy-db deliver (CLI)', () => {
  let db: TestDatabase;
  let f: Fixture;
  let dir: string;
  let certFile: string;
  let receiver: Receiver;
  let subscription: { id: string; secretId: string };
  const secret = 'cli-test-secret';

  const start = (args: string[], env: Record<string, string> = {}): Worker => {
    const child = spawn(process.execPath, [...cli, 'deliver', ...args, '--url', db.url], {
      cwd: repo,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile, THERAPY_DB_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...env },
    });
    const worker = { child, stderr: '', exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))) };
    child.stderr!.on('data', (d: Buffer) => (worker.stderr += d.toString()));
    return worker;
  };

  /** Runs the CLI to its end (asynchronously: the HTTPS endpoint lives in this process). */
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const worker = start(args, env);
    const status = await worker.exited;
    return { status, stderr: worker.stderr };
  };

  const until = async (predicate: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const sendMessage = (body: string) =>
    db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
      values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.therapist}, gen_random_uuid(), ${body})`;

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
    dir = mkdtempSync(join(tmpdir(), 'therapy-db-cli-'));
    const tls = selfSignedCertificate(dir);
    certFile = tls.certFile;
    receiver = await startReceiver({ tls });
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  });
  beforeEach(async () => {
    await resetOutbox(db.sql);
    receiver.requests.length = 0;
    receiver.reply = () => ({ status: 200, body: 'ok' });
    subscription = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: receiver.targetUrl('/n8n/webhook'), eventTypes: ['message.created'] });
    await sendMessage('see you Tuesday');
  });

  it('--once delivers over HTTPS with the secret from THERAPY_DB_WEBHOOK_SECRET_<id>, one log line per delivery', async () => {
    const result = await run(['--once'], { [secretEnvName(subscription.id)]: secret });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(`deliver: message\\.created [0-9a-f-]{36} → 127\\.0\\.0\\.1:${receiver.port} \\(subscription ${subscription.id}, attempt 1\\): HTTP 200 in \\d+ ms, delivered`),
    );
    expect(result.stderr).toMatch(/deliver: 1 delivered, 0 failed \(will be retried\), 0 dead/);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const verification = await verifyWebhookSignature({
      secret,
      body: request!.body,
      timestamp: String(request!.headers['x-webhook-timestamp']),
      signature: String(request!.headers['x-webhook-signature']),
    });
    expect(verification).toEqual({ valid: true });
    // The Standard Webhooks headers too, checked by the standardwebhooks library.
    expect(new Webhook(secret, { format: 'raw' }).verify(request!.body, request!.headers as Record<string, string>)).toMatchObject({ type: 'message.created' });
    expect(request!.body).not.toContain('Tuesday');
    const [row] = await db.sql`select status from public.outbox_events`;
    expect(row?.status).toBe('delivered');
  });

  it('--secrets FILE maps subscription ids to secrets; without a secret the attempt fails and is retried later', async () => {
    const missing = await run(['--once']);
    expect(missing.status, missing.stderr).toBe(0);
    expect(missing.stderr).toMatch(/no secret for subscription .* retry in \d+ s/);
    expect(receiver.requests).toHaveLength(0);
    await db.sql`update public.outbox_events set next_attempt_at = now()`;
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ [subscription.id]: secret }));
    const result = await run(['--once', '--secrets', file]);
    expect(result.status, result.stderr).toBe(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it('--watch keeps polling and stops cleanly on SIGTERM', async () => {
    const worker = start(['--watch', '--interval', '0.2'], { [secretEnvName(subscription.id)]: secret });
    await until(() => receiver.requests.length === 1, () => worker.stderr);
    // A new event while it watches.
    await sendMessage('and Thursday');
    await until(() => receiver.requests.length === 2, () => worker.stderr);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stderr).toMatch(/watching the outbox/);
    expect(worker.stderr).toMatch(/SIGTERM: stopping after the current round/);
  });

  it('SIGTERM mid-backlog stops within one round: 40 events due, the round in flight is finished and acked, the rest stays queued', async () => {
    await resetOutbox(db.sql);
    const backlog = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: receiver.targetUrl('/backlog'), eventTypes: ['consent.granted'] });
    await db.sql`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
      select ${f.a.organizationId}, ${f.a.studentIds[0]}, 'media', now() - (g || ' minutes')::interval, 'e_signature', ${f.a.users.org_admin}
        from generate_series(1, 40) g`;
    const roundMs = 400;
    const timeoutSeconds = 2;
    receiver.reply = () => ({ status: 200, delayMs: roundMs });
    const worker = start(['--watch', '--batch-size', '5', '--interval', '0.2', '--timeout', String(timeoutSeconds), '--lease', '10'], {
      [secretEnvName(backlog.id)]: secret,
    });
    await until(() => receiver.requests.length >= 1, () => worker.stderr);
    const signalledAt = Date.now();
    const receivedBefore = receiver.requests.length;
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr).toBe(0);
    const stoppedAfter = Date.now() - signalledAt;

    // One round plus the request timeout (and the process's own shutdown).
    expect(stoppedAfter).toBeLessThan(roundMs + timeoutSeconds * 1000 + 1_500);
    // At most the round in flight reached the receiver after the signal.
    expect(receiver.requests.length - receivedBefore).toBeLessThanOrEqual(5);
    expect(receiver.requests.length).toBeLessThanOrEqual(10);
    const rows = await db.sql<{ status: string; n: number }[]>`select status, count(*)::int as n from public.outbox_events group by 1 order by 1`;
    const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    // Every request that went out was acked (nothing left in flight) and the rest waits for the next worker.
    expect(count('in_flight')).toBe(0);
    expect(count('delivered')).toBe(receiver.requests.length);
    expect(count('pending')).toBe(40 - receiver.requests.length);
    expect(worker.stderr).toMatch(/SIGTERM: stopping after the current round/);
    expect(worker.stderr).toMatch(new RegExp(`deliver: ${receiver.requests.length} delivered, 0 failed`));
  });

  it.skipIf(!onServer)('the watcher survives a terminated connection: pg_terminate_backend during a claim is logged, it reconnects, later events are delivered', async () => {
    const worker = start(['--watch', '--interval', '0.2'], { [secretEnvName(subscription.id)]: secret });
    try {
      // Delivered and acked (an ack still running would wait on the lock below instead of a claim).
      const delivered = async () => (await db.sql`select 1 from public.outbox_events where status = 'delivered'`).length;
      await until(async () => (await delivered()) === 1, () => `the first delivery:\n${worker.stderr}`);

      // Hold a lock the claim needs, so the watcher's next claim waits inside the database; then
      // terminate that backend, as a failover or an administrator would.
      const holder = await db.sql.reserve();
      try {
        await holder`begin`;
        await holder`lock table public.outbox_events in share mode`;
        let waiting: number | undefined;
        await until(async () => {
          const [row] = await db.sql<{ pid: number }[]>`
            select pid from pg_stat_activity
             where datname = current_database() and query like '%claim_events%' and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
          waiting = row?.pid;
          return waiting !== undefined;
        }, () => `a claim waiting on the lock:\n${worker.stderr}`);
        const [killed] = await db.sql`select pg_terminate_backend(${waiting!}) as ok`;
        expect(killed?.ok).toBe(true);
      } finally {
        await holder`rollback`;
        holder.release();
      }

      await until(() => /the database is unreachable/.test(worker.stderr), () => `the lost connection in the log:\n${worker.stderr}`);
      await sendMessage('after the outage');
      await until(
        async () => /the database is back/.test(worker.stderr) && (await delivered()) === 2,
        () => `the delivery after the outage:\n${worker.stderr}`,
      );
      expect(receiver.requests).toHaveLength(2);
      expect(worker.child.exitCode).toBeNull();
      expect(worker.stderr).toMatch(/the database is unreachable \(.*(?:57P01|CONNECTION_CLOSED|terminating connection).*\); retrying in 1 s/);
      expect(worker.stderr).toMatch(/the database is back after 1 failed round/);
      const ids = receiver.requests.map((r) => JSON.parse(r.body).data.message_id as string);
      expect(new Set(ids).size).toBe(2);
      const rows = await db.sql`select status, count(*)::int as n from public.outbox_events group by 1`;
      expect(rows).toEqual([{ status: 'delivered', n: 2 }]);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited, worker.stderr).toBe(0);
  });

  it('refuses to run without --once or --watch', async () => {
    const result = await run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/exactly one of --once and --watch/);
  });
});

