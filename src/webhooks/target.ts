import { dottedDecimalIpv4, nonPublicAddress, parseIpv6 } from './addresses';

/**
 * Where a webhook may be sent: `https` to a public address. The same rules, in the same order, are
 * the database's (`app.webhook_target_problem`, rendered in src/schema/rules/integrations.ts), the
 * validators' and the delivery worker's (which also resolves the name, against DNS rebinding).
 */

/**
 * Names that resolve inside a network, never to a public endpoint: `localhost` and these suffixes
 * (mDNS `.local`, cloud-internal names such as `metadata.google.internal`, home and corporate
 * networks). A name without a dot is refused too (resolver search domains make it a local name).
 */
export const localNameSuffixes = ['localhost', 'localdomain', 'local', 'internal', 'intranet', 'lan', 'home', 'corp', 'home.arpa'] as const;

export interface WebhookTargetOptions {
  /**
   * Hosts accepted although not public (development: a receiver on `localhost` or `127.0.0.1`).
   * Compared with the URL's host, lower case, without a trailing dot (an IPv6 address without its
   * brackets). The URL must still be `https` without credentials.
   */
  readonly allowedHosts?: readonly string[];
}

/** The parts of a target URL the rules look at. */
export interface WebhookTarget {
  /** Lower case, without brackets or a trailing dot. */
  readonly host: string;
  readonly kind: 'name' | 'ipv4' | 'ipv6';
}

export type WebhookTargetCheck = { readonly ok: true; readonly target: WebhookTarget } | { readonly ok: false; readonly problem: string };

const refuse = (problem: string): WebhookTargetCheck => ({ ok: false, problem });

/** An allow-list entry as it is compared: trimmed, lower case, without a trailing dot or IPv6 brackets. */
export const normalizeAllowedHost = (entry: string): string =>
  entry.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');

/**
 * Checks a webhook target URL: `https://`, no whitespace, control character or backslash, no
 * credentials, a valid port, and a host that is a public IP address in standard notation or an
 * ASCII domain name (punycode for international ones) that is not a local name — unless the host
 * is in `allowedHosts`. Names are not resolved here: the delivery worker does that.
 */
export function checkWebhookTarget(url: string, options: WebhookTargetOptions = {}): WebhookTargetCheck {
  if (!url.startsWith('https://')) return refuse('must be an https:// URL');
  if (/[\x00-\x20\x7f\\]/.test(url)) return refuse('must not contain whitespace, control characters or backslashes');
  const authority = /^https:\/\/([^/?#]*)/.exec(url)![1]!;
  if (authority.includes('@')) return refuse('must not contain credentials (user@host)');
  const parts = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::([0-9]*))?$/.exec(authority);
  if (!parts) return refuse('has an invalid host or port');
  const port = parts[3];
  if (port !== undefined && (port === '' || port.length > 5 || Number(port) < 1 || Number(port) > 65535)) return refuse('has an invalid port');
  const bracketed = parts[1] !== undefined;
  const host = (parts[1] ?? parts[2] ?? '').toLowerCase().replace(/\.$/, '');
  if (host === '') return refuse('has no host');
  const allowed = (options.allowedHosts ?? []).some((h) => normalizeAllowedHost(h) === host);
  if (bracketed) {
    if (!/^[0-9a-f:.]+$/.test(host) || parseIpv6(host) === undefined) return refuse('has an invalid IPv6 address');
    const problem = nonPublicAddress(host);
    if (problem && !allowed) return refuse(`must be a public address: ${problem}`);
    return { ok: true, target: { host, kind: 'ipv6' } };
  }
  if (!/^[a-z0-9.-]+$/.test(host) || host.startsWith('.') || host.endsWith('.') || host.includes('..')) {
    return refuse('must have an ASCII domain name (punycode for international names) or an IP address as its host');
  }
  const lastLabel = host.slice(host.lastIndexOf('.') + 1);
  if (/^(?:[0-9]+|0x[0-9a-f]*)$/.test(lastLabel)) {
    // URL parsers read a host ending in a number as an IPv4 address (127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1).
    if (!dottedDecimalIpv4.test(host)) return refuse('must write an IPv4 address in dotted-decimal notation (a.b.c.d)');
    const problem = nonPublicAddress(host);
    if (problem && !allowed) return refuse(`must be a public address: ${problem}`);
    return { ok: true, target: { host, kind: 'ipv4' } };
  }
  if (!allowed) {
    if (!host.includes('.')) return refuse(`must be a public domain name: ${host} has a single label`);
    const local = localNameSuffixes.find((suffix) => host === suffix || host.endsWith(`.${suffix}`));
    if (local) return refuse(`must be a public domain name: .${local} names are local`);
  }
  return { ok: true, target: { host, kind: 'name' } };
}
