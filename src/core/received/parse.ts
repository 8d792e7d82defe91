import type { HostRef, ReceivedDate } from '../types';
import { parseIp, parseIpWithPort } from './address';
import { parseReceivedDate } from './date';
import { tokenize, type Token } from './tokenize';

export type ClauseKeyword = 'from' | 'by' | 'via' | 'with' | 'id' | 'for';

export interface Clause {
  keyword: ClauseKeyword;
  /** Offset of the keyword in the text. */
  start: number;
  /** Offset just past the clause's last token. */
  end: number;
  /** Tokens after the keyword. */
  tokens: Token[];
}

/** Everything the parser found in one Received field; the TLS judge reads this. */
export interface ParsedReceived {
  text: string;
  clauses: Partial<Record<ClauseKeyword, Clause>>;
  /** A leading "(from user@localhost)" comment: sendmail's record of a local submission. */
  localSubmission: Token | null;
  from: HostRef | null;
  by: HostRef | null;
  with: string | null;
  protocol: string | null;
  via: string | null;
  id: string | null;
  for: string | null;
  date: ReceivedDate | null;
  comments: string[];
  commentTooDeep: boolean;
}

const KEYWORDS: ReadonlySet<string> = new Set(['from', 'by', 'via', 'with', 'id', 'for']);

/**
 * The clause keyword a word token is, if any. Every word of every field comes here, so the
 * length and first-letter tests spare nearly all of them the lower-casing and lookup.
 */
function keywordOf(token: Token): ClauseKeyword | null {
  const length = token.innerLength;
  if (token.kind !== 'word' || length > 4 || length < 2) return null;
  const first = token.source.charCodeAt(token.start) | 0x20;
  if (first !== 0x66 && first !== 0x62 && first !== 0x76 && first !== 0x77 && first !== 0x69) {
    return null; // f, b, v, w, i
  }
  const lower = token.inner.toLowerCase();
  return KEYWORDS.has(lower) ? (lower as ClauseKeyword) : null;
}

/**
 * Protocol keywords of the "with" clause: the IANA Mail Transmission Types registry (RFC 3848,
 * RFC 6531 UTF8*, RFC 5321 "SMTP"/"ESMTP") plus the non-SMTP values MTAs write (HTTP for webmail,
 * MAPI for Exchange, LOCAL for Exim pipes, IMAP/POP3 for fetchmail, QMQP, BSMTP …).
 */
const PROTOCOLS: ReadonlySet<string> = new Set([
  'SMTP',
  'ESMTP',
  'ESMTPA',
  'ESMTPS',
  'ESMTPSA',
  'LMTP',
  'LMTPA',
  'LMTPS',
  'LMTPSA',
  'UTF8SMTP',
  'UTF8SMTPA',
  'UTF8SMTPS',
  'UTF8SMTPSA',
  'UTF8LMTP',
  'UTF8LMTPA',
  'UTF8LMTPS',
  'UTF8LMTPSA',
  'SMTPS',
  'SMTPSA',
  'BSMTP',
  'QMQP',
  'HTTP',
  'HTTPS',
  'MAPI',
  'LOCAL',
  'IMAP',
  'POP3',
  'NNFMP',
]);

/**
 * Spellings that mean one of the keywords above: CommuniGate's pre-RFC-3848 "ESMTP-TLS",
 * IIS "SMTPSVC", Gmail API "HTTPREST", Exim's "local-" prefixed forms are handled in code.
 */
const PROTOCOL_ALIASES: Readonly<Record<string, string>> = {
  'ESMTP-TLS': 'ESMTPS',
  'SMTP-TLS': 'SMTPS',
  SMTPSVC: 'SMTP',
  HTTPREST: 'HTTP',
};

