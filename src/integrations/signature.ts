/**
 * Webhook signatures, two schemes, both HMAC-SHA256 over the raw body with the subscription's secret:
 *
 * - **Standard Webhooks** (standardwebhooks.com, what Supabase's own auth hooks send):
 *   `webhook-id`, `webhook-timestamp` (Unix seconds) and
 *   `webhook-signature: v1,<base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))>`, where the
 *   key is the base64 after `whsec_` for a `whsec_…` secret, else the secret's UTF-8 bytes. A
 *   receiver verifies with the `standardwebhooks` library (`new Webhook(secret)` for a `whsec_`
 *   secret, `new Webhook(secret, { format: 'raw' })` for another) or any Standard Webhooks SDK.
 * - **therapy-db's own** (since 0.1.0): `X-Webhook-Id`, `X-Webhook-Timestamp` and
 *   `X-Webhook-Signature: sha256=<hex(HMAC-SHA256(secret, timestamp + "." + body))>`, the key being
 *   the secret's UTF-8 bytes whatever it looks like.
 *
 * The worker sends both by default. Web APIs only (`crypto.subtle`, `TextEncoder`, `atob`/`btoa`),
 * so the same code signs in Node and in a Supabase Edge Function (Deno) and verifies in any receiver.
 */

export const signatureHeader = 'X-Webhook-Signature';
export const timestampHeader = 'X-Webhook-Timestamp';
export const idHeader = 'X-Webhook-Id';

/** The Standard Webhooks headers. */
export const standardWebhookHeaders = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/** Which signature headers a delivery carries. */
export type SignatureScheme = 'standard-webhooks' | 'therapy-db' | 'both';
export const signatureSchemes: readonly SignatureScheme[] = ['both', 'standard-webhooks', 'therapy-db'];

/** A receiver accepts a timestamp this far from its own clock (replay window), by default. */
export const defaultToleranceSeconds = 300;

export type WebhookSecret = string | Uint8Array;

const encoder = new TextEncoder();

/** The prefix of a Standard Webhooks secret: `whsec_` and the key in base64. */
export const standardSecretPrefix = 'whsec_';

/** True for a usable secret: a non-empty string or byte array. */
function present(secret: WebhookSecret | null | undefined): secret is WebhookSecret {
  return (typeof secret === 'string' || secret instanceof Uint8Array) && secret.length > 0;
}

