// Harbor v2.15.3's SSRF guard for webhook targets (GHSA-2phj-cp9f-qq6w, fixed in v2.15.3 / v2.14.5 / v2.13.6), written
// from goharbor/harbor PR #23568 (src/lib/outbound_url.go ValidatePublicHTTPURL, validatePublicHost, validatePublicIP):
// a target whose host is a local name (localhost, *.local, *.internal, *.svc, *.cluster.local) or an address that is not
// public (loopback, link-local, RFC 1918, CGNAT, ULA, documentation, multicast, …) is "blocked non-public host: <h>",
// unless the project's metadata `webhook_allow_private_ip` is "true". The policy API checks literal addresses (no DNS);
// jobservice checks again before each delivery, resolving the name (no rebinding to an internal address).
// UNCONFIRMED: that v2.15.3 ships exactly this PR's mechanism (the release note names an allow-private switch).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:2::', 48],
  ['2001:db8::', 32],
  ['64:ff9b:1::', 48],
  ['fec0::', 10],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.svc', '.svc.cluster.local', '.cluster.local'];

function isLocalHostname(host: string): boolean {
  return host === 'localhost' || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** An IPv4 address inside IPv6 (mapped ::ffff:a.b.c.d, or NAT64 64:ff9b::/96) is judged as IPv4. */
function embeddedIpv4(ip: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip) ?? /^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return undefined;
  const [a, b] = [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16)];
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
}

export function isPublicAddress(ip: string): boolean {
  const v4 = isIP(ip) === 4 ? ip : embeddedIpv4(ip);
  if (v4) return !blocked.check(v4, 'ipv4');
  return isIP(ip) === 6 && !blocked.check(ip, 'ipv6');
}

const hostOf = (address: string): string => {
  try {
    return new URL(address).hostname
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase();
  } catch {
    return '';
  }
};

/** The policy API's check (no DNS): the refusal message, or undefined when the target may be stored. */
export function literalTargetRefusal(address: string): string | undefined {
  const host = hostOf(address);
  if (host === '') return 'empty host';
  if (isLocalHostname(host)) return `blocked non-public host: ${host}`;
  if (isIP(host) !== 0 && !isPublicAddress(host)) return `blocked non-public host: ${host}`;
  return undefined;
}

/** Jobservice's check before a delivery: the name resolved, every address public. */
export async function deliveryTargetRefusal(address: string): Promise<string | undefined> {
  const literal = literalTargetRefusal(address);
  if (literal) return literal;
  const host = hostOf(address);
  if (isIP(host) !== 0) return undefined;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    return `failed to resolve host: ${host}`;
  }
  return addresses.some((a) => !isPublicAddress(a.address)) ? `blocked non-public host: ${host}` : undefined;
}
