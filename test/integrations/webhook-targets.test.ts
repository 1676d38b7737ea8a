import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import {
  createWebhookSecret,
  deliverWebhooks,
  postgresDeliveryStore,
  secretsFromVault,
  webhookSecretName,
  webhookTargetRefusal,
  type FetchLike,
} from '../../src/integrations';
import { asUser } from '../../src/testing';
import { describeDbError, type DescribedDbError } from '../../src/errors';
import { text, webhookSubscriptionInsertSchema, webhookTarget } from '../../src/validators';
import { dbErrorOf } from '../invariants/helpers';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addSubscription, resetOutbox } from './support';

/**
 * Issue 12, decision on webhooks: a subscription targets `https` on a public address (no loopback,
 * private, link-local or metadata address, CGNAT, unspecified, local names, IP literals in any
 * notation), with an allow-list for development, and signs only with its own organisation's
 * secrets. Enforced by the database for every writer (attacks through the API as org A's admin),
 * mirrored by the validators, and checked again by the delivery worker after resolving the name.
 */
describe('webhook targets and secrets', () => {
  let db: TestDatabase;
  let f: Fixture;
  /** Each organisation's Vault signing secret (the fixture's subscription uses it). */
  const secretOf = { a: '', b: '' };

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
    for (const key of ['a', 'b'] as const) {
      const [row] = await db.sql<{ secret_id: string }[]>`select secret_id from public.webhook_subscriptions where organization_id = ${f[key].organizationId}`;
      secretOf[key] = row!.secret_id;
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  const targetRule = { code: '23514', constraint: 'webhook_subscriptions_target_url_public', table: 'webhook_subscriptions', column: 'target_url' };
  const secretRule = { code: '23503', constraint: 'webhook_subscriptions_secret_id_scope', table: 'webhook_subscriptions', column: 'secret_id' };

  /** The database's refusal of what org A's admin sends through the API (rolled back); fails when it is accepted. */
  const asAdminOfA = async (write: Parameters<typeof asUser>[2]): Promise<DescribedDbError> => {
    try {
      await asUser(db.sql, { sub: f.a.users.org_admin }, write);
    } catch (error) {
      return describeDbError(error);
    }
    throw new Error('expected the database to refuse this, but it was accepted');
  };
  /** Org A's admin, through the API, creates a subscription. */
  const subscribeAsAdminOfA = (targetUrl: string, secretId = secretOf.a) =>
    asAdminOfA((api) =>
      api`insert into public.webhook_subscriptions (organization_id, target_url, event_types, secret_id, created_by)
          values (${f.a.organizationId}, ${targetUrl}, '{session.created}', ${secretId}, ${f.a.users.org_admin})`,
    );

  /** The database's verdict as the owner (every writer): null when accepted, else the refusal's rule and message. */
  const databaseVerdict = async (targetUrl: string, allowedHosts = '') => {
    try {
      await db.sql.begin(async (tx) => {
        await tx`select set_config('therapy_db.webhook_allowed_hosts', ${allowedHosts}, true)`;
        await tx`insert into public.webhook_subscriptions (organization_id, target_url, event_types, secret_id)
                 values (${f.a.organizationId}, ${targetUrl}, '{session.created}', ${secretOf.a})`;
        throw new Error('rollback');
      });
    } catch (error) {
      const e = error as { message: string; constraint_name?: string };
      return e.message === 'rollback' ? null : { rule: e.constraint_name, message: e.message };
    }
    return null;
  };
  const validatorVerdict = (targetUrl: string) => {
    const parsed = webhookSubscriptionInsertSchema.safeParse({ organizationId: f.a.organizationId, targetUrl, eventTypes: ['session.created'], secretId: secretOf.a });
    return parsed.success ? null : parsed.error.issues.map((i) => i.message).join('; ');
  };

  it('org A admin cannot point a webhook at 169.254.169.254 (the cloud metadata address)', async () => {
    const refused = await subscribeAsAdminOfA('https://169.254.169.254/latest/meta-data/');
    expect(refused).toMatchObject(targetRule);
    expect(refused.databaseMessage).toBe(
      'webhook_subscriptions.target_url must be a public address: 169.254.169.254 is in 169.254.0.0/16, not a public address (webhook_subscriptions_target_url_public)',
    );
    // Nor move an existing subscription there.
    const moved = await asAdminOfA((api) => api`update public.webhook_subscriptions set target_url = 'https://169.254.169.254/' where organization_id = ${f.a.organizationId}`);
    expect(moved).toMatchObject(targetRule);
    expect(validatorVerdict('https://169.254.169.254/latest/meta-data/')).toBe(
      'target_url must be a public address: 169.254.169.254 is in 169.254.0.0/16, not a public address',
    );
  });

  // Every one refused by the database (for every writer) and by the validators, for the same reason.
  const refused: readonly [string, string][] = [
    ['http://hooks.example.org/x', 'must be an https:// URL'],
    ['HTTPS://hooks.example.org/x', 'must be an https:// URL'],
    ['https://127.0.0.1:5678/webhook', 'must be a public address: 127.0.0.1 is in 127.0.0.0/8, not a public address'],
    ['https://127.1/', 'must write an IPv4 address in dotted-decimal notation (a.b.c.d)'],
    ['https://2130706433/', 'must write an IPv4 address in dotted-decimal notation (a.b.c.d)'],
    ['https://0x7f.0.0.1/', 'must write an IPv4 address in dotted-decimal notation (a.b.c.d)'],
    ['https://0177.0.0.1/', 'must write an IPv4 address in dotted-decimal notation (a.b.c.d)'],
    ['https://169.254.169.254.nip.io.0/', 'must write an IPv4 address in dotted-decimal notation (a.b.c.d)'],
    ['https://10.0.0.8/', 'must be a public address: 10.0.0.8 is in 10.0.0.0/8, not a public address'],
    ['https://172.20.1.1/', 'must be a public address: 172.20.1.1 is in 172.16.0.0/12, not a public address'],
    ['https://192.168.1.10/', 'must be a public address: 192.168.1.10 is in 192.168.0.0/16, not a public address'],
    ['https://100.64.0.1/', 'must be a public address: 100.64.0.1 is in 100.64.0.0/10, not a public address'],
    ['https://0.0.0.0/', 'must be a public address: 0.0.0.0 is in 0.0.0.0/8, not a public address'],
    ['https://[::1]/', 'must be a public address: ::1 is outside 2000::/3 (global unicast), not a public address'],
    ['https://[::]/', 'must be a public address: :: is outside 2000::/3 (global unicast), not a public address'],
    ['https://[::ffff:169.254.169.254]/', 'must be a public address: ::ffff:169.254.169.254 is outside 2000::/3 (global unicast), not a public address'],
    ['https://[fd00:ec2::254]/', 'must be a public address: fd00:ec2::254 is outside 2000::/3 (global unicast), not a public address'],
    ['https://[FE80::1]:8443/', 'must be a public address: fe80::1 is outside 2000::/3 (global unicast), not a public address'],
    ['https://[2002:a9fe:a9fe::1]/', 'must be a public address: 2002:a9fe:a9fe::1 is in 2002::/16, not a public address'],
    ['https://[1.2.3.4]/', 'has an invalid IPv6 address'],
    ['https://localhost:5678/', 'must be a public domain name: localhost has a single label'],
    ['https://LOCALHOST./', 'must be a public domain name: localhost has a single label'],
    ['https://hooks.localhost/', 'must be a public domain name: .localhost names are local'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'must be a public domain name: .internal names are local'],
    ['https://printer.local/', 'must be a public domain name: .local names are local'],
    ['https://n8n/', 'must be a public domain name: n8n has a single label'],
    ['https://admin:secret@hooks.example.org/', 'must not contain credentials (user@host)'],
    ['https://hooks.example.org\\@127.0.0.1/', 'must not contain whitespace, control characters or backslashes'],
    ['https://%31%32%37.0.0.1/', 'must have an ASCII domain name (punycode for international names) or an IP address as its host'],
    ['https://１２７.０.０.１/', 'must have an ASCII domain name (punycode for international names) or an IP address as its host'],
    ['https://hooks.example.org:0/', 'has an invalid port'],
    ['https://hooks.example.org:x/', 'has an invalid host or port'],
    ['https:///127.0.0.1/', 'has no host'],
  ];
  it.each(refused)('refuses %s in the database and the validators: %s', async (url, problem) => {
    expect(await databaseVerdict(url)).toEqual({ rule: 'webhook_subscriptions_target_url_public', message: `webhook_subscriptions.target_url ${problem} (webhook_subscriptions_target_url_public)` });
    expect(validatorVerdict(url)).toBe(`target_url ${problem}`);
  });

  it.each(['https://hooks.example.org/webhook/therapy', 'https://n8n.example.org:8443/webhook', 'https://8.8.8.8/hook', 'https://[2001:4860:4860::8888]/hook', 'https://xn--bcher-kva.example/hook'])(
    'accepts the public target %s in the database and the validators',
    async (url) => {
      expect(await databaseVerdict(url)).toBeNull();
      expect(validatorVerdict(url)).toBeNull();
    },
  );

  it('the development allow-list (therapy_db.webhook_allowed_hosts, allowedHosts) admits its hosts, still https only', async () => {
    expect(await databaseVerdict('https://localhost:5678/webhook', 'localhost, 127.0.0.1')).toBeNull();
    expect(await databaseVerdict('https://127.0.0.1:5678/webhook', 'localhost, 127.0.0.1')).toBeNull();
    expect(await databaseVerdict('https://10.0.0.8/', 'localhost, 127.0.0.1')).toMatchObject({ rule: 'webhook_subscriptions_target_url_public' });
    expect(await databaseVerdict('http://localhost:5678/webhook', 'localhost')).toMatchObject({ rule: 'webhook_subscriptions_target_url_public' });
    const dev = text().check(webhookTarget({ allowedHosts: ['localhost', '127.0.0.1'] }));
    expect(dev.safeParse('https://localhost:5678/webhook').success).toBe(true);
    expect(dev.safeParse('https://10.0.0.8/').success).toBe(false);
    expect(dev.safeParse('http://localhost:5678/webhook').success).toBe(false);
  });

  it("an API client cannot set the allow-list: it is the database's setting, and a client's set_config is not reachable through PostgREST", async () => {
    // What the API can do is write rows: with the database's allow-list empty, the target is refused whatever the row says.
    const refusedLoopback = await subscribeAsAdminOfA('https://127.0.0.1:5678/webhook');
    expect(refusedLoopback).toMatchObject(targetRule);
  });

  it("org A cannot sign with org B's secret", async () => {
    const refused = await subscribeAsAdminOfA('https://hooks.example.org/a', secretOf.b);
    expect(refused).toMatchObject(secretRule);
    // Nor switch its own subscription to B's secret.
    const switched = await asAdminOfA((api) => api`update public.webhook_subscriptions set secret_id = ${secretOf.b} where organization_id = ${f.a.organizationId}`);
    expect(switched).toMatchObject(secretRule);
    // The answer for B's secret is the answer for an id that exists nowhere: no oracle for B's secret ids.
    const nowhere = '00000000-0000-4000-8000-0000000000aa';
    const missing = await subscribeAsAdminOfA('https://hooks.example.org/a', nowhere);
    expect(refused.databaseMessage.replace(secretOf.b, '<id>')).toBe(missing.databaseMessage.replace(nowhere, '<id>'));
    expect(refused.databaseMessage).toContain(`is not a webhook signing secret of organisation ${f.a.organizationId}`);
  });

  it("a Vault secret that is not named for the organisation (another app's secret) cannot sign either, even written by the owner", async () => {
    const [other] = await db.sql<{ id: string }[]>`select vault.create_secret('not-a-webhook-secret', ${`supabase_url_${Date.now()}`}) as id`;
    const [lookalike] = await db.sql<{ id: string }[]>`select vault.create_secret('x', ${`webhooks/${f.a.organizationId}x/evil`}) as id`;
    for (const id of [other!.id, lookalike!.id]) {
      const refused = await dbErrorOf(db.sql, (tx) =>
        tx`insert into public.webhook_subscriptions (organization_id, target_url, event_types, secret_id) values (${f.a.organizationId}, 'https://hooks.example.org/x', '{session.created}', ${id})`,
      );
      expect(refused).toMatchObject(secretRule);
    }
  });

  it('API roles cannot read, create or change Vault secrets', async () => {
    const read = await asAdminOfA((api) => api`select id from vault.secrets`);
    expect(read.code).toBe('42501');
    const created = await asAdminOfA((api) => api`select vault.create_secret('mine', ${webhookSecretName(f.b.organizationId, 'forged')})`);
    expect(created.code).toBe('42501');
  });

  it('createWebhookSecret names the secret for its organisation; secretsFromVault returns it only for that organisation', async () => {
    const { secretId, secret } = await createWebhookSecret(db.sql, { organizationId: f.a.organizationId, label: 'n8n-production' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [row] = await db.sql<{ name: string }[]>`select name from vault.secrets where id = ${secretId}`;
    expect(row!.name).toBe(`webhooks/${f.a.organizationId}/n8n-production`);
    const source = secretsFromVault(db.sql);
    expect(await source({ subscriptionId: 'x', secretId, organizationId: f.a.organizationId })).toBe(secret);
    expect(await source({ subscriptionId: 'x', secretId, organizationId: f.b.organizationId })).toBeNull();
    expect(() => webhookSecretName('not-a-uuid', 'x')).toThrow(/organizationId must be a lower-case uuid/);
  });

  describe('at delivery time (DNS rebinding)', () => {
    it('refuses a public name that resolves to a non-public address, unless allow-listed', async () => {
      const resolvesTo = (addresses: string[]) => async () => addresses;
      expect(await webhookTargetRefusal('https://hooks.example.org/x', { resolveHost: resolvesTo(['93.184.215.14']) })).toBeUndefined();
      expect(await webhookTargetRefusal('https://rebind.example.org/x', { resolveHost: resolvesTo(['93.184.215.14', '169.254.169.254']) })).toBe(
        'target refused: rebind.example.org resolves to 169.254.169.254 is in 169.254.0.0/16, not a public address (webhook_target_not_public)',
      );
      expect(await webhookTargetRefusal('https://rebind.example.org/x', { resolveHost: resolvesTo(['::ffff:127.0.0.1']) })).toMatch(/resolves to ::ffff:127\.0\.0\.1 is outside 2000::\/3/);
      expect(await webhookTargetRefusal('https://nowhere.example.org/x', { resolveHost: resolvesTo([]) })).toBe('target refused: nowhere.example.org does not resolve');
      // A row written before the rules (or under another allow-list) is refused by the same rules.
      expect(await webhookTargetRefusal('https://10.0.0.8/x')).toBe('target refused: must be a public address: 10.0.0.8 is in 10.0.0.0/8, not a public address');
      expect(await webhookTargetRefusal('https://receiver.internal/x', { allowedHosts: ['receiver.internal'], resolveHost: resolvesTo(['10.0.0.8']) })).toBeUndefined();
    });

    it('the worker does not POST to a target whose name resolves to the metadata address: the attempt fails and is retried', async () => {
      await resetOutbox(db.sql);
      const sub = await addSubscription(db.sql, { organizationId: f.a.organizationId, targetUrl: 'https://rebind.example.org/hook', eventTypes: ['message.created'] });
      await db.sql`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
                   values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.guardian}, gen_random_uuid(), 'hello')`;
      const posted: string[] = [];
      const fetchSpy: FetchLike = async (url) => {
        posted.push(url);
        return new Response('ok');
      };
      const report = await deliverWebhooks({
        db: postgresDeliveryStore(db.sql),
        secretFor: secretsFromVault(db.sql),
        fetch: fetchSpy,
        resolveHost: async () => ['169.254.169.254'],
      });
      expect(posted).toEqual([]);
      expect(report.results).toEqual([
        expect.objectContaining({ subscriptionId: sub.id, outcome: 'failed', error: expect.stringContaining('rebind.example.org resolves to 169.254.169.254') }),
      ]);
      const [row] = await db.sql<{ status: string; last_error: string }[]>`select status, last_error from public.outbox_events where subscription_id = ${sub.id}`;
      expect(row).toMatchObject({ status: 'failed', last_error: expect.stringContaining('webhook_target_not_public') });
    });
  });
});
