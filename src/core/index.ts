import type { Analysis, AnalysisWarning, Hop, MessageSummary, TlsRequired } from './types';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { fieldValues, indexFields, splitHeaderSection, type FieldIndex } from './headers/split';
import { decodeEncodedWords } from './headers/encoded-words';
import { parseReceived } from './received/parse';
import { judgeHop } from './tls/judge';
import { chainVerdict, hopDelays } from './verdict';
import { parseAuthenticationResults, parseReceivedSpf } from './auth/authentication-results';
import { decodeMicrosoftHeaders } from './auth/microsoft';
import { collapseWhitespace, decodeUtf8 } from './text';

export type * from './types';
export { DEFAULT_LIMITS, type Limits } from './limits';
export { TLS_RULES, type TlsRule } from './tls/rules';
export { displayVersion, normalizeTlsVersion } from './tls/judge';
export { hopRoute } from './verdict';

export interface AnalyzeOptions {
  /** Override any of the default limits (see limits.ts for what each one defends against). */
  limits?: Partial<Limits>;
}

/**
 * Analyzes the header section of a message: a whole .eml or just its headers, as text or bytes.
 * Never throws on any input: problems are reported in `warnings`.
 */
export function analyzeHeaders(raw: string | Uint8Array, options: AnalyzeOptions = {}): Analysis {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const warnings: AnalysisWarning[] = [];
  let text: string;
  if (typeof raw === 'string') {
    text = raw;
  } else {
    // Decode no more than the limit allows (4 bytes per character at most in UTF-8).
    const bytes =
      raw.length > limits.maxHeaderChars * 4 ? raw.subarray(0, limits.maxHeaderChars * 4) : raw;
    const decoded = decodeUtf8(bytes);
    text = decoded.text;
    if (!decoded.valid) {
      warnings.push({
        code: 'invalid-utf8',
        message: 'Some bytes were not valid UTF-8 and are shown as �.',
      });
    }
  }

  const split = splitHeaderSection(text, limits);
  warnings.push(...split.warnings);
  const index = indexFields(split.fields);
  /** Values of the related (non-Received) fields, each cut at maxFieldChars with a warning. */
  const bounded = (name: string): string[] =>
    fieldValues(index, name).map((value) => {
      if (value.length <= limits.maxFieldChars) return value;
      warnings.push({
        code: 'field-too-long',
        message: `A ${name} field is longer than ${limits.maxFieldChars} characters; only its start was read.`,
      });
      return value.slice(0, limits.maxFieldChars);
    });
  const first = (name: string): string | undefined => bounded(name)[0];

  const hops = buildHops(index, limits, warnings);
  return {
    schemaVersion: 1,
    hops,
    verdict: chainVerdict(hops),
    summary: summarize(first),
    authentication: [
      ...bounded('Authentication-Results').map((v) =>
        parseAuthenticationResults(v, 'Authentication-Results'),
      ),
      ...bounded('ARC-Authentication-Results').map((v) =>
        parseAuthenticationResults(v, 'ARC-Authentication-Results'),
      ),
    ],
    receivedSpf: bounded('Received-SPF').map(parseReceivedSpf),
    microsoft: decodeMicrosoftHeaders(first),
    tlsRequired: tlsRequired(first('TLS-Required')),
    warnings,
    fieldCount: split.fields.length,
  };
}

function buildHops(fields: FieldIndex, limits: Limits, warnings: AnalysisWarning[]): Hop[] {
  let received = [...fieldValues(fields, 'Received')];
  if (received.length === 0) {
    if (fields.size > 0) {
      warnings.push({
        code: 'no-received',
        message:
          'There are no Received fields. Outlook shows them under File › Properties › Internet headers; copy that whole box.',
      });
    }
    return [];
  }
  if (received.length > limits.maxReceived) {
    warnings.push({
      code: 'too-many-received',
      message: `Only the ${limits.maxReceived} Received fields nearest the mailbox were read; older ones were ignored.`,
    });
    received = received.slice(0, limits.maxReceived);
  }
  // Each relay prepends its Received field (RFC 5321 §4.4), so the bottom-most is the origin.
  const originFirst = [...received].reverse();
  const hops: Hop[] = originFirst.map((value, index) => {
    let text = value.trim();
    if (text.length > limits.maxFieldChars) {
      text = text.slice(0, limits.maxFieldChars);
      warnings.push({
        code: 'field-too-long',
        message: `Received field ${index + 1} is longer than ${limits.maxFieldChars} characters; only its start was read.`,
        hop: index,
      });
    }
    const parsed = parseReceived(text, limits.maxCommentDepth);
    if (parsed.commentTooDeep) {
      warnings.push({
        code: 'comment-too-deep',
        message: `Received field ${index + 1} nests comments more than ${limits.maxCommentDepth} deep.`,
        hop: index,
      });
    }
    if (parsed.from === null && parsed.by === null) {
      warnings.push({
        code: 'unparsable-received',
        message: `Received field ${index + 1} names neither a sending nor a receiving host.`,
        hop: index,
      });
    }
    if (parsed.date === null) {
      warnings.push({
        code: 'missing-date',
        message: `Received field ${index + 1} has no date.`,
        hop: index,
      });
    } else if (parsed.date.epochMs === null) {
      warnings.push({
        code: 'unparsable-date',
        message: `The date of Received field ${index + 1} ("${parsed.date.raw}") could not be read.`,
        hop: index,
      });
    }
    return {
      index,
      raw: text,
      from: parsed.from,
      by: parsed.by,
      with: parsed.with,
      protocol: parsed.protocol,
      via: parsed.via,
      id: parsed.id,
      for: parsed.for,
      date: parsed.date,
      comments: parsed.comments,
      tls: judgeHop(parsed),
      delaySeconds: null,
      clockSkew: false,
    };
  });
  const delays = hopDelays(hops.map((h) => h.date?.epochMs ?? null));
  hops.forEach((hop, i) => {
    hop.delaySeconds = delays[i] ?? null;
    if (hop.delaySeconds !== null && hop.delaySeconds < 0) {
      hop.clockSkew = true;
      warnings.push({
        code: 'clock-skew',
        message: `Hop ${i + 1} is dated ${-hop.delaySeconds} s before hop ${i}: the two servers' clocks disagree.`,
        hop: i,
      });
    }
  });
  return hops;
}

function summarize(first: (name: string) => string | undefined): MessageSummary {
  const decoded = (name: string): string | null => {
    const value = first(name);
    return value === undefined ? null : collapseWhitespace(decodeEncodedWords(value));
  };
  const plain = (name: string): string | null => {
    const value = first(name);
    return value === undefined ? null : collapseWhitespace(value);
  };
  return {
    subject: decoded('Subject'),
    from: decoded('From'),
    to: decoded('To'),
    cc: decoded('Cc'),
    date: plain('Date'),
    messageId: plain('Message-ID'),
  };
}

/** RFC 8689 §5: "TLS-Required: No" asks relays to deliver even where TLS policy would refuse. */
function tlsRequired(value: string | undefined): TlsRequired | null {
  if (value === undefined) return null;
  const trimmed = collapseWhitespace(value);
  return {
    value: trimmed,
    explanation:
      trimmed.toLowerCase() === 'no'
        ? 'The sender asked relays to ignore TLS requirements (MTA-STS, DANE) for this message (RFC 8689 TLS-Required: No), so cleartext hops may be by request.'
        : `TLS-Required has the value "${trimmed}", which RFC 8689 does not define (only "No" is defined).`,
  };
}
export { renderAnalysis, formatSeconds, printable } from './report';