/** The HMAC key bytes: the secret's UTF-8 bytes; for Standard Webhooks, a `whsec_` secret's base64 decoded. */
function keyBytes(secret: WebhookSecret, scheme: 'standard-webhooks' | 'therapy-db'): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array;
  if (typeof secret === 'string' && scheme === 'standard-webhooks' && secret.startsWith(standardSecretPrefix)) {
    bytes = fromBase64(secret.slice(standardSecretPrefix.length)) ?? new Uint8Array();
    if (bytes.length === 0) throw new Error(`a ${standardSecretPrefix} webhook secret needs a base64 key after the prefix`);
  } else {
    bytes = typeof secret === 'string' ? encoder.encode(secret) : secret;
  }
  if (bytes.length === 0) throw new Error('webhook secret is empty');
  // Copy into a fresh ArrayBuffer: crypto.subtle refuses SharedArrayBuffer-backed views.
  const copy = new Uint8Array(new ArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

function hmacKey(secret: WebhookSecret, usage: 'sign' | 'verify', scheme: 'standard-webhooks' | 'therapy-db' = 'therapy-db'): Promise<HmacKey> {
  return crypto.subtle.importKey('raw', keyBytes(secret, scheme), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function toBase64(buffer: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const binary = atob(text);
  const out = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) return null;
  const out = new Uint8Array(new ArrayBuffer(hex.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The string that is signed: `${timestamp}.${body}`. */
export function signedContent(timestamp: string | number, body: string): string {
  return `${timestamp}.${body}`;
}

/** `sha256=<hex>`: the value of `X-Webhook-Signature` (therapy-db's scheme) for this timestamp and body. */
export async function signWebhook(secret: WebhookSecret, timestamp: string | number, body: string): Promise<string> {
  const key = await hmacKey(secret, 'sign');
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(signedContent(timestamp, body)));
  return `sha256=${toHex(mac)}`;
}

/**
 * `v1,<base64>`: the value of `webhook-signature` (Standard Webhooks) for this message id, timestamp
 * and body. A `whsec_…` secret's key is its base64 part; any other secret's key is its UTF-8 bytes.
 */
export async function signStandardWebhook(secret: WebhookSecret, id: string, timestamp: string | number, body: string): Promise<string> {
  const key = await hmacKey(secret, 'sign', 'standard-webhooks');
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`));
  return `v1,${toBase64(mac)}`;
}

/** The secrets to try: one, or several during a rotation; empty and missing ones are skipped. */
type SecretOption = WebhookSecret | readonly (WebhookSecret | null | undefined)[] | null | undefined;

function secretList(secret: SecretOption): WebhookSecret[] {
  const list: readonly (WebhookSecret | null | undefined)[] = Array.isArray(secret) ? secret : [secret as WebhookSecret | null | undefined];
  return list.filter(present);
}

export interface VerifyWebhookSignatureOptions {
  /**
   * The subscription's secret, or several during a rotation (any one may match). A missing or empty
   * secret (an unset environment variable) makes every request invalid (`missing_secret`), never valid.
   */
  readonly secret: SecretOption;
  /** The raw request body, exactly as received (verify before parsing). */
  readonly body: string;
  /** `X-Webhook-Timestamp`. */
  readonly timestamp: string | null | undefined;
  /** `X-Webhook-Signature`. */
  readonly signature: string | null | undefined;
  /** Largest accepted clock difference in seconds (default 300). */
  readonly toleranceSeconds?: number;
  /** The receiver's clock, in milliseconds (default `Date.now()`). */
  readonly now?: number;
}

export type WebhookVerificationFailure =
  | 'missing_secret'
  | 'missing_header'
  | 'malformed_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'malformed_signature'
  | 'signature_mismatch';

export type WebhookVerification = { readonly valid: true } | { readonly valid: false; readonly reason: WebhookVerificationFailure };

/**
 * Checks a delivery's signature and freshness. The comparison is `crypto.subtle.verify` (constant
 * time); the timestamp must be within `toleranceSeconds` of `now` so a captured request cannot be
 * replayed later. Receivers should also deduplicate on `X-Webhook-Id` (delivery is at least once).
 */
export async function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): Promise<WebhookVerification> {
  const { body, timestamp, signature } = options;
  const secrets = secretList(options.secret);
  if (secrets.length === 0) return { valid: false, reason: 'missing_secret' };
  if (!timestamp || !signature) return { valid: false, reason: 'missing_header' };
  const stale = checkTimestamp(timestamp, options);
  if (stale) return stale;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim());
  const mac = match?.[1] ? fromHex(match[1]) : null;
  if (!mac) return { valid: false, reason: 'malformed_signature' };
  return (await anyKeyVerifies(secrets, 'therapy-db', [mac], signedContent(timestamp, body)))
    ? { valid: true }
    : { valid: false, reason: 'signature_mismatch' };
}

export interface VerifyStandardWebhookOptions extends VerifyWebhookSignatureOptions {
  /** `webhook-id`: part of the signed content. */
  readonly id: string | null | undefined;
}

/**
 * Checks a Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`,
 * which may list several space-separated `v1,…` signatures): the same answers as
 * `verifyWebhookSignature`, and the same as the `standardwebhooks` library's `verify`.
 */
export async function verifyStandardWebhook(options: VerifyStandardWebhookOptions): Promise<WebhookVerification> {
  const { id, body, timestamp, signature } = options;
  const secrets = secretList(options.secret);
  if (secrets.length === 0) return { valid: false, reason: 'missing_secret' };
  if (!id || !timestamp || !signature) return { valid: false, reason: 'missing_header' };
  const stale = checkTimestamp(timestamp, options);
  if (stale) return stale;
  const macs = signature
    .trim()
    .split(/\s+/)
    .flatMap((entry) => {
      const [version, value] = entry.split(',');
      const mac = version === 'v1' && value ? fromBase64(value) : null;
      return mac && mac.length === 32 ? [mac] : [];
    });
  if (macs.length === 0) return { valid: false, reason: 'malformed_signature' };
  return (await anyKeyVerifies(secrets, 'standard-webhooks', macs, `${id}.${timestamp}.${body}`))
    ? { valid: true }
    : { valid: false, reason: 'signature_mismatch' };
}

function checkTimestamp(timestamp: string, options: { readonly toleranceSeconds?: number; readonly now?: number }): WebhookVerification | undefined {
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'malformed_timestamp' };
  const tolerance = options.toleranceSeconds ?? defaultToleranceSeconds;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  return Math.abs(now - Number(timestamp)) > tolerance ? { valid: false, reason: 'timestamp_out_of_tolerance' } : undefined;
}

/** `crypto.subtle.verify` (constant time) of each signature with each secret's key. */
async function anyKeyVerifies(
  secrets: readonly WebhookSecret[],
  scheme: 'standard-webhooks' | 'therapy-db',
  macs: readonly Uint8Array<ArrayBuffer>[],
  content: string,
): Promise<boolean> {
  const data = encoder.encode(content);
  for (const secret of secrets) {
    let key: HmacKey;
    try {
      key = await hmacKey(secret, 'verify', scheme);
    } catch {
      continue; // a whsec_ secret without a base64 key: it matches nothing
    }
    for (const mac of macs) if (await crypto.subtle.verify('HMAC', key, mac, data)) return true;
  }
  return false;
}

/**
 * Reads the headers and body of a `Request` (Fetch API) and verifies them; returns the body and the
 * request's webhook id too (`webhook-id` or `X-Webhook-Id`, the receiver's deduplication key; null
 * when absent). A request with a `webhook-signature` header is checked as Standard Webhooks, any
 * other by `X-Webhook-Signature`.
 */
export async function verifyWebhookRequest(
  request: Request,
  secret: SecretOption,
  options: { readonly toleranceSeconds?: number; readonly now?: number } = {},
): Promise<WebhookVerification & { readonly body: string; readonly id: string | null }> {
  const body = await request.text();
  const headers = request.headers;
  if (headers.has(standardWebhookHeaders.signature)) {
    const id = headers.get(standardWebhookHeaders.id);
    const result = await verifyStandardWebhook({
      secret,
      body,
      id,
      timestamp: headers.get(standardWebhookHeaders.timestamp),
      signature: headers.get(standardWebhookHeaders.signature),
      ...options,
    });
    return { ...result, body, id };
  }
  const result = await verifyWebhookSignature({ secret, body, timestamp: headers.get(timestampHeader), signature: headers.get(signatureHeader), ...options });
  return { ...result, body, id: headers.get(idHeader) };
}
