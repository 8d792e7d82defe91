import type {
  HopTls,
  PeerCertificate,
  PeerCertificateStatus,
  TlsStatus,
  TlsVersion,
  TlsWeakness,
} from '../types';
import type { Clause, ParsedReceived } from '../received/parse';
import { TLS_RULES, type TlsRule } from './rules';
import { collapseWhitespace } from '../text';

/** Applies the rules table to one parsed Received field; the first matching rule decides. */
export function judgeHop(parsed: ParsedReceived, rules: readonly TlsRule[] = TLS_RULES): HopTls {
  const targets = clauseTexts(parsed);
  for (const rule of rules) {
    const target = targets[rule.target];
    if (target === null) continue;
    if (rule.applies && !rule.applies(parsed)) continue;
    const match = rule.pattern.exec(target);
    if (!match) continue;
    const groups = match.groups ?? {};
    const versionRaw = groups.version ?? null;
    const version = versionRaw === null ? null : normalizeTlsVersion(versionRaw);
    const cipher = groups.cipher ?? null;
    const tls: HopTls = {
      status: rule.status,
      version,
      versionRaw,
      cipher,
      bits: groups.bits === undefined ? null : Number(groups.bits),
      keyExchange: groups.kex ?? null,
      peerCertificate:
        rule.status === 'tls' ? peerCertificateOf(parsed.text, groups.verify ?? null) : null,
      evidence: groups.evidence ?? match[0],
      rule: rule.id,
      explanation: '',
      weaknesses: rule.status === 'tls' ? weaknessesOf(version, cipher) : [],
    };
    tls.explanation = explain(tls, rule);
    return tls;
  }
  return {
    status: 'unknown',
    version: null,
    versionRaw: null,
    cipher: null,
    bits: null,
    keyExchange: null,
    peerCertificate: null,
    evidence: null,
    rule: null,
    explanation:
      parsed.clauses.with === undefined
        ? 'This relay did not record a protocol, so whether it used TLS is unknown.'
        : 'Nothing in this field says whether TLS was used.',
    weaknesses: [],
  };
}

/** The text each rule target names, cut once per hop rather than once per rule. */
function clauseTexts(parsed: ParsedReceived): Record<TlsRule['target'], string | null> {
  const slice = (clause: Clause | undefined): string | null =>
    clause ? parsed.text.slice(clause.start, clause.end) : null;
  return { field: parsed.text, with: slice(parsed.clauses.with), via: slice(parsed.clauses.via) };
}

/**
 * Normalises the many spellings of a protocol version: OpenSSL "TLSv1.2", Exchange "TLS1_2",
 * Mailgun "TLS1.2", GnuTLS "TLS-1.2", Gmail "TLS1" (= 1.0), "SSLv3", "SSL3_0".
 * "TLSv1/SSLv3" is what OpenSSL before 1.1 returned for the cipher's protocol family
 * (SSL_CIPHER_get_version), not the negotiated version, so it normalises to null.
 */
export function normalizeTlsVersion(raw: string): TlsVersion | null {
  const text = raw.trim().toUpperCase();
  if (text.includes('/')) return null;
  if (/^SSL[-_V]?3(?:[._]0)?$/.test(text)) return 'SSL3.0';
  if (/^SSL[-_V]?2(?:[._]0)?$/.test(text)) return 'SSL2.0';
  const tls = /^TLS[-_]?V?1(?:[._-]?([0-3]))?$/.exec(text);
  if (!tls) return null;
  return `TLS1.${tls[1] ?? '0'}` as TlsVersion;
}

const VERSION_RANK: Readonly<Record<TlsVersion, number>> = {
  'SSL2.0': 0,
  'SSL3.0': 1,
  'TLS1.0': 2,
  'TLS1.1': 3,
  'TLS1.2': 4,
  'TLS1.3': 5,
};

export function compareTlsVersions(a: TlsVersion, b: TlsVersion): number {
  return VERSION_RANK[a] - VERSION_RANK[b];
}

/**
 * Weaknesses a reader should know about. Protocols: SSL 2/3 and TLS 1.0/1.1 are deprecated
 * (RFC 6176, RFC 7568, RFC 8996). Ciphers: RC4 (RFC 7465), 3DES (SWEET32, NIST SP 800-131A),
 * single DES and EXPORT suites (FREAK/Logjam era), NULL encryption, and anonymous key exchange,
 * which encrypts but authenticates no one.
 */
