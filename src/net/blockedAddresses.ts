// The addresses an outgoing request of the service must not reach unless an operator allows the
// host: the machine itself, the networks around it, and ranges that are not the public internet
// (IANA's special-purpose registries, RFC 6890 and its updates). Matched with node's BlockList,
// which also matches an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against the IPv4 ranges.
import { BlockList, isIP } from 'node:net';

type Range = readonly [network: string, prefix: number];

const KINDS: ReadonlyArray<readonly [kind: string, v4: readonly Range[], v6: readonly Range[]]> = [
  ['a loopback address', [['127.0.0.0', 8]], [['::1', 128]]],
  ['an unspecified address', [['0.0.0.0', 8]], [['::', 128]]],
  ['a private address', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]], [['64:ff9b:1::', 48], ['fec0::', 10]]],
  ['a carrier-grade NAT address', [['100.64.0.0', 10]], []],
  ['a link-local address', [['169.254.0.0', 16]], [['fe80::', 10]]],
  ['a unique-local address', [], [['fc00::', 7]]],
  ['a multicast address', [['224.0.0.0', 4]], [['ff00::', 8]]],
  ['the broadcast address', [['255.255.255.255', 32]], []],
  ['a documentation address', [['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24]], [['2001:db8::', 32], ['3fff::', 20]]],
  ['a benchmarking address', [['198.18.0.0', 15]], [['2001:2::', 48]]],
  // Protocol assignments, the old 6to4 relay, class E; Teredo and 6to4, which tunnel to IPv4 hosts.
  ['a reserved address', [['192.0.0.0', 24], ['192.88.99.0', 24], ['240.0.0.0', 4]], [['2001::', 23], ['2002::', 16]]],
];

function blockList(v4: readonly Range[], v6: readonly Range[]): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

const LISTS = KINDS.map(([kind, v4, v6]) => [kind, blockList(v4, v6)] as const);

// Outside 2000::/3 IPv6 holds no public unicast address: a mapped public IPv4 address, NAT64 and
// anything not yet assigned are refused as well (an operator lists such a host if it needs one).
const GLOBAL_UNICAST_V6 = blockList([], [['2000::', 3]]);

/** Why `address` is no public destination ("a loopback address" …), or null when it is one. */
export function blockedKind(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of LISTS) if (list.check(address, type)) return kind;
  if (family === 6 && !GLOBAL_UNICAST_V6.check(address, 'ipv6')) return 'not a public IPv6 address';
  return null;
}
