/**
 * IP addresses and the ranges a webhook may not reach. The ranges are plain data, read by the
 * TypeScript checks (validators, delivery worker) and rendered into the database's rule
 * (`app.webhook_target_problem`), so both refuse the same addresses.
 */

/** IPv4 ranges that are not public: unspecified, private, CGNAT, loopback, link-local (cloud metadata), reserved. */
export const nonPublicIpv4Ranges = [
  '0.0.0.0/8', // "this network", 0.0.0.0 unspecified
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // carrier-grade NAT (RFC 6598)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, incl. the cloud metadata address 169.254.169.254
  '172.16.0.0/12', // private (RFC 1918)
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16', // private (RFC 1918)
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, 255.255.255.255 broadcast
] as const;

/** Public IPv6 is global unicast (`2000::/3`); everything else (`::`, `::1`, fc00::/7, fe80::/10, multicast, IPv4-mapped, NAT64 …) is not. */
export const publicIpv6Range = '2000::/3';

/** Ranges inside `2000::/3` that are not public, or embed an IPv4 address that may not be. */
export const nonPublicIpv6Ranges = [
  '2001::/32', // Teredo (embeds an IPv4 address)
  '2001:db8::/32', // documentation
  '2002::/16', // 6to4 (embeds an IPv4 address)
] as const;

/** An IPv4 address in dotted-decimal notation, each part 0–255 without leading zeros (the only notation accepted). */
export const dottedDecimalIpv4 = /^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

/** The 32-bit value of a dotted-decimal IPv4 address, or undefined. */
export function parseIpv4(text: string): bigint | undefined {
  if (!dottedDecimalIpv4.test(text)) return undefined;
  return text.split('.').reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

/** The 128-bit value of an IPv6 address (`::` compression and a trailing dotted IPv4 allowed), or undefined. */
export function parseIpv6(text: string): bigint | undefined {
  let lower = text.toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(lower)) return undefined;
  if (lower.includes('.')) {
    // A trailing dotted IPv4 address is the last two groups.
    const lastColon = lower.lastIndexOf(':');
    const v4 = parseIpv4(lower.slice(lastColon + 1));
    if (v4 === undefined || lastColon < 0) return undefined;
    lower = `${lower.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = lower.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

interface Cidr {
  readonly bits: 32 | 128;
  readonly base: bigint;
  readonly prefix: number;
}

function cidr(text: string): Cidr {
  const [address, prefix] = text.split('/') as [string, string];
  const v4 = parseIpv4(address);
  const bits = v4 === undefined ? 128 : 32;
  const base = v4 ?? parseIpv6(address);
  if (base === undefined) throw new Error(`not a CIDR range: ${text}`);
  return { bits, base, prefix: Number(prefix) };
}

const within = (value: bigint, bits: 32 | 128, range: Cidr): boolean =>
  range.bits === bits && value >> BigInt(bits - range.prefix) === range.base >> BigInt(bits - range.prefix);

const v4Blocked = nonPublicIpv4Ranges.map(cidr);
const v6Public = cidr(publicIpv6Range);
const v6Blocked = nonPublicIpv6Ranges.map(cidr);

/**
 * Why an IP address (IPv4 dotted decimal or IPv6, as a resolver returns them) is not a public
 * address, or undefined when it is. Unparseable text is not public.
 */
export function nonPublicAddress(address: string): string | undefined {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) {
    const range = nonPublicIpv4Ranges.find((_, k) => within(v4, 32, v4Blocked[k]!));
    return range ? `${address} is in ${range}, not a public address` : undefined;
  }
  const v6 = parseIpv6(address);
  if (v6 === undefined) return `${address} is not an IP address`;
  if (!within(v6, 128, v6Public)) return `${address} is outside ${publicIpv6Range} (global unicast), not a public address`;
  const range = nonPublicIpv6Ranges.find((_, k) => within(v6, 128, v6Blocked[k]!));
  return range ? `${address} is in ${range}, not a public address` : undefined;
}
