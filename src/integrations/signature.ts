/**
 * Webhook signatures: `X-Webhook-Signature: sha256=<hex(HMAC-SHA256(secret, timestamp + "." + body))>`
 * with `X-Webhook-Timestamp` in Unix seconds. Web APIs only (`crypto.subtle`, `TextEncoder`), so
 * the same code signs in Node and in a Supabase Edge Function (Deno) and verifies in any receiver.
 */

export const signatureHeader = 'X-Webhook-Signature';
export const timestampHeader = 'X-Webhook-Timestamp';
export const idHeader = 'X-Webhook-Id';

/** A receiver accepts a timestamp this far from its own clock (replay window), by default. */
export const defaultToleranceSeconds = 300;

export type WebhookSecret = string | Uint8Array;

const encoder = new TextEncoder();

function keyBytes(secret: WebhookSecret): Uint8Array<ArrayBuffer> {
  const bytes = typeof secret === 'string' ? encoder.encode(secret) : secret;
  if (bytes.length === 0) throw new Error('webhook secret is empty');
  // Copy into a fresh ArrayBuffer: crypto.subtle refuses SharedArrayBuffer-backed views.
  const copy = new Uint8Array(new ArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

function hmacKey(secret: WebhookSecret, usage: 'sign' | 'verify'): Promise<HmacKey> {
  return crypto.subtle.importKey('raw', keyBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
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

/** `sha256=<hex>`: the value of `X-Webhook-Signature` for this timestamp and body. */
export async function signWebhook(secret: WebhookSecret, timestamp: string | number, body: string): Promise<string> {
  const key = await hmacKey(secret, 'sign');
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(signedContent(timestamp, body)));
  return `sha256=${toHex(mac)}`;
}

export interface VerifyWebhookSignatureOptions {
  /** The subscription's secret, or several during a rotation (any one may match). */
  readonly secret: WebhookSecret | readonly WebhookSecret[];
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

export type WebhookVerificationFailure = 'missing_header' | 'malformed_timestamp' | 'timestamp_out_of_tolerance' | 'malformed_signature' | 'signature_mismatch';

export type WebhookVerification = { readonly valid: true } | { readonly valid: false; readonly reason: WebhookVerificationFailure };

/**
 * Checks a delivery's signature and freshness. The comparison is `crypto.subtle.verify` (constant
 * time); the timestamp must be within `toleranceSeconds` of `now` so a captured request cannot be
 * replayed later. Receivers should also deduplicate on `X-Webhook-Id` (delivery is at least once).
 */
export async function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): Promise<WebhookVerification> {
  const { body, timestamp, signature } = options;
  if (!timestamp || !signature) return { valid: false, reason: 'missing_header' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'malformed_timestamp' };
  const tolerance = options.toleranceSeconds ?? defaultToleranceSeconds;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > tolerance) return { valid: false, reason: 'timestamp_out_of_tolerance' };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim());
  const mac = match?.[1] ? fromHex(match[1]) : null;
  if (!mac) return { valid: false, reason: 'malformed_signature' };
  const data = encoder.encode(signedContent(timestamp, body));
  const secrets: readonly WebhookSecret[] = Array.isArray(options.secret) ? options.secret : [options.secret as WebhookSecret];
  for (const secret of secrets) {
    const key = await hmacKey(secret, 'verify');
    if (await crypto.subtle.verify('HMAC', key, mac, data)) return { valid: true };
  }
  return { valid: false, reason: 'signature_mismatch' };
}

/** Reads the headers and body of a `Request` (Fetch API) and verifies them; returns the body too. */
export async function verifyWebhookRequest(
  request: Request,
  secret: WebhookSecret | readonly WebhookSecret[],
  options: { readonly toleranceSeconds?: number; readonly now?: number } = {},
): Promise<WebhookVerification & { readonly body: string }> {
  const body = await request.text();
  const result = await verifyWebhookSignature({
    secret,
    body,
    timestamp: request.headers.get(timestampHeader),
    signature: request.headers.get(signatureHeader),
    ...options,
  });
  return { ...result, body };
}