export function parseReceived(text: string, maxCommentDepth: number): ParsedReceived {
  const tokens = tokenize(text, maxCommentDepth);
  // Every key present from the start: one object shape for all fields keeps lookups fast.
  const clauses: Partial<Record<ClauseKeyword, Clause>> = {
    from: undefined,
    by: undefined,
    via: undefined,
    with: undefined,
    id: undefined,
    for: undefined,
  };
  const comments: string[] = [];
  let current: Clause | null = null;
  let lastSemicolon = -1;
  let localSubmission: Token | null = null;
  let commentTooDeep = false;
  let seenClause = false;

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.kind === 'comment') {
      comments.push(text.slice(token.start, token.end));
      if (token.depthExceeded) commentTooDeep = true;
      if (!seenClause && localSubmission === null && /^\s*from\s/i.test(token.inner)) {
        localSubmission = token;
      }
    }
    if (token.kind === 'semicolon') {
      lastSemicolon = index;
      current = null;
      continue;
    }
    const keyword = keywordOf(token);
    if (keyword !== null) {
      seenClause = true;
      if (clauses[keyword] === undefined) {
        current = { keyword, start: token.start, end: token.end, tokens: [] };
        clauses[keyword] = current;
      } else {
        // A repeated keyword (IBM's "… for <a> from <b>") ends the clause and is not kept.
        current = null;
      }
      continue;
    }
    if (current !== null) {
      current.tokens.push(token);
      current.end = token.end;
    }
  }

  const dateTokens = lastSemicolon >= 0 ? tokens.slice(lastSemicolon + 1) : [];
  const dateEnd = dateTokens.findIndex((t) => keywordOf(t) !== null);
  const dateSpan = dateEnd >= 0 ? dateTokens.slice(0, dateEnd) : dateTokens;
  const first = dateSpan[0];
  const last = dateSpan[dateSpan.length - 1];
  const date = first && last ? parseReceivedDate(text.slice(first.start, last.end)) : null;

  let from = clauses.from ? hostFromClause(clauses.from) : null;
  const submission = localSubmission as Token | null;
  if (from === null && submission !== null) {
    from = hostFromClause({
      keyword: 'from',
      start: submission.start,
      end: submission.end,
      tokens: tokenize(submission.inner.replace(/^\s*from\s/i, ''), maxCommentDepth),
    });
  }
  const withText = clauses.with ? clauseWords(clauses.with) : null;
  const viaText = clauses.via ? clauseWords(clauses.via) : null;

  return {
    text,
    clauses,
    localSubmission: submission,
    from,
    by: clauses.by ? hostFromClause(clauses.by) : null,
    with: withText,
    protocol: protocolOf(withText) ?? protocolOf(viaText),
    via: viaText,
    id: clauses.id ? firstValue(clauses.id) : null,
    for: clauses.for ? firstValue(clauses.for) : null,
    date,
    comments,
    commentTooDeep,
  };
}

/** The words of a clause joined by single spaces, comments left out. */
function clauseWords(clause: Clause): string | null {
  const words = clause.tokens
    .filter((t) => t.kind !== 'comment')
    .map((t) => (t.kind === 'word' ? t.inner : `${open(t)}${t.inner}${close(t)}`));
  return words.length > 0 ? words.join(' ') : null;
}

function open(t: Token): string {
  return t.kind === 'bracket' ? '[' : t.kind === 'angle' ? '<' : t.kind === 'quoted' ? '"' : '';
}
function close(t: Token): string {
  return t.kind === 'bracket' ? ']' : t.kind === 'angle' ? '>' : t.kind === 'quoted' ? '"' : '';
}

/** The first value token of an id/for clause, without <> and trailing punctuation. */
function firstValue(clause: Clause): string | null {
  const token = clause.tokens.find((t) => t.kind !== 'comment');
  if (!token) return null;
  if (token.kind === 'angle') {
    const inner = token.inner.trim();
    // <"a@b" <a@b>>: the address is the innermost angle part.
    const nested = /<([^<>]*)>$/.exec(inner);
    return nested?.[1] ?? inner;
  }
  return stripTrailingPunctuation(token.inner) || null;
}

/**
 * The protocol keyword of a with (or via) clause: the first word that is a registry keyword,
 * after removing MTA decorations: IronPort "ESMTP/TLS/…", Exim "local-esmtps", "[XMail …]".
 */
