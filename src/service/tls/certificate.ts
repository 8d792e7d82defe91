import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type DetailedPeerCertificate } from 'node:tls';
import * as x509 from '@peculiar/x509';
import type { CertificateFacts } from '../../core/check-report';

const DAY_MS = 86_400_000;

/**
 * Verification results that do not concern the chain: the validity dates (OpenSSL) and the host
 * name (Node adds ERR_TLS_CERT_ALTNAME_INVALID when servername is set). The chain itself leads
 * to a trusted root, so trust, expiry and name are reported apart.
 */
const NOT_CHAIN_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Facts about the certificate a server presented. Trust comes from the handshake (OpenSSL's
 * verification against the trusted roots); the name is checked here against the MX host,
 * always — Node checks names only when the chain verified, so a chain error would hide a name
 * mismatch.
 */
export function certificateFacts(
  peer: DetailedPeerCertificate,
  host: string,
  authorizationError: string | null,
  now: Date,
): CertificateFacts {
  const cert = new X509Certificate(peer.raw);
  const notAfter = new Date(cert.validTo);
  const details = cert.publicKey.asymmetricKeyDetails;
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    altNames: (cert.subjectAltName ?? '')
      .split(', ')
      .filter(Boolean)
      .map((name) => name.replace(/^(DNS|IP Address):/, '')),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    keyType: cert.publicKey.asymmetricKeyType ?? 'unknown',
    keyBits: details?.modulusLength ?? curveBits(details?.namedCurve),
    signatureAlgorithm: signatureAlgorithm(peer.raw),
    fingerprintSha256: cert.fingerprint256,
    trusted: authorizationError === null || NOT_CHAIN_ERRORS.has(authorizationError),
    trustError: authorizationError,
    nameMatches: checkServerIdentity(host, peer) === undefined,
    chain: chainSubjects(peer),
  };
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').join(', ');
}

function curveBits(curve: string | undefined): number | null {
  const bits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
  return curve ? (bits[curve] ?? null) : null;
}

/** Node 20's X509Certificate has no signature algorithm; @peculiar/x509 reads it. */
function signatureAlgorithm(der: Buffer): string | null {
  try {
    const algorithm = new x509.X509Certificate(new Uint8Array(der)).signatureAlgorithm as {
      name?: string;
      hash?: { name?: string };
    };
    return [algorithm.hash?.name, algorithm.name].filter(Boolean).join(' with ') || null;
  } catch {
    return null;
  }
}

/** Subjects of the presented chain, leaf first; getPeerCertificate(true) links issuers in a loop. */
function chainSubjects(peer: DetailedPeerCertificate): string[] {
  const subjects: string[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current && !seen.has(current.fingerprint256) && subjects.length < 10) {
    seen.add(current.fingerprint256);
    subjects.push(
      Object.entries(current.subject ?? {})
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', '),
    );
    current = current.issuerCertificate;
  }
  return subjects;
}
