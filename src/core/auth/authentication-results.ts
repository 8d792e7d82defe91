import type { AuthMethodResult, AuthenticationResults, ReceivedSpf } from '../types';
import { allMatches, collapseWhitespace } from '../text';

/**
 * Authentication-Results (RFC 8601 §2.2) and ARC-Authentication-Results (RFC 8617 §4.1.1):
 *   [i=N;] authserv-id [version] ; method=result [reason="…"] [ptype.property=value …] ; …
 * Comments in parentheses are kept as the result's comment. A value of "none" alone means no
 * authentication was done (RFC 8601 §2.2).
 */
export function parseAuthenticationResults(
  raw: string,
  header: AuthenticationResults['header'],
): AuthenticationResults {
  const statements = splitTopLevel(raw, ';');
  let instance: number | null = null;
  if (header === 'ARC-Authentication-Results') {
    const first = statements[0]?.text.trim() ?? '';
    const i = /^i\s*=\s*(\d+)$/.exec(first);
    if (i) {
      instance = Number(i[1]);
      statements.shift();
    }
  }
  // Exchange Online omits the authserv-id and starts with "spf=pass …" (RFC 8601 requires it).
  const firstWord = firstWordOf(statements[0]?.text ?? '');
  const idStatement = firstWord.includes('=') ? undefined : statements.shift();
  const authservId = idStatement ? firstWordOf(idStatement.text) || null : null;
  const results: AuthMethodResult[] = [];
  for (const statement of statements) {
    const parsed = parseResinfo(statement.text, statement.comments);
    if (parsed) results.push(parsed);
  }
  return { header, instance, authservId, results, raw: collapseWhitespace(raw) };
}

const FIRST_WORD = /^\s*(\S*)/;

function firstWordOf(text: string): string {
  return FIRST_WORD.exec(text)?.[1] ?? '';
}

interface Statement {
  text: string;
  comments: string[];
}

const QUOTE = 0x22;
const OPEN = 0x28;
const CLOSE = 0x29;

/**
 * Splits on a separator outside comments and quoted strings; comments are lifted out and leave
 * a space behind. An unclosed comment runs to the end and is dropped.
 */
function splitTopLevel(raw: string, separator: string): Statement[] {
  const separatorCode = separator.charCodeAt(0);
  const statements: Statement[] = [];
  let text = '';
  let comments: string[] = [];
  let segmentStart = 0;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    if (quoted) continue;
    if (c === OPEN) {
      text += raw.slice(segmentStart, i);
      let depth = 1;
      let j = i + 1;
      for (; j < raw.length && depth > 0; j++) {
        const d = raw.charCodeAt(j);
        if (d === OPEN) depth++;
        else if (d === CLOSE) depth--;
      }
      if (depth === 0) {
        comments.push(raw.slice(i + 1, j - 1).trim());
        text += ' ';
      }
      segmentStart = j;
      i = j - 1;
    } else if (c === separatorCode) {
      statements.push({ text: text + raw.slice(segmentStart, i), comments });
      text = '';
      comments = [];
      segmentStart = i + 1;
    }
  }
  text += raw.slice(segmentStart);
  if (text.trim() !== '' || comments.length > 0) statements.push({ text, comments });
  return statements;
}