export function protocolOf(clauseText: string | null): string | null {
  if (clauseText === null) return null;
  // Most clauses start with the keyword itself ("ESMTPS", "SMTP id …"): try that word alone.
  const firstWord = FIRST_WORD.exec(clauseText)?.[0];
  const direct = firstWord === undefined ? null : protocolWord(firstWord);
  if (direct !== null) return direct;
  for (const rawWord of clauseText.split(/[\s[\]]+/)) {
    const word = protocolWord(rawWord);
    if (word !== null) return word;
  }
  return null;
}

const FIRST_WORD = /^[^\s[\]]+/;

/** The registry keyword one word of a clause stands for, or null. */
function protocolWord(rawWord: string): string | null {
  let word = stripTrailingPunctuation(rawWord).toUpperCase();
  const slash = word.indexOf('/');
  if (slash > 0) word = word.slice(0, slash);
  if (word.startsWith('LOCAL-')) word = word.slice(6);
  word = PROTOCOL_ALIASES[word] ?? word;
  return PROTOCOLS.has(word) ? word : null;
}

function stripTrailingPunctuation(word: string): string {
  let end = word.length;
  while (end > 0) {
    const c = word.charCodeAt(end - 1);
    if (c !== 0x2c /* , */ && c !== 0x3b /* ; */ && c !== 0x3a /* : */) break;
    end--;
  }
  return end === word.length ? word : word.slice(0, end);
}

/**
 * A host clause ("from" or "by") in the many shapes MTAs write, e.g.
 *   Postfix   from helo (rdns [1.2.3.4])
 *   Sendmail  from helo (ident@rdns [1.2.3.4] (may be forged))
 *   Exim      from rdns ([1.2.3.4]:port helo=helo ident=user)   or   from helo [1.2.3.4]
 *   qmail     from rdns (HELO helo) (user@1.2.3.4)
 *   Exchange  from host (2001:db8::1)   /   from host ([fe80::1%4])
 *   smap      from host(1.2.3.4, HELO helo)
 */
function hostFromClause(clause: Clause): HostRef {
  const host: HostRef = {
    name: null,
    helo: null,
    heloCommand: null,
    reverseDns: null,
    ip: null,
    ident: null,
  };
  clause.tokens.forEach((token, index) => {
    if (index === 0 && token.kind !== 'comment') {
      host.name =
        token.kind === 'word'
          ? stripTrailingPunctuation(token.inner)
          : token.kind === 'angle'
            ? token.inner
            : `[${token.inner}]`;
      return;
    }
    if (token.kind === 'comment') readHostComment(token.inner, host);
    else if (token.kind === 'bracket' && host.ip === null) {
      // MDaemon writes "[(192.0.2.21)]".
      host.ip = parseIpWithPort(`[${token.inner.replace(/^\(|\)$/g, '')}]`);
    }
  });
  return host;
}

const HELO_COMMENT = /(?:^|[\s,])(HELO|EHLO|LHLO)(?:\s+([^\s,]*)|\s*$)/i;
const EXIM_HELO = /(?:^|\s)helo=(\S*)/i;
const EXIM_IDENT = /(?:^|\s)ident=\[?([^\s\]]*)\]?/i;
const NAME_AND_LITERAL = /^(?:IDENT:)?(?:(\S+)@)?<?([^\s<>[\]@]*)>?\s*\[([^\]]*)\](?::\d+)?/i;

