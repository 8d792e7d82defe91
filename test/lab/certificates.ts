import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/**
 * Certificates for the live-check lab: a throw-away test CA, leaf certificates it signs (valid,
 * expired, for the wrong host) and a self-signed one. ECDSA P-256 keeps generation fast.
 */
x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Issued {
  cert: string;
  key: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex: what a TLSA 3 1 1 record holds. */
  spkiSha256: string;
}

export interface Authority {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
  pem: string;
}

let serial = 1;

export async function createTestCa(name = 'Mail TLS Inspector lab CA'): Promise<Authority> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: String(serial++).padStart(2, '0'),
    name: `CN=${name}`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    keys: keys as never,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return { cert, keys, pem: cert.toString('pem') };
}

/**
 * A chain of `depth` intermediate CAs below `ca`, each signed by the one before: the last one
 * issues leaves, and `pem` holds them all (lowest first), as a server sends its chain.
 */
export async function intermediates(
  ca: Authority,
  depth: number,
): Promise<{ issuer: Authority; pem: string }> {
  let parent = ca;
  const pems: string[] = [];
  for (let level = 1; level <= depth; level++) {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: String(serial++).padStart(2, '0'),
      subject: `CN=Intermediate ${level}`,
      issuer: parent.cert.subject,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
      publicKey: keys.publicKey as never,
      signingKey: parent.keys.privateKey as never,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      ],
    });
    parent = { cert, keys, pem: cert.toString('pem') };
    pems.unshift(parent.pem);
  }
  return { issuer: parent, pem: pems.join('\n') };
}

export async function issue(
  ca: Authority | 'self-signed',
  names: string[],
  validity: { fromDays: number; toDays: number } = { fromDays: -1, toDays: 90 },
): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const common = {
    serialNumber: String(serial++).padStart(2, '0'),
    notBefore: new Date(now + validity.fromDays * DAY),
    notAfter: new Date(now + validity.toDays * DAY),
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((value) => ({ type: isIP(value) ? ('ip' as const) : ('dns' as const), value })),
      ),
    ],
  };
  const cert =
    ca === 'self-signed'
      ? await x509.X509CertificateGenerator.createSelfSigned({
          ...common,
          name: `CN=${names[0]}`,
          keys: keys as never,
        })
      : await x509.X509CertificateGenerator.create({
          ...common,
          subject: `CN=${names[0]}`,
          issuer: ca.cert.subject,
          publicKey: keys.publicKey as never,
          signingKey: ca.keys.privateKey as never,
        });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  const digest = await webcrypto.subtle.digest('SHA-256', spki);
  return {
    cert: cert.toString('pem'),
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    spkiSha256: Buffer.from(digest).toString('hex'),
  };
}
