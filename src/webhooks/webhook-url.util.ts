import { isIP } from 'node:net';

import ipaddr from 'ipaddr.js';

/** Where outbound webhooks may go (SSRF rules), compiled once from the configuration. */
export interface AddressPolicy {
  /** Hostnames allowed whatever they resolve to (lower case, no trailing dot). */
  readonly hosts: ReadonlySet<string>;
  /** Addresses and ranges allowed although private. */
  readonly ranges: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];
}

export interface UrlPolicy extends AddressPolicy {
  /** http:// accepted (development, tests, WEBHOOK_ALLOW_HTTP). */
  readonly allowHttp: boolean;
}

export const MAX_URL_LENGTH = 2048;

/** Entries of WEBHOOK_ALLOWED_PRIVATE_HOSTS (normalized by the config) as a policy. */
export function compileUrlPolicy({
  allowHttp,
  allowedPrivateHosts,
}: {
  allowHttp: boolean;
  allowedPrivateHosts: readonly string[];
}): UrlPolicy {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of allowedPrivateHosts) {
    if (entry.includes('/')) ranges.push(ipaddr.parseCIDR(entry));
    else if (isIP(entry) !== 0) {
      const address = ipaddr.process(entry);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(entry.toLowerCase().replace(/\.$/, ''));
  }
  return { allowHttp, hosts, ranges };
}

const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');

/** The IPv4 address an IPv6 one carries (mapped, translated, NAT64 well-known prefix, 6to4). */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || address.match(NAT64))
    return new ipaddr.IPv4(bytes.slice(12, 16));
  if (address.match(SIX_TO_FOUR)) return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/**
 * The special-purpose range of an address as ipaddr.js names it (`unicast` for a public one),
 * judging an IPv4 address carried inside an IPv6 one by the IPv4 address. The deprecated
 * IPv4-compatible block (::/96) is `ipv4Compatible`.
 */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range();
  const v6 = parsed as ipaddr.IPv6;
  const inner = embeddedIPv4(v6);
  if (inner) return inner.range();
  const range = v6.range();
  if (
    range === 'unicast' &&
    v6
      .toByteArray()
      .slice(0, 12)
      .every((byte) => byte === 0)
  )
    return 'ipv4Compatible';
  return range;
}

function allowedByPolicy(address: string, policy: AddressPolicy, hostname?: string): boolean {
  if (hostname !== undefined && policy.hosts.has(normalHostname(hostname))) return true;
  if (policy.ranges.length === 0) return false;
  const parsed = ipaddr.process(address);
  return policy.ranges.some(
    ([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits),
  );
}

/**
 * The range that keeps a webhook from connecting to this address (as ipaddr.js names it, or
 * `invalid`), or null when it may connect: a public unicast address, or one the configuration
 * allows (by the hostname asked for, or by address or range). Everything else is refused:
 * loopback, private, link-local (cloud metadata at 169.254.169.254), unique-local, carrier-grade
 * NAT, multicast, reserved, unspecified, and the IPv6 forms of them.
 */
export function refusedRange(
  address: string,
  policy: AddressPolicy,
  hostname?: string,
): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  const range = addressRange(address);
  if (range === 'unicast' || allowedByPolicy(address, policy, hostname)) return null;
  return range;
}

function normalHostname(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/**
 * What is wrong with a webhook URL before any DNS lookup, or null: an absolute http(s) URL
 * (https only unless the policy allows http), no credentials or fragment, at most
 * MAX_URL_LENGTH characters, and no literal address or local name the policy refuses. Names are
 * checked again, resolved, when each delivery connects.
 */
export function webhookUrlProblem(raw: string, policy: UrlPolicy): string | null {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  if (url.protocol === 'http:' && !policy.allowHttp) return 'must use https';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.hash !== '') return 'must not contain a fragment';
  const host = normalHostname(url.hostname);
  if (host === '') return 'must name a host';
  if (isIP(host) !== 0) {
    const range = refusedRange(host, policy, host);
    return range === null ? null : `must not point at a non-public address (${host}: ${range})`;
  }
  if ((host === 'localhost' || host.endsWith('.localhost')) && !policy.hosts.has(host))
    return 'must not point at the local host';
  return null;
}

/** The host to resolve (IPv6 literals without brackets, no trailing dot). */
export function hostOf(url: URL): string {
  return normalHostname(url.hostname);
}