/** Fills in what one comment of a host clause says (helo, reverse DNS, address, ident). */
function readHostComment(innerWithNested: string, host: HostRef): void {
  // Postfix TLS and authentication notes share the clause but name no host.
  if (NOT_HOST_COMMENT.test(innerWithNested)) return;
  // Nested comments ("(may be forged)") add nothing we keep.
  const inner = innerWithNested.includes('(')
    ? innerWithNested.replace(/\([^()]*\)/g, ' ').trim()
    : innerWithNested.trim();
  if (inner === '') return;
  // The commonest comment of all is a bare address: Exchange "(2001:db8::1)", "([fe80::1%4])".
  if (mayBeAddress(inner)) {
    const ip = parseIpWithPort(inner);
    if (ip !== null) {
      host.ip ??= ip;
      return;
    }
  }

  const helo = HELO_COMMENT.exec(inner);
  if (helo) {
    // qmail "(HELO name)", gmx "(EHLO name)", CommuniGate "(account user HELO name)",
    // smap "(192.0.2.1, HELO name)": the greeting, and possibly an address before it.
    host.heloCommand ??= (helo[1] ?? '').toUpperCase() as 'HELO' | 'EHLO' | 'LHLO';
    host.helo ??= stripTrailingPunctuation(helo[2] ?? '') || null;
    const before = inner
      .slice(0, helo.index)
      .replace(/^account\s+\S+\s*/i, '')
      .trim();
    if (before !== '') readHostComment(before, host);
    return;
  }
  const eximHelo = EXIM_HELO.exec(inner);
  const eximIdent = EXIM_IDENT.exec(inner);
  if (eximHelo || eximIdent) {
    if (eximHelo) host.helo ??= eximHelo[1] || null;
    if (eximIdent) host.ident ??= eximIdent[1] || null;
    const literal = /\[([^\]]*)\](?::\d+)?/.exec(inner);
    if (literal) host.ip ??= parseIpWithPort(`[${literal[1]}]`);
    return;
  }
  const named = NAME_AND_LITERAL.exec(inner);
  if (named) {
    const [, ident, name, literal = ''] = named;
    const ip = parseIpWithPort(literal);
    if (ip !== null) host.ip ??= ip;
    if (ident) host.ident ??= ident.includes('@') || !name ? ident : `${ident}@${name}`;
    else if (name && !NO_NAME_WORDS.has(name.toLowerCase()) && parseIp(name) === null) {
      host.reverseDns ??= name;
    }
    return;
  }
  const words = inner.split(/[\s,]+/).filter((w) => w !== '');
  const firstWord = words[0] ?? '';
  // qmail "(user@1.2.3.4)" / "(user@[1.2.3.4])": TCPREMOTEINFO@TCPREMOTEIP.
  const at = firstWord.lastIndexOf('@');
  if (at > 0) {
    const ip = parseIp(firstWord.slice(at + 1));
    if (ip !== null) {
      host.ip ??= ip;
      host.ident ??= firstWord.slice(0, at);
      return;
    }
    // Sendmail "(user@host)": RFC 1413 ident and host.
    if (words.length === 1) {
      host.ident ??= firstWord;
      return;
    }
  }
  // A bare address, possibly with a port, anywhere among the words: "(10.1.2.3)",
  // "(63.146.189.86:23198)", Facebook "(token 2401:db00::1)".
  for (const word of words) {
    if (!mayBeAddress(word)) continue;
    const ip = parseIpWithPort(word);
    if (ip !== null) {
      host.ip ??= ip;
      return;
    }
  }
  // Exchange 2003/Scalix: "(rdns)" alone names the host the connection came from.
  if (words.length === 1 && /^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}$/.test(firstWord)) {
    host.reverseDns ??= firstWord;
  }
}

const NOT_HOST_COMMENT =
  /^\s*(?:using\s|Client\s|No\s+client|Authenticated\s|AUTH:|envelope-|authenticated\b)/;

/** Cheap pre-check before full address parsing: a hex digit, ':' or '[' first, then '.' or ':'. */
function mayBeAddress(word: string): boolean {
  const c = word.charCodeAt(0);
  const plausibleStart =
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x61 && c <= 0x66) ||
    (c >= 0x41 && c <= 0x46) ||
    c === 0x3a ||
    c === 0x5b;
  return plausibleStart && (word.includes('.') || word.includes(':'));
}

/** Words Postfix and sendmail write where reverse DNS gave no name. */
const NO_NAME_WORDS: ReadonlySet<string> = new Set(['unknown', 'unverified', 'softdnserr']);