const KEY_VALUE = /([A-Za-z][\w.-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s"]+)/g;

function parseResinfo(text: string, comments: string[]): AuthMethodResult | null {
  let method = '';
  let result = '';
  let reason: string | null = null;
  const properties: Record<string, string> = {};
  let first = true;
  for (const match of allMatches(KEY_VALUE, text)) {
    const key = (match[1] ?? '').toLowerCase();
    const quoted = match[2] ?? '';
    const value = quoted.startsWith('"') ? quoted.slice(1, -1) : quoted;
    if (first) {
      // "dkim/1=pass": a method may carry a version (RFC 8601 §2.2).
      const slash = key.indexOf('/');
      method = slash >= 0 ? key.slice(0, slash) : key;
      result = value.toLowerCase();
      first = false;
    } else if (key === 'reason') reason = value;
    else properties[key] = value;
  }
  if (first) return null;
  return {
    method,
    result,
    reason,
    comment: comments.length > 0 ? comments.join('; ') : null,
    properties,
    explanation: explainAuthResult(method, result, reason, properties),
  };
}

const RESULT_WORDS: Readonly<Record<string, string>> = {
  pass: 'passed',
  fail: 'failed',
  softfail: 'soft-failed (the domain says the server is probably not allowed)',
  neutral: 'gave no opinion (the domain makes no assertion)',
  none: 'was not possible (nothing to check: no record or no signature)',
  temperror: 'could not finish because of a temporary error (usually DNS)',
  permerror: 'could not be evaluated because the published record is broken',
  policy: 'was not accepted by local policy',
  bestguesspass: 'passed on a best guess (no DMARC record; Microsoft inferred a policy)',
  softpass: 'soft-passed',
};

/** One sentence a user can read for a method=result pair. */
export function explainAuthResult(
  method: string,
  result: string,
  reason: string | null,
  properties: Record<string, string>,
): string {
  const outcome = RESULT_WORDS[result] ?? `returned "${result}"`;
  switch (method) {
    case 'spf': {
      const domain = properties['smtp.mailfrom'] ?? properties['smtp.helo'];
      const about = domain ? ` for ${domain}` : '';
      return `SPF ${outcome}${about}: it checks that the sending server's address is listed by the envelope sender's domain.`;
    }
    case 'dkim': {
      const domain = properties['header.d'] ?? properties['header.i'];
      const about = domain ? ` for ${domain}` : '';
      return `DKIM ${outcome}${about}: it checks the domain's cryptographic signature over the message.`;
    }
    case 'dmarc': {
      const domain = properties['header.from'];
      const about = domain ? ` for ${domain}` : '';
      const action = properties['action'] ? ` Action taken: ${properties['action']}.` : '';
      return `DMARC ${outcome}${about}: it checks that the From domain matches a passing SPF or DKIM domain.${action}`;
    }
    case 'arc':
      return `ARC ${outcome}: it checks the chain of authentication results added by forwarders and mailing lists.`;
    case 'compauth':
      return `Microsoft composite authentication ${outcome}.${reason ? ` ${explainCompauthReason(reason)}` : ''}`;
    case 'iprev':
      return `Reverse DNS of the sending server ${outcome}.`;
    case 'auth':
      return `SMTP authentication ${outcome}.`;
    case 'bimi':
      return `BIMI (brand logo) ${outcome}.`;
    default:
      return `${method} ${outcome}.`;
  }
}

/**
 * compauth reason codes as documented in Microsoft's "Anti-spam message headers" article:
 * the first digit carries the meaning, the other two are Microsoft-internal.
 */
export function explainCompauthReason(reason: string): string {
  const code = reason.trim();
  if (code === '000')
    return 'Reason 000: the message failed explicit authentication (the sending domain publishes a DMARC reject or quarantine policy).';
  if (code === '001')
    return 'Reason 001: the message failed implicit authentication (the sending domain publishes no or a weak authentication policy).';
  if (code === '002')
    return 'Reason 002: the organisation blocks this sender/domain pair from sending spoofed mail.';
  if (code === '010')
    return 'Reason 010: the message failed DMARC with a reject or quarantine policy, and the sending domain is one of your own accepted domains.';
  const first = code[0];
  switch (first) {
    case '1':
    case '7':
      return `Reason ${code}: the message passed authentication.`;
    case '2':
      return `Reason ${code}: the message soft-passed implicit authentication.`;
    case '3':
      return `Reason ${code}: composite authentication was not checked.`;
    case '4':
    case '9':
      return `Reason ${code}: composite authentication was bypassed (for example by an allow entry or a mail flow rule).`;
    case '6':
      return `Reason ${code}: the message failed implicit authentication and the sending domain is one of your own accepted domains.`;
    default:
      return `Reason ${code}: not a documented code.`;
  }
}

/**
 * Received-SPF (RFC 7208 §9.1): result [comment] [key=value; …], e.g.
 *   Pass (protection.outlook.com: domain of example.com designates 192.0.2.1 as permitted
 *   sender) receiver=protection.outlook.com; client-ip=192.0.2.1; helo=mail.example.com;
 */
export function parseReceivedSpf(raw: string): ReceivedSpf {
  const statements = splitTopLevel(raw, ';');
  const resultMatch = FIRST_WORD.exec(statements[0]?.text ?? '');
  const resultWord = resultMatch?.[1] ?? '';
  const properties: Record<string, string> = {};
  const comments: string[] = [];
  statements.forEach((statement, index) => {
    // The result word comes first; key=value pairs may follow it and fill the other statements.
    const text = index === 0 ? statement.text.slice(resultMatch?.[0].length ?? 0) : statement.text;
    for (const match of allMatches(KEY_VALUE, text)) {
      const value = match[2] ?? '';
      properties[(match[1] ?? '').toLowerCase()] = value.startsWith('"')
        ? value.slice(1, -1)
        : value;
    }
    comments.push(...statement.comments);
  });
  const result = resultWord.toLowerCase();
  const domain = properties['envelope-from']?.replace(/^.*@/, '').replace(/^<|>$/g, '');
  return {
    result,
    comment: comments[0] ?? null,
    properties,
    explanation: explainAuthResult('spf', result, null, domain ? { 'smtp.mailfrom': domain } : {}),
    raw: collapseWhitespace(raw),
  };
}
