/**
 * IP address literals as MTAs write them in Received fields: "1.2.3.4", "[1.2.3.4]",
 * "[IPv6:2001:db8::1]" (RFC 5321 §4.1.3), "::ffff:1.2.3.4", "fe80::1%4" (zone ids from Exchange),
 * with or without a ":port" (Exim, ecelerity) suffix. Parsing is by hand and linear.
 */

/** Returns the canonical form of an IPv4 or IPv6 address, or null when the text is not one. */
export function parseIp(text: string): string | null {
  let candidate = text.trim();
  if (candidate.startsWith('[') && candidate.endsWith(']')) candidate = candidate.slice(1, -1);
  if (candidate.length > 5 && candidate.charCodeAt(4) === COLON && IPV6_TAG.test(candidate)) {
    candidate = candidate.slice(5);
  }
  const percent = candidate.indexOf('%');
  if (percent >= 0) candidate = candidate.slice(0, percent);
  return parseIpv4(candidate) ?? parseIpv6(candidate);
}

const IPV6_TAG = /^ipv6:/i;

/** Like parseIp, but also accepts a trailing ":port" on IPv4 ("63.146.189.86:23198"). */
export function parseIpWithPort(text: string): string | null {
  const direct = parseIp(text);
  if (direct !== null) return direct;
  let candidate = text.trim();
  if (candidate.startsWith('[')) {
    const close = candidate.indexOf(']');
    // "[192.0.2.1]:25" (port outside) or "[192.0.2.1:33672]" (ecelerity, port inside).
    if (close > 0 && /^:\d{1,5}$/.test(candidate.slice(close + 1))) {
      return parseIp(candidate.slice(0, close + 1));
    }
    if (close === candidate.length - 1) candidate = candidate.slice(1, -1);
  }
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(candidate);
  candidate = match?.[1] ?? '';
  return candidate ? parseIpv4(candidate) : null;
}

const LEADING_ZERO = /(?:^|\.)0\d/;

export function parseIpv4(text: string): string | null {
  // By hand: this runs on many words of every Received field.
  if (text.length < 7 || text.length > 15) return null;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return null;
      octet = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return null;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  // Canonical form drops leading zeros ("010.1.1.1" → "10.1.1.1"); most addresses have none.
  if (!LEADING_ZERO.test(text)) return text;
  return text
    .split('.')
    .map((part) => String(Number(part)))
    .join('.');
}

/**
 * RFC 4291 §2.2 text forms in; RFC 5952 canonical text out (dotted tail kept for v4-mapped).
 * One pass by hand: Exchange Online writes an IPv6 address on most of its hops.
 */
export function parseIpv6(text: string): string | null {
  const length = text.length;
  if (length < 2 || length > 45) return null;
  const hextets: number[] = [];
  let gapAt = -1;
  let v4Tail: number[] | null = null;
  let i = 0;
  if (text.charCodeAt(0) === COLON) {
    if (text.charCodeAt(1) !== COLON) return null;
    gapAt = 0;
    i = 2;
  }
  while (i < length) {
    const groupStart = i;
    let value = 0;
    while (i < length && i - groupStart < 5) {
      const digit = hexValue(text.charCodeAt(i));
      if (digit < 0) break;
      value = value * 16 + digit;
      i++;
    }
    const digits = i - groupStart;
    if (i < length && text.charCodeAt(i) === DOT) {
      // An embedded IPv4 tail ("::ffff:192.0.2.1") ends the address.
      if (hextets.length > 6) return null;
      const v4 = parseIpv4(text.slice(groupStart));
      if (v4 === null) return null;
      v4Tail = v4.split('.').map(Number);
      break;
    }
    if (digits === 0 || digits > 4) return null;
    hextets.push(value);
    if (i === length) break;
    if (text.charCodeAt(i) !== COLON) return null;
    i++;
    if (i < length && text.charCodeAt(i) === COLON) {
      if (gapAt >= 0) return null;
      gapAt = hextets.length;
      i++;
    } else if (i === length) return null;
  }
  const groupCount = hextets.length + (v4Tail ? 2 : 0);
  if (gapAt < 0 ? groupCount !== 8 : groupCount > 7) return null;
  if (gapAt < 0) return formatIpv6(hextets, v4Tail);
  const full = hextets.slice(0, gapAt);
  for (let k = groupCount; k < 8; k++) full.push(0);
  for (let k = gapAt; k < hextets.length; k++) full.push(hextets[k] as number);
  return formatIpv6(full, v4Tail);
}

const COLON = 0x3a;
const DOT = 0x2e;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** RFC 5952 text of eight hextets; with a v4 tail, only the first six are written in hex. */
function formatIpv6(hextets: readonly number[], v4Tail: readonly number[] | null): string {
  const count = v4Tail ? 6 : 8;
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < count;) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < count && hextets[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  let text = '';
  for (let i = 0; i < count; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += (hextets[i] as number).toString(16);
  }
  if (v4Tail) text += (text.endsWith(':') ? '' : ':') + v4Tail.join('.');
  return text;
}
