import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import { secretEnvName, verifyWebhookSignature } from '../../src/integrations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addSubscription, resetOutbox } from './support';

/**
 * `therapy-db deliver` as a process, against a real HTTPS endpoint on 127.0.0.1 (a throwaway
 * self-signed certificate the child process trusts through NODE_EXTRA_CA_CERTS), with the secret
 * from the environment.
 */
const repo = resolve(__dirname, '../..');
/** The CLI from source in one process (`--import tsx`: signals reach it directly, no tsx relay). */
const cli = ['--import', 'tsx', join(repo, 'src/cli/main.ts')];
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl) console.log('integrations/cli: skipped, openssl is not installed (needed for a test TLS certificate)');

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe.skipIf(!hasOpenssl)('therapy-db deliver (CLI)', () => {
  let db: TestDatabase;
  let f: Fixture;
  let dir: string;
  let server: Server;
  let port: number;
  const received: Received[] = [];
  let subscription: { id: string; secretId: string };
  const secret = 'cli-test-secret';

  /** Runs the CLI as a child process (asynchronously: the HTTPS endpoint lives in this process). */
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; stderr: string }>((resolvePromise) => {
      const child = spawn(process.execPath, [...cli, 'deliver', ...args, '--url', db.url], {
        cwd: repo,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'), ...env },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (status) => resolvePromise({ status, stderr }));
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
    dir = mkdtempSync(join(tmpdir(), 'therapy-db-cli-'));
    const cert = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { encoding: 'utf8' });
    if (cert.status !== 0) throw new Error(`openssl failed: ${cert.stderr}`);
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  });
  beforeEach(async () => {
    await resetOutbox(db.sql);
    received.length = 0;
    subscription = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: `https://127.0.0.1:${port}/n8n/webhook`, eventTypes: ['message.created'] });
    await db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
      values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.therapist}, gen_random_uuid(), 'see you Tuesday')`;
  });

  it('--once delivers over HTTPS with the secret from THERAPY_DB_WEBHOOK_SECRET_<id>, one log line per delivery', async () => {
    const result = await run(['--once'], { [secretEnvName(subscription.id)]: secret });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`deliver: message\\.created [0-9a-f-]{36} → 127\\.0\\.0\\.1:${port} \\(subscription ${subscription.id}, attempt 1\\): HTTP 200 in \\d+ ms, delivered`));
    expect(result.stderr).toMatch(/deliver: 1 delivered, 0 failed \(will be retried\), 0 dead/);
    expect(received).toHaveLength(1);
    const [request] = received;
    const verification = await verifyWebhookSignature({
      secret,
      body: request!.body,
      timestamp: String(request!.headers['x-webhook-timestamp']),
      signature: String(request!.headers['x-webhook-signature']),
    });
    expect(verification).toEqual({ valid: true });
    expect(request!.body).not.toContain('Tuesday');
    const [row] = await db.sql`select status from public.outbox_events`;
    expect(row?.status).toBe('delivered');
  });

  it('--secrets FILE maps subscription ids to secrets; without a secret the attempt fails and is retried later', async () => {
    const missing = await run(['--once']);
    expect(missing.status, missing.stderr).toBe(0);
    expect(missing.stderr).toMatch(/no secret for subscription .* retry in \d+ s/);
    expect(received).toHaveLength(0);
    await db.sql`update public.outbox_events set next_attempt_at = now()`;
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ [subscription.id]: secret }));
    const result = await run(['--once', '--secrets', file]);
    expect(result.status, result.stderr).toBe(0);
    expect(received).toHaveLength(1);
  });

  it('--watch keeps polling and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [...cli, 'deliver', '--watch', '--interval', '0.2', '--url', db.url], {
      cwd: repo,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'), [secretEnvName(subscription.id)]: secret },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(predicate(), stderr).toBe(true);
    };
    await until(() => received.length === 1);
    // A new event while it watches.
    await db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
      values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.guardian}, gen_random_uuid(), 'and Thursday')`;
    await until(() => received.length === 2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/watching the outbox/);
    expect(stderr).toMatch(/stopping after the current round/);
  });

  it('refuses to run without --once or --watch', async () => {
    const result = await run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/exactly one of --once and --watch/);
  });
});
