import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  envelopeBody,
  isWebhookEventType,
  secretEnvName,
  secretsFromEnv,
  secretsFromMap,
  signStandardWebhook,
  signWebhook,
  verifyStandardWebhook,
  verifyWebhookRequest,
  verifyWebhookSignature,
  webhookEventCatalogue,
  webhookEventSchema,
  webhookEventTypes,
} from '../../src/integrations';

const body = '{"id":"x","type":"session.created"}';

describe('webhook signatures', () => {
  it('is sha256=hex(HMAC-SHA256(secret, timestamp + "." + body)), as any HMAC library computes it', async () => {
    const expected = createHmac('sha256', 'top-secret').update(`1700000000.${body}`).digest('hex');
    expect(await signWebhook('top-secret', 1700000000, body)).toBe(`sha256=${expected}`);
    expect(await signWebhook(new TextEncoder().encode('top-secret'), '1700000000', body)).toBe(`sha256=${expected}`);
  });

  it('verifies a fresh signature, with any of several secrets during a rotation', async () => {
    const now = 1_700_000_000_000;
    const timestamp = String(now / 1000);
    const signature = await signWebhook('new-secret', timestamp, body);
    expect(await verifyWebhookSignature({ secret: 'new-secret', body, timestamp, signature, now })).toEqual({ valid: true });
    expect(await verifyWebhookSignature({ secret: ['old-secret', 'new-secret'], body, timestamp, signature, now })).toEqual({ valid: true });
  });

  it('refuses a wrong secret, a changed body, a stale or future timestamp, and malformed headers', async () => {
    const now = 1_700_000_000_000;
    const timestamp = String(now / 1000);
    const signature = await signWebhook('s', timestamp, body);
    const check = (o: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret: 's', body, timestamp, signature, now, ...o });
    expect(await check({ secret: 'other' })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(await check({ body: body.replace('created', 'cancelled') })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(await check({ now: now + 301_000 })).toEqual({ valid: false, reason: 'timestamp_out_of_tolerance' });
    expect(await check({ now: now - 301_000 })).toEqual({ valid: false, reason: 'timestamp_out_of_tolerance' });
    expect(await check({ now: now + 301_000, toleranceSeconds: 600 })).toEqual({ valid: true });
    expect(await check({ signature: null })).toEqual({ valid: false, reason: 'missing_header' });
    expect(await check({ timestamp: '17e8' })).toEqual({ valid: false, reason: 'malformed_timestamp' });
    expect(await check({ signature: signature.replace('sha256=', 'sha1=') })).toEqual({ valid: false, reason: 'malformed_signature' });
    // The timestamp is signed too: replaying the body with a new timestamp fails.
    const later = String(now / 1000 + 60);
    expect(await check({ timestamp: later, now: now + 60_000 })).toEqual({ valid: false, reason: 'signature_mismatch' });
  });

  it('verifies a Fetch API Request (Edge Functions, Deno, Node)', async () => {
    const now = Date.now();
    const timestamp = String(Math.floor(now / 1000));
    const request = new Request('https://example.org/hook', {
      method: 'POST',
      headers: { 'X-Webhook-Id': 'evt-1', 'X-Webhook-Timestamp': timestamp, 'X-Webhook-Signature': await signWebhook('s', timestamp, body) },
      body,
    });
    expect(await verifyWebhookRequest(request, 's')).toEqual({ valid: true, body, id: 'evt-1' });
  });
});

describe('a missing secret is an invalid request, never an exception', () => {
  it('an empty, missing or all-empty list of secrets answers missing_secret (an unset environment variable, say)', async () => {
    const now = 1_700_000_000_000;
    const timestamp = String(now / 1000);
    const signature = await signWebhook('s', timestamp, body);
    const check = (secret: unknown) => verifyWebhookSignature({ secret: secret as string, body, timestamp, signature, now });
    for (const secret of ['', undefined, null, [], ['', undefined], new Uint8Array()]) {
      expect(await check(secret)).toEqual({ valid: false, reason: 'missing_secret' });
    }
    expect(await check(['', 's'])).toEqual({ valid: true }); // an empty slot in a rotation is skipped
    expect(await verifyStandardWebhook({ secret: '', id: 'msg', body, timestamp, signature: 'v1,AAAA', now })).toEqual({ valid: false, reason: 'missing_secret' });
    const request = new Request('https://example.org/hook', { method: 'POST', headers: { 'X-Webhook-Timestamp': timestamp, 'X-Webhook-Signature': signature }, body });
    expect(await verifyWebhookRequest(request, process.env.THERAPY_DB_TEST_SECRET_THAT_IS_NOT_SET, { now })).toEqual({ valid: false, reason: 'missing_secret', body, id: null });
  });
});

describe('Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)', () => {
  const id = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
  const whsec = `whsec_${Buffer.from('a 32-byte key for the test suite').toString('base64')}`;

  it('signs exactly as the standardwebhooks library does: a whsec_ secret by its base64 key, another by its bytes (format raw)', async () => {
    const at = new Date(1_700_000_000_000);
    expect(await signStandardWebhook(whsec, id, 1_700_000_000, body)).toBe(new Webhook(whsec).sign(id, at, body));
    expect(await signStandardWebhook('top-secret', id, '1700000000', body)).toBe(new Webhook('top-secret', { format: 'raw' }).sign(id, at, body));
    const expected = createHmac('sha256', Buffer.from(whsec.slice(6), 'base64')).update(`${id}.1700000000.${body}`).digest('base64');
    expect(await signStandardWebhook(whsec, id, 1_700_000_000, body)).toBe(`v1,${expected}`);
  });

  it('verifies what the library signs, and the library verifies what the worker signs', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = await signStandardWebhook(whsec, id, timestamp, body);
    const headers = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
    expect(new Webhook(whsec).verify(body, headers)).toEqual(JSON.parse(body));
    const libraries = new Webhook(whsec).sign(id, new Date(Number(timestamp) * 1000), body);
    expect(await verifyStandardWebhook({ secret: whsec, id, body, timestamp, signature: libraries })).toEqual({ valid: true });
    // Several signatures (a rotation on the sender's side): any one that matches.
    expect(await verifyStandardWebhook({ secret: whsec, id, body, timestamp, signature: `v1,${Buffer.alloc(32).toString('base64')} ${libraries}` })).toEqual({ valid: true });
    const request = new Request('https://example.org/hook', { method: 'POST', headers, body });
    expect(await verifyWebhookRequest(request, whsec)).toEqual({ valid: true, body, id });
  });

  it('refuses a changed body or id, another secret, a stale timestamp and malformed headers', async () => {
    const now = 1_700_000_000_000;
    const timestamp = String(now / 1000);
    const signature = await signStandardWebhook(whsec, id, timestamp, body);
    const check = (o: Partial<Parameters<typeof verifyStandardWebhook>[0]>) => verifyStandardWebhook({ secret: whsec, id, body, timestamp, signature, now, ...o });
    expect(await check({})).toEqual({ valid: true });
    expect(await check({ body: body.replace('created', 'cancelled') })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(await check({ id: 'another-message' })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(await check({ secret: 'whsec_b3RoZXI=' })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(await check({ secret: 'whsec_' })).toEqual({ valid: false, reason: 'signature_mismatch' });
    expect(await check({ now: now + 301_000 })).toEqual({ valid: false, reason: 'timestamp_out_of_tolerance' });
    expect(await check({ id: null })).toEqual({ valid: false, reason: 'missing_header' });
    expect(await check({ signature: 'v2,abc' })).toEqual({ valid: false, reason: 'malformed_signature' });
    expect(await check({ signature: signature.replace('v1,', 'v1a,') })).toEqual({ valid: false, reason: 'malformed_signature' });
    // A therapy-db signature presented as a standard one (or the reverse) matches nothing.
    expect(await check({ signature: `v1,${Buffer.from((await signWebhook(whsec, timestamp, body)).slice(7), 'hex').toString('base64')}` })).toEqual({
      valid: false,
      reason: 'signature_mismatch',
    });
  });
});

describe('events and secrets', () => {
  it('the catalogue lists every event type of the issue, each with a data schema', () => {
    expect([...webhookEventTypes].sort()).toEqual([
      'charge.ready', 'consent.granted', 'consent.revoked', 'document.uploaded', 'message.created',
      'note.amended', 'note.cosign_requested', 'note.cosigned', 'note.signed', 'progress_report.shared',
      'session.cancelled', 'session.completed', 'session.confirmed', 'session.created', 'session.no_show', 'session.rescheduled',
    ]);
    for (const type of webhookEventTypes) expect(webhookEventCatalogue[type].type).toBe(type);
    expect(isWebhookEventType('session.created')).toBe(true);
    expect(isWebhookEventType('session.deleted')).toBe(false);
  });

  it('the envelope schema refuses unknown types and extra text where ids are expected', () => {
    const event = {
      id: '6f1c1d4e-8a86-4d8c-9a53-3f3c3a3b4c5d', type: 'message.created', version: 1, occurred_at: '2025-03-04T16:00:00.123456Z',
      organization_id: '0b7d1c8e-1f2a-4b3c-8d4e-5f6a7b8c9d0e', actor_id: null,
      data: { message_id: '0b7d1c8e-1f2a-4b3c-8d4e-5f6a7b8c9d01', conversation_id: '0b7d1c8e-1f2a-4b3c-8d4e-5f6a7b8c9d02', sender_id: '0b7d1c8e-1f2a-4b3c-8d4e-5f6a7b8c9d03', reply_to_id: null, attachment_document_id: null, created_at: '2025-03-04T16:00:00.000000Z' },
    };
    expect(webhookEventSchema.parse(event).type).toBe('message.created');
    expect(webhookEventSchema.safeParse({ ...event, type: 'message.deleted' }).success).toBe(false);
    expect(webhookEventSchema.safeParse({ ...event, data: { ...event.data, sender_id: 'Gale Guardian' } }).success).toBe(false);
  });

  it('the body keeps the documented key order whatever order jsonb returned', () => {
    const body = envelopeBody({ data: {}, id: 'i', type: 't', version: 1, actor_id: null, occurred_at: 'o', organization_id: 'g' });
    expect(Object.keys(JSON.parse(body))).toEqual(['id', 'type', 'version', 'occurred_at', 'organization_id', 'actor_id', 'data']);
  });

  it('secrets come from THERAPY_DB_WEBHOOK_SECRET_<ID> or a map by subscription or secret id', async () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(secretEnvName(id)).toBe('THERAPY_DB_WEBHOOK_SECRET_0F8FAD5B_D9CB_469F_A165_70867728950E');
    const request = { subscriptionId: id, secretId: 'a1a1a1a1-0000-4000-8000-000000000000', organizationId: 'o' };
    expect(await secretsFromEnv({ [secretEnvName(id)]: 'from-env' })(request)).toBe('from-env');
    expect(await secretsFromEnv({})(request)).toBeNull();
    expect(await secretsFromMap({ [id.toUpperCase()]: 'by-subscription' })(request)).toBe('by-subscription');
    expect(await secretsFromMap({ 'a1a1a1a1-0000-4000-8000-000000000000': 'by-secret-id' })(request)).toBe('by-secret-id');
  });
});
