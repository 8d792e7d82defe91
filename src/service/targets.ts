import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The live check is not a scanner: it connects only to public unicast addresses, unless the
 * operator allows more (a lab, the tests). Special-purpose ranges from the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890 and updates).
 */
const special = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network" (RFC 791)
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared / CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254 (RFC 3927)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments (RFC 6890)
  ['192.0.2.0', 24], // documentation (RFC 5737)
  ['192.88.99.0', 24], // 6to4 relay anycast (RFC 7526)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking (RFC 2544)
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  special.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard-only (RFC 6666)
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation (RFC 3849)
  ['fc00::', 7], // unique local (RFC 4193)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  special.addSubnet(network, prefix, 'ipv6');
}

/**
 * The addresses one check may connect to: public unicast ones, plus the networks the operator
 * allows (an internal relay checked from inside), or every address in a lab (allowPrivate).
 */
export function targetGuard(options: {
  allowPrivate?: boolean;
  allowedNetworks?: readonly string[];
}): (ip: string) => boolean {
  if (options.allowPrivate) return (ip) => isIPv4(ip) || isIPv6(ip);
  const allowed = new BlockList();
  for (const text of options.allowedNetworks ?? []) {
    const network = parseNetwork(text);
    if (network === null) throw new RangeError(`"${text}" is not a network such as 10.1.0.0/16.`);
    allowed.addSubnet(network.address, network.prefix, network.family);
  }
  return (ip) =>
    isPublicUnicast(ip) ||
    (isIPv4(ip) && allowed.check(ip, 'ipv4')) ||
    (isIPv6(ip) && allowed.check(ip, 'ipv6'));
}

/** "10.1.0.0/16", "fd00::/8" or a single address; null when not one. */
export function parseNetwork(
  text: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (family === null) return null;
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) return null;
  return { address, prefix, family };
}

/** Whether the live check may connect to this address without explicit permission. */
export function isPublicUnicast(ip: string): boolean {
  if (isIPv4(ip)) return !special.check(ip, 'ipv4');
  if (!isIPv6(ip)) return false;
  const embedded = embeddedIpv4(ip);
  if (embedded !== null) return isPublicUnicast(embedded);
  return !special.check(ip, 'ipv6');
}

/**
 * The IPv4 address inside IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96, RFC 6052) and
 * 6to4 (2002:AABB:CCDD::/48, RFC 3056) addresses, which reach that IPv4 host.
 */
function embeddedIpv4(ip: string): string | null {
  const words = ipv6Words(ip);
  if (words === null) return null;
  const last32 = (high: number, low: number) =>
    `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const [w0, w1, w2, w3, w4, w5, w6, w7] = words as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0xffff)
    return last32(w6, w7);
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0)
    return last32(w6, w7);
  if (w0 === 0x2002) return last32(w1, w2);
  return null;
}

/** The eight 16-bit words of an IPv6 address (dotted IPv4 tails allowed), or null. */
export function ipv6Words(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headWords = head === '' ? [] : head.split(':');
  const tailWords = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headWords.length - tailWords.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const words = [
    ...headWords,
    ...new Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailWords,
  ];
  return words.map((word) => parseInt(word, 16));
}
