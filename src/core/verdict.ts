import type { ChainVerdict, Hop, TlsStatus, TlsVersion } from './types';
import { compareTlsVersions, displayVersion } from './tls/judge';

/**
 * Seconds between consecutive hops (origin first). A hop whose own date or whose predecessor's
 * date is missing gets null; a negative delay means the two relays' clocks disagree.
 */
export function hopDelays(dates: readonly (number | null)[]): (number | null)[] {
  return dates.map((ms, i) => {
    if (i === 0 || ms === null) return null;
    const previous = dates[i - 1];
    return previous === null || previous === undefined ? null : Math.round((ms - previous) / 1000);
  });
}

/** Seconds from the first dated hop to the last dated hop, or null when fewer than two dates. */
export function totalTransitSeconds(dates: readonly (number | null)[]): number | null {
  const known = dates.filter((d): d is number => d !== null);
  const first = known[0];
  const last = known[known.length - 1];
  return known.length >= 2 && first !== undefined && last !== undefined
    ? Math.round((last - first) / 1000)
    : null;
}

/** How a hop is named in sentences: "mail.example.org → mx.example.com". */
export function hopRoute(hop: Hop): string {
  const from = hop.from?.reverseDns ?? hop.from?.name ?? hop.from?.ip ?? 'an unnamed host';
  const by = hop.by?.name ?? hop.by?.ip ?? 'an unnamed host';
  return `${from} → ${by}`;
}

/** People count hops from 1; JSON indexes from 0. */
const hopNumber = (index: number): number => index + 1;

/**
 * The chain verdict. Internal hand-offs are left out; of the relay hops that remain:
 * all "tls" → encrypted; any "none" → partially-encrypted (some tls) or not-encrypted (no tls);
 * otherwise any "unknown" → unknown. No relay hops at all → unknown.
 */
export function chainVerdict(hops: readonly Hop[]): ChainVerdict {
  const counts: Record<TlsStatus, number> = { tls: 0, none: 0, internal: 0, unknown: 0 };
  let weakest: TlsVersion | null = null;
  let strongest: TlsVersion | null = null;
  let tlsWithoutVersion = 0;
  const weakHops: number[] = [];
  for (const hop of hops) {
    counts[hop.tls.status]++;
    if (hop.tls.status !== 'tls') continue;
    if (hop.tls.weaknesses.length > 0) weakHops.push(hop.index);
    const version = hop.tls.version;
    if (version === null) {
      tlsWithoutVersion++;
      continue;
    }
    if (weakest === null || compareTlsVersions(version, weakest) < 0) weakest = version;
    if (strongest === null || compareTlsVersions(version, strongest) > 0) strongest = version;
  }
  const firstCleartext = hops.find((h) => h.tls.status === 'none');
  const { status, sentence } = statusAndSentence(hops, counts, firstCleartext, {
    range: versionRange(weakest, strongest, tlsWithoutVersion),
    weakNote: weakNoteFor(hops, weakHops),
  });
  return {
    status,
    firstCleartextHop: firstCleartext?.index ?? null,
    weakestVersion: weakest,
    strongestVersion: strongest,
    counts,
    weakHops,
    totalTransitSeconds: totalTransitSeconds(hops.map((h) => h.date?.epochMs ?? null)),
    sentence,
  };
}

function statusAndSentence(
  hops: readonly Hop[],
  counts: Record<TlsStatus, number>,
  firstCleartext: Hop | undefined,
  { range, weakNote }: { range: string; weakNote: string },
): Pick<ChainVerdict, 'status' | 'sentence'> {
  const relayCount = hops.length - counts.internal;
  if (hops.length === 0) {
    return {
      status: 'unknown',
      sentence:
        'No Received fields were found, so the route of this message cannot be checked. Paste the full internet headers.',
    };
  }
  if (relayCount === 0) {
    return {
      status: 'unknown',
      sentence: `All ${plural(hops.length, 'hop')} were hand-offs inside one system; no transfer between mail servers was recorded.`,
    };
  }
  if (firstCleartext !== undefined) {
    const where = `hop ${hopNumber(firstCleartext.index)} (${hopRoute(firstCleartext)})`;
    if (counts.tls > 0) {
      const more = counts.none > 1 ? ` and ${plural(counts.none - 1, 'other hop')}` : '';
      return {
        status: 'partially-encrypted',
        sentence: `Not encrypted on ${where}${more}; ${counts.tls} of ${plural(relayCount, 'relay hop')} used TLS${range}.${weakNote}`,
      };
    }
    return {
      status: 'not-encrypted',
      sentence: `Not encrypted: none of the ${plural(relayCount, 'relay hop')} shows TLS, starting at ${where}.`,
    };
  }
  if (counts.unknown > 0) {
    const rest = counts.tls > 0 ? `; the other ${counts.tls} used TLS${range}` : '';
    return {
      status: 'unknown',
      sentence: `Unknown: ${counts.unknown} of ${plural(relayCount, 'relay hop')} do not say whether TLS was used${rest}.${weakNote}`,
    };
  }
  return {
    status: 'encrypted',
    sentence: `Encrypted on all ${plural(relayCount, 'relay hop')}${range}.${weakNote}`,
  };
}

function versionRange(
  weakest: TlsVersion | null,
  strongest: TlsVersion | null,
  withoutVersion: number,
): string {
  const parts: string[] = [];
  if (weakest !== null && strongest !== null) {
    parts.push(
      weakest === strongest
        ? displayVersion(weakest)
        : `${displayVersion(weakest)}–${displayVersion(strongest).replace(/^(TLS|SSL) /, '')}`,
    );
  }
  if (withoutVersion > 0 && parts.length > 0) {
    parts.push(`${plural(withoutVersion, 'hop')} without a stated version`);
  }
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function weakNoteFor(hops: readonly Hop[], weakHops: readonly number[]): string {
  const first = weakHops[0];
  if (first === undefined) return '';
  const hop = hops[first] as Hop;
  const what = hop.tls.weaknesses[0]?.message ?? '';
  const others = weakHops.length > 1 ? ` (and ${plural(weakHops.length - 1, 'more hop')})` : '';
  return ` Weak encryption on hop ${hopNumber(first)}${others}: ${what}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
