/**
 * IP address literals as MTAs write them in Received fields: "1.2.3.4", "[1.2.3.4]",
 * "[IPv6:2001:db8::1]" (RFC 5321 §4.1.3), "::ffff:1.2.3.4", "fe80::1%4" (zone ids from Exchange),
 * with or without a ":port" (Exim, ecelerity) suffix. Parsing is by hand and linear.
 */

/** Returns the canonical form of an IPv4 or IPv6 address, or null when the text is not one. */
export function parseIp(text: string): string | null {
  let candidate = text.trim();
  if (candidate.startsWith('[') && candidate.endsWith(']')) candidate = candidate.slice(1, -1);
  if (/^ipv6:/i.test(candidate)) candidate = candidate.slice(5);
  const percent = candidate.indexOf('%');
  if (percent >= 0) candidate = candidate.slice(0, percent);
  return parseIpv4(candidate) ?? parseIpv6(candidate);
}

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
  // Canonical form drops leading zeros ("010.1.1.1" → "10.1.1.1").
  return text
    .split('.')
    .map((part) => String(Number(part)))
    .join('.');
}

/** RFC 4291 §2.2 text forms in; RFC 5952 canonical text out (dotted tail kept for v4-mapped). */
export function parseIpv6(text: string): string | null {
  if (!text.includes(':') || text.length > 45) return null;
  let head = text;
  let v4Tail: number[] | null = null;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === null) return null;
    v4Tail = v4.split('.').map(Number);
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const doubleColon = head.indexOf('::');
  if (doubleColon !== head.lastIndexOf('::')) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return null;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  let hextets: number[];
  if (doubleColon >= 0) {
    const left = parseGroups(head.slice(0, doubleColon));
    const right = parseGroups(head.slice(doubleColon + 2));
    if (left === null || right === null || left.length + right.length > 7) return null;
    hextets = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseGroups(head);
    if (all === null || all.length !== 8) return null;
    hextets = all;
  }
  return formatIpv6(hextets, v4Tail);
}

function formatIpv6(hextets: number[], v4Tail: number[] | null): string {
  const groups = v4Tail ? hextets.slice(0, 6) : hextets;
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  let text: string;
  if (bestStart < 0) text = hex.join(':');
  else {
    const left = hex.slice(0, bestStart).join(':');
    const right = hex.slice(bestStart + bestLength).join(':');
    text = `${left}::${right}`;
  }
  if (v4Tail) text += (text.endsWith(':') ? '' : ':') + v4Tail.join('.');
  return text;
}
