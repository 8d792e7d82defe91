/**
 * The CheckReport contract: what the live TLS check of a mail domain returns, as plain JSON.
 * Declared in the core so that the service produces it and the pane and CLI read it without
 * importing each other. Fields named in README's "Live check JSON contract" are stable.
 */

/** Stable error codes; `category` groups them for presentation. */
export type CheckErrorCode =
  | 'INVALID_INPUT'
  | 'DNS_NXDOMAIN'
  | 'DNS_SERVFAIL'
  | 'DNS_TIMEOUT'
  | 'DNS_ERROR'
  | 'NO_MX'
  | 'NULL_MX'
  | 'NO_ADDRESS'
  | 'TARGET_NOT_ALLOWED'
  | 'CONNECT_FAILED'
  | 'CONNECT_TIMEOUT'
  | 'CONNECTION_CLOSED'
  | 'BANNER_TIMEOUT'
  | 'SMTP_TIMEOUT'
  | 'SMTP_TEMPORARY'
  | 'SMTP_REJECTED'
  | 'SMTP_PROTOCOL'
  | 'STARTTLS_NOT_OFFERED'
  | 'STARTTLS_REFUSED'
  | 'TLS_HANDSHAKE_FAILED'
  | 'CERT_UNTRUSTED'
  | 'CERT_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'CERT_NAME_MISMATCH'
  | 'BUDGET_EXCEEDED';

export type CheckErrorCategory =
  'input' | 'dns' | 'policy' | 'network' | 'smtp' | 'tls' | 'certificate';

export interface CheckError {
  code: CheckErrorCode;
  category: CheckErrorCategory;
  /** True when trying later may give another answer (4xx, timeouts, SERVFAIL). */
  temporary: boolean;
  /** One sentence for people: what happened and what to do. */
  message: string;
  /** The server's own words (an SMTP reply, a TLS alert, a DNS rcode), when there are any. */
  cause: string | null;
}

export interface TranscriptLine {
  /** Milliseconds since the check started. */
  ms: number;
  /** The address the line was exchanged with, or null for DNS and policy notes. */
  ip: string | null;
  direction: 'sent' | 'received' | 'note';
  text: string;
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses in subjectAltName. */
  altNames: string[];
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  keyType: string;
  keyBits: number | null;
  signatureAlgorithm: string | null;
  fingerprintSha256: string;
  /** Chain to a trusted root, judged apart from the name. */
  trusted: boolean;
  /** Why the chain did not verify (OpenSSL's code, e.g. SELF_SIGNED_CERT_IN_CHAIN), or null. */
  trustError: string | null;
  /** Whether the certificate names the MX host (RFC 6125 rules, one-label wildcards). */
  nameMatches: boolean;
  /** Subjects of the chain the server sent, leaf first. */
  chain: string[];
}

export type LegacyAcceptance = 'accepted' | 'refused' | 'untested';

export interface DaneResult {
  /** TLSA records found at _25._tcp.<mx>, as "usage selector type data". */
  records: string[];
  /** Whether the resolver validated them with DNSSEC (AD bit from a trusted resolver). */
  dnssec: 'secure' | 'insecure' | 'bogus' | 'unknown';
  /** A usable record matched the presented chain (usages 2 and 3, RFC 7672). */
  matched: boolean | null;
  message: string;
}

export interface AddressReport {
  ip: string;
  family: 4 | 6;
  banner: string | null;
  starttls: {
    offered: boolean | null;
    /**
     * Cleartext the server sent after its 220 to STARTTLS and before the handshake (printable,
     * at most 200 characters), or null. Bytes there are a STARTTLS injection: a sender that
     * kept them would read them as if they had come over TLS (CVE-2011-0411, CVE-2021-33515).
     */
    injected: string | null;
  };
  tls: { version: string; cipher: string; group: string | null } | null;
  certificate: CertificateFacts | null;
  /** Would this server accept TLS 1.0 / TLS 1.1 (separate connections)? */
  legacyTls: { TLSv1: LegacyAcceptance; 'TLSv1.1': LegacyAcceptance };
  /** Cleartext MAIL FROM:<> — refused (530) means the server enforces TLS. */
  cleartextMail: 'accepted' | 'refused' | 'untested';
  /** REQUIRETLS (RFC 8689) advertised after STARTTLS. */
  requireTls: boolean | null;
  timings: { connectMs: number | null; bannerMs: number | null; tlsMs: number | null };
  error: CheckError | null;
}

export interface MxReport {
  host: string;
  preference: number;
  /** True when the domain has no MX and its own address is used (RFC 5321 §5.1). */
  implicit: boolean;
  addresses: AddressReport[];
  dane: DaneResult | null;
  /** Whether the MTA-STS policy (when there is one) lists this host. */
  mtaStsMatch: boolean | null;
  /** Addresses the host has; only the first few are probed (see addresses). */
  addressesFound: number;
  error: CheckError | null;
}

export interface MtaStsReport {
  record: string | null;
  policy: { mode: string; mx: string[]; maxAge: number | null } | null;
  error: string | null;
}

export interface TlsRptReport {
  record: string | null;
  rua: string[];
}

export type CheckGrade = 'pass' | 'warn' | 'fail' | 'untestable';

export interface CheckReason {
  grade: CheckGrade;
  code:
    | CheckErrorCode
    | 'OK'
    | 'LEGACY_TLS'
    | 'NO_FORCE_TLS'
    | 'DANE_MISMATCH'
    | 'MTA_STS_MISMATCH'
    /** Cleartext bytes came after the STARTTLS 220 (see AddressReport.starttls.injected). */
    | 'STARTTLS_INJECTION'
    /** The domain has more MX hosts or addresses than one check probes. */
    | 'NOT_ALL_CHECKED'
    /** The MTA-STS record or policy is there but unusable (fetch, Content-Type, size, id). */
    | 'MTA_STS_POLICY';
  message: string;
  /** The MX host the reason is about, if one. */
  host: string | null;
}

export interface CheckReport {
  schemaVersion: 1;
  /** The domain checked, in A-labels (IDNA). */
  domain: string;
  /** What was asked for, as typed. */
  input: string;
  startedAt: string;
  durationMs: number;
  mx: MxReport[];
  /** MX hosts the domain publishes; only the most preferred few are checked (see mx). */
  mxHostsFound: number;
  mtaSts: MtaStsReport | null;
  tlsRpt: TlsRptReport | null;
  verdict: { grade: CheckGrade; sentence: string; reasons: CheckReason[] };
  error: CheckError | null;
  transcript: TranscriptLine[];
}

/** Progress while a check runs: one event per finished step. */
export type CheckEvent =
  | { type: 'dns'; message: string }
  | { type: 'mx'; mx: { host: string; preference: number; implicit: boolean }[] }
  | {
      type: 'connect' | 'banner' | 'ehlo' | 'starttls' | 'tls' | 'certificate' | 'cleartext';
      host: string;
      ip: string;
      message: string;
    }
  | { type: 'policy'; message: string }
  | { type: 'done'; report: CheckReport };

/**
 * Sent by a service with the organisation lock on, with every 401: what the pane needs to ask
 * Entra ID for an access token (nested app authentication). Never a secret.
 */
export interface SignInHint {
  /** The add-in's app registration (GUID). */
  clientId: string;
  /** https://login.microsoftonline.com/<tenant id>, or a sovereign cloud's. */
  authority: string;
  /** The API scope to request, e.g. "api://inspector.example.com/<id>/Check.Run". */
  scopes: string[];
}
