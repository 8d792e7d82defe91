/**
 * The Analysis contract: plain, JSON-serializable data passed from the parser to the judge
 * to whatever presents it (CLI, pane, API). No display state, no class instances.
 * Fields named in README's "JSON contract" are stable; others may grow.
 */

/** Where a warning came from, so a presenter can group them. */
export type WarningCode =
  | 'input-too-large'
  | 'too-many-fields'
  | 'too-many-received'
  | 'field-too-long'
  | 'invalid-utf8'
  | 'no-received'
  | 'unparsable-received'
  | 'missing-date'
  | 'unparsable-date'
  | 'clock-skew'
  | 'comment-too-deep'
  | 'no-header-section';

export interface AnalysisWarning {
  code: WarningCode;
  message: string;
  /** Hop index (origin = 0) the warning is about, when it is about one. */
  hop?: number;
}

/** A header field after unfolding (RFC 5322 §2.2.3): CRLF before whitespace removed. */
export interface HeaderField {
  name: string;
  /** The unfolded value, whitespace kept as found. */
  value: string;
}

export type TlsStatus = 'tls' | 'none' | 'internal' | 'unknown';
export type TlsVersion = 'SSL2.0' | 'SSL3.0' | 'TLS1.0' | 'TLS1.1' | 'TLS1.2' | 'TLS1.3';

/** What the receiving MTA wrote about the client's certificate, where it wrote anything. */
export type PeerCertificateStatus =
  'verified' | 'not-verified' | 'failed' | 'not-presented' | 'not-requested';

export interface PeerCertificate {
  status: PeerCertificateStatus;
  subject: string | null;
  issuer: string | null;
}

export type WeaknessCode =
  'legacy-protocol' | 'rc4' | 'triple-des' | 'single-des' | 'export' | 'null-cipher' | 'anonymous';

export interface TlsWeakness {
  code: WeaknessCode;
  message: string;
}

export interface HopTls {
  status: TlsStatus;
  /** Normalised protocol version, or null when the field does not state it. */
  version: TlsVersion | null;
  /** The version exactly as written (e.g. "TLSv1/SSLv3", "TLS1_2"), or null. */
  versionRaw: string | null;
  cipher: string | null;
  /** Symmetric key bits where stated ("256/256 bits", "bits=128/128", Exim ":256"). */
  bits: number | null;
  /** Key-exchange group or method where stated (Postfix "key-exchange X25519"). */
  keyExchange: string | null;
  peerCertificate: PeerCertificate | null;
  /** The exact substring of the unfolded field that decided the status; null when nothing did. */
  evidence: string | null;
  /** Id of the rule in the TLS rules table that decided; null when no rule matched. */
  rule: string | null;
  /** Plain-language reason for the status. */
  explanation: string;
  weaknesses: TlsWeakness[];
}

/** A host as named in a from/by clause. */
export interface HostRef {
  /** The first word of the clause: a HELO name, a host name or an address literal, as written. */
  name: string | null;
  /** HELO/EHLO/LHLO argument when the MTA recorded it separately (qmail, Exim, CommuniGate …). */
  helo: string | null;
  /** Which greeting the client used, where recorded: HELO (no ESMTP, so no STARTTLS), EHLO or LHLO. */
  heloCommand: 'HELO' | 'EHLO' | 'LHLO' | null;
  /** Reverse-DNS name the receiving MTA looked up, where recorded. */
  reverseDns: string | null;
  /** The IPv4 or IPv6 address, normalised (no brackets, no "IPv6:" prefix). */
  ip: string | null;
  /** ident (RFC 1413) or authenticated user where recorded. */
  ident: string | null;
}

export interface ReceivedDate {
  /** The date text as written after the last ';'. */
  raw: string;
  /** ISO 8601 UTC, or null when the text is not a date we can read. */
  iso: string | null;
  /** Milliseconds since the epoch, or null. */
  epochMs: number | null;
  /** Offset from UTC in minutes as written, or null. */
  offsetMinutes: number | null;
}

