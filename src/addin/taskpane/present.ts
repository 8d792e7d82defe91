import { displayVersion, formatSeconds, type Analysis, type Hop } from '../../core';

/**
 * Presentation decisions for the pane, as plain data (no React): what each badge says and how
 * alarming it looks. Colour never carries meaning alone — every badge has words.
 */

export type Tone = 'success' | 'warning' | 'danger' | 'informative' | 'subtle';

export interface TlsBadge {
  label: string;
  tone: Tone;
}

export function tlsBadge(hop: Hop): TlsBadge {
  const { tls } = hop;
  switch (tls.status) {
    case 'tls': {
      const version = tls.version ? displayVersion(tls.version) : 'TLS';
      if (tls.weaknesses.length > 0) return { label: `Weak ${version}`, tone: 'warning' };
      return { label: version, tone: 'success' };
    }
    case 'none':
      return { label: 'Not encrypted', tone: 'danger' };
    case 'internal':
      return { label: 'Internal', tone: 'informative' };
    case 'unknown':
      return { label: 'Unknown', tone: 'subtle' };
  }
}

export type VerdictIntent = 'success' | 'warning' | 'error' | 'info';

export interface VerdictView {
  title: string;
  intent: VerdictIntent;
  sentence: string;
}

export function verdictView(analysis: Analysis): VerdictView {
  const { verdict } = analysis;
  const sentence = verdict.sentence;
  switch (verdict.status) {
    case 'encrypted':
      return verdict.weakHops.length > 0
        ? { title: 'Encrypted, but weakly on some hops', intent: 'warning', sentence }
        : { title: 'Encrypted on every hop', intent: 'success', sentence };
    case 'partially-encrypted':
      return { title: 'Not encrypted on every hop', intent: 'warning', sentence };
    case 'not-encrypted':
      return { title: 'Not encrypted', intent: 'error', sentence };
    case 'unknown':
      return { title: 'Encryption unknown', intent: 'info', sentence };
  }
}

/** "+2 s", "—" when unknown, with the clock-skew note where the clocks disagree. */
export function delayText(hop: Hop): string {
  if (hop.delaySeconds === null) return hop.index === 0 ? 'origin' : 'delay unknown';
  const text = `+${formatSeconds(hop.delaySeconds)}`.replace('+-', '−');
  return hop.clockSkew ? `${text} (clocks disagree)` : text;
}

/** The hop's unfolded field cut around its evidence, so the pane can highlight it as text. */
export function evidenceParts(hop: Hop): { before: string; evidence: string; after: string } {
  const evidence = hop.tls.evidence;
  const at = evidence ? hop.raw.indexOf(evidence) : -1;
  if (evidence === null || at < 0) return { before: hop.raw, evidence: '', after: '' };
  return {
    before: hop.raw.slice(0, at),
    evidence,
    after: hop.raw.slice(at + evidence.length),
  };
}

/** The Authentication-Results the receiving organisation wrote: the top-most one. */
export function mailboxAuthentication(analysis: Analysis) {
  return analysis.authentication.find((a) => a.header === 'Authentication-Results') ?? null;
}

const AUTH_TONES: Readonly<Record<string, Tone>> = {
  pass: 'success',
  bestguesspass: 'success',
  fail: 'danger',
  softfail: 'warning',
  permerror: 'danger',
  temperror: 'warning',
  neutral: 'subtle',
  none: 'subtle',
  policy: 'warning',
  softpass: 'success',
};

export function authTone(result: string): Tone {
  return AUTH_TONES[result] ?? 'subtle';
}

/** The domain of the first address in a From value or an address: "A <a@x.org>" → "x.org". */
export function senderDomain(value: string | null | undefined): string | null {
  const match = /@([^\s<>@,;"()[\]]+\.[^\s<>@,;"()[\].]+)/.exec(value ?? '');
  return match?.[1]?.toLowerCase() ?? null;
}