export function weaknessesOf(version: TlsVersion | null, cipher: string | null): TlsWeakness[] {
  const found: TlsWeakness[] = [];
  if (version !== null && compareTlsVersions(version, 'TLS1.2') < 0) {
    found.push({
      code: 'legacy-protocol',
      message: `${displayVersion(version)} is deprecated (RFC 8996); servers should use TLS 1.2 or 1.3.`,
    });
  }
  if (cipher === null) return found;
  const name = cipher.toUpperCase();
  // Every weak family below names one of these words; most ciphers name none of them.
  if (!WEAK_CIPHER_WORDS.test(name)) return found;
  if (/RC4|ARCFOUR/.test(name)) {
    found.push({ code: 'rc4', message: 'RC4 is broken and forbidden in TLS (RFC 7465).' });
  }
  if (/3DES|DES-CBC3|DES_EDE|DES3/.test(name)) {
    found.push({ code: 'triple-des', message: '3DES has a 64-bit block and is weak (SWEET32).' });
  } else if (/(?:^|[-_])DES(?:[-_]|$)/.test(name)) {
    found.push({ code: 'single-des', message: 'Single DES is breakable in hours.' });
  }
  if (/(?:^|[-_])EXP(?:ORT)?\d*(?:[-_]|$)/.test(name)) {
    found.push({ code: 'export', message: 'EXPORT cipher suites use deliberately weakened keys.' });
  }
  if (/(?:^|[-_])NULL(?:[-_]|$)/.test(name)) {
    found.push({ code: 'null-cipher', message: 'A NULL cipher does not encrypt at all.' });
  }
  if (/^ADH[-_]|^AECDH[-_]|_ANON_|(?:^|[-_])ANON(?:[-_]|$)/.test(name)) {
    found.push({
      code: 'anonymous',
      message: 'Anonymous key exchange encrypts but authenticates no one (open to interception).',
    });
  }
  return found;
}

const WEAK_CIPHER_WORDS = /RC4|ARCFOUR|DES|EXP|NULL|ADH|AECDH|ANON/;

/** "TLS1.2" → "TLS 1.2", for sentences. */
export function displayVersion(version: TlsVersion): string {
  return DISPLAY_VERSIONS[version];
}

const DISPLAY_VERSIONS: Readonly<Record<TlsVersion, string>> = {
  'SSL2.0': 'SSL 2.0',
  'SSL3.0': 'SSL 3.0',
  'TLS1.0': 'TLS 1.0',
  'TLS1.1': 'TLS 1.1',
  'TLS1.2': 'TLS 1.2',
  'TLS1.3': 'TLS 1.3',
};

const SENDMAIL_VERIFY: Readonly<Record<string, PeerCertificateStatus>> = {
  OK: 'verified',
  YES: 'verified',
  FAIL: 'failed',
  NOT: 'not-verified',
  NO: 'not-verified',
  NONE: 'not-requested',
};

// Whitespace is matched loosely: a fold can fall between any two words of these comments.
const POSTFIX_CLIENT_CERTIFICATE =
  /\(Client\s+CN\s+"(?<subject>[^"]*)",\s+Issuer\s+"(?<issuer>[^"]*)"\s+\((?<state>verified\s+OK|not\s+verified)\)\)/;
const POSTFIX_NOT_REQUESTED = /\(No\s+client\s+certificate\s+requested\)/;
const POSTFIX_NOT_PRESENTED = /\(Client\s+did\s+not\s+present\s+a\s+certificate\)/;

/**
 * The client certificate as the receiving MTA recorded it: Sendmail/Haraka/OpenSMTPD verify=
 * values (sendmail op guide, "${verify}" macro) or Postfix's client-certificate comment
 * (smtpd_tls_received_header: "(Client CN …, Issuer … (verified OK))", "(No client certificate
 * requested)", "(Client did not present a certificate)").
 */
function peerCertificateOf(text: string, verify: string | null): PeerCertificate | null {
  if (verify !== null) {
    const status = SENDMAIL_VERIFY[verify.toUpperCase()];
    return status ? { status, subject: null, issuer: null } : null;
  }
  // All three Postfix comments name the client; most fields never say "client" at all.
  if (!/client/i.test(text)) return null;
  const postfix = POSTFIX_CLIENT_CERTIFICATE.exec(text);
  if (postfix?.groups) {
    return {
      status: postfix.groups.state?.startsWith('verified') ? 'verified' : 'not-verified',
      subject: collapseWhitespace(postfix.groups.subject ?? ''),
      issuer: collapseWhitespace(postfix.groups.issuer ?? ''),
    };
  }
  if (POSTFIX_NOT_REQUESTED.test(text)) {
    return { status: 'not-requested', subject: null, issuer: null };
  }
  if (POSTFIX_NOT_PRESENTED.test(text)) {
    return { status: 'not-presented', subject: null, issuer: null };
  }
  return null;
}

const STATUS_SENTENCES: Readonly<Record<TlsStatus, string>> = {
  tls: 'This hop was encrypted with TLS',
  none: 'This hop was not encrypted',
  internal: 'This hop is a hand-off inside one system, not a transfer between mail servers',
  unknown: 'Whether this hop was encrypted is unknown',
};

function explain(tls: HopTls, rule: TlsRule): string {
  let sentence = STATUS_SENTENCES[tls.status];
  if (tls.status === 'tls') {
    const parts: string[] = [];
    if (tls.version) parts.push(displayVersion(tls.version));
    else if (tls.versionRaw)
      parts.push(`protocol family ${tls.versionRaw}, exact version not stated`);
    if (tls.cipher) parts.push(`cipher ${tls.cipher}`);
    sentence += parts.length > 0 ? ` (${parts.join(', ')})` : ' (version not stated)';
  }
  return `${sentence}: ${rule.description}`;
}