export interface Hop {
  /** 0 = origin (the bottom-most Received field). */
  index: number;
  /** The unfolded Received field value. */
  raw: string;
  from: HostRef | null;
  by: HostRef | null;
  /** The with clause's text (words only), e.g. "ESMTPS", "Microsoft SMTP Server", or null. */
  with: string | null;
  /** Normalised protocol keyword from the with/via clause (e.g. "ESMTPSA", "SMTP", "HTTP"), or null. */
  protocol: string | null;
  via: string | null;
  id: string | null;
  for: string | null;
  date: ReceivedDate | null;
  /** Every top-level comment, as written, parentheses included. */
  comments: string[];
  tls: HopTls;
  /** Seconds since the previous hop (null when either date is missing); negative = clock skew. */
  delaySeconds: number | null;
  clockSkew: boolean;
}

export type ChainStatus = 'encrypted' | 'partially-encrypted' | 'not-encrypted' | 'unknown';

export interface ChainVerdict {
  status: ChainStatus;
  /** Index of the first hop that was judged "none" (cleartext), or null. */
  firstCleartextHop: number | null;
  weakestVersion: TlsVersion | null;
  strongestVersion: TlsVersion | null;
  /** Count of hops by TLS status. */
  counts: Record<TlsStatus, number>;
  /** Indexes of hops with a flagged weakness (legacy protocol or weak cipher). */
  weakHops: number[];
  /** Seconds from the first to the last dated hop, or null. */
  totalTransitSeconds: number | null;
  sentence: string;
}

export type AuthResultValue =
  | 'pass'
  | 'fail'
  | 'softfail'
  | 'neutral'
  | 'none'
  | 'temperror'
  | 'permerror'
  | 'policy'
  | 'bestguesspass'
  | 'softpass'
  | string;

export interface AuthMethodResult {
  /** spf, dkim, dmarc, arc, compauth, iprev, auth … */
  method: string;
  result: AuthResultValue;
  reason: string | null;
  comment: string | null;
  /** ptype.property=value pairs, e.g. { "smtp.mailfrom": "example.com" }. */
  properties: Record<string, string>;
  explanation: string;
}

export interface AuthenticationResults {
  /** Which header it came from. */
  header: 'Authentication-Results' | 'ARC-Authentication-Results';
  /** ARC instance (i=) for ARC-Authentication-Results. */
  instance: number | null;
  authservId: string | null;
  results: AuthMethodResult[];
  raw: string;
}

export interface ReceivedSpf {
  result: string;
  comment: string | null;
  properties: Record<string, string>;
  explanation: string;
  raw: string;
}

/** One decoded key of a Microsoft anti-spam header. */
export interface AntispamEntry {
  key: string;
  value: string;
  /** What the key is, in plain words. */
  label: string;
  /** What this value means, in plain words. */
  explanation: string;
}

export interface MicrosoftHeaders {
  authAs: AntispamEntry | null;
  directionality: AntispamEntry | null;
  scl: AntispamEntry | null;
  forefrontAntispamReport: AntispamEntry[];
  antispam: AntispamEntry[];
  antispamMailboxDelivery: AntispamEntry[];
}

export interface TlsRequired {
  /** The field's value as written; RFC 8689 defines only "No". */
  value: string;
  explanation: string;
}

export interface MessageSummary {
  subject: string | null;
  from: string | null;
  to: string | null;
  cc: string | null;
  date: string | null;
  messageId: string | null;
}

export interface Analysis {
  /** Contract version; bumped on incompatible changes. */
  schemaVersion: 1;
  hops: Hop[];
  verdict: ChainVerdict;
  summary: MessageSummary;
  authentication: AuthenticationResults[];
  receivedSpf: ReceivedSpf[];
  microsoft: MicrosoftHeaders;
  tlsRequired: TlsRequired | null;
  warnings: AnalysisWarning[];
  /** Number of header fields read. */
  fieldCount: number;
}
