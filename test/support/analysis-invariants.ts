import { analyzeHeaders, type Analysis } from '../../src/core';

const STATUSES = new Set(['tls', 'none', 'internal', 'unknown']);
const CHAIN = new Set(['encrypted', 'partially-encrypted', 'not-encrypted', 'unknown']);

/**
 * What every Analysis must satisfy, whatever the input: the broken ones, as sentences (empty
 * when all hold). Plain code rather than expect(), so that the fuzzer can run it outside jest.
 */
export function invariantViolations(a: Analysis): string[] {
  const broken: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) broken.push(what);
  };
  need(CHAIN.has(a.verdict.status), `unknown chain status ${a.verdict.status}`);
  need(a.verdict.sentence.length > 0, 'the verdict has no sentence');
  a.hops.forEach((hop, i) => {
    need(hop.index === i, `hop ${i} has index ${hop.index}`);
    need(STATUSES.has(hop.tls.status), `hop ${i} has status ${hop.tls.status}`);
    if (hop.tls.evidence !== null)
      need(hop.raw.includes(hop.tls.evidence), `hop ${i}: the evidence is not in the field`);
    // Evidence, not guesses: a TLS claim always names its rule and evidence.
    if (hop.tls.status === 'tls') {
      need(hop.tls.rule !== null, `hop ${i} claims TLS without a rule`);
      need(hop.tls.evidence !== null, `hop ${i} claims TLS without evidence`);
    }
    if (hop.delaySeconds !== null)
      need(hop.clockSkew === hop.delaySeconds < 0, `hop ${i}: clockSkew disagrees with the delay`);
  });
  const cleartext = a.hops.find((h) => h.tls.status === 'none');
  need(
    a.verdict.firstCleartextHop === (cleartext?.index ?? null),
    'firstCleartextHop is not the first cleartext hop',
  );
  if (a.verdict.status === 'encrypted')
    need(
      a.hops.some((h) => h.tls.status === 'tls'),
      'an encrypted verdict without one TLS hop',
    );
  try {
    JSON.stringify(a);
  } catch {
    broken.push('the analysis is not JSON');
  }
  return broken;
}

/** What two analyses of the same message must agree on. */
function summary(input: string | Uint8Array): string {
  const analysis = analyzeHeaders(input);
  return JSON.stringify({
    verdict: analysis.verdict.status,
    first: analysis.verdict.firstCleartextHop,
    hops: analysis.hops.map((hop) => [hop.tls.status, hop.tls.rule, hop.from, hop.by]),
  });
}

/**
 * Ways the same message may arrive: again (no state kept between calls), as UTF-8 bytes instead
 * of text, with LF instead of CRLF line ends (pastes differ from Outlook's API), and with a body
 * after the header section.
 */
export const AGREEMENT_VARIANTS = ['again', 'bytes', 'lf', 'body'] as const;

/** How the variant's answer differs from the original's, or null when they agree. */
export function agreementViolation(
  input: string,
  variant: (typeof AGREEMENT_VARIANTS)[number],
): string | null {
  const header = input.split(/\r?\n\r?\n/)[0] ?? '';
  // A body only counts as one after a first field (lines before it are skipped as junk).
  if (variant === 'body' && !/^[!-9;-~]+:/.test(input)) return null;
  const reference = summary(variant === 'body' ? header : input);
  const actual =
    variant === 'again'
      ? summary(input)
      : variant === 'bytes'
        ? summary(new TextEncoder().encode(input))
        : variant === 'lf'
          ? summary(input.replace(/\r\n/g, '\n'))
          : summary(`${header}\r\n\r\nReceived: from body.example by body.example with SMTP\r\n`);
  return actual === reference ? null : `${variant}: ${reference} became ${actual}`;
}
