import { webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

/**
 * A local certificate authority and a localhost certificate it signed, for `npm start`.
 * Outlook only loads add-ins over HTTPS that the machine trusts, so the CA is created once and
 * kept: the user trusts it once (see README) and every later start reuses it. The localhost
 * certificate is renewed from the same CA before it expires.
 */
export interface DevCertificate {
  key: string;
  cert: string;
  caCertFile: string;
  /** What this call did, for the start-up message. */
  created: 'nothing' | 'certificate' | 'authority and certificate';
}

const CA_DAYS = 3650;
/** Apple platforms refuse TLS server certificates valid for more than 825 days, trusted or not. */
const LEAF_DAYS = 397;
/** Renew this long before expiry, so a long-running dev server never starts on a dying cert. */
const RENEW_BEFORE_DAYS = 30;
const DAY_MS = 86_400_000;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// @peculiar/x509 signs through WebCrypto; Node's implementation is the standard one.
x509.cryptoProvider.set(webcrypto as never); // the DOM Crypto type, which the service does not load

export async function ensureDevCertificate(
  directory: string,
  now = new Date(),
): Promise<DevCertificate> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(directory, name);
  let created: DevCertificate['created'] = 'nothing';

  let ca = await loadPair(file('ca.crt'), file('ca.key'));
  if (ca === null || !validFor(ca.cert, now, RENEW_BEFORE_DAYS)) {
    ca = await createAuthority(now);
    await savePair(ca, file('ca.crt'), file('ca.key'));
    created = 'authority and certificate';
  }
  let leaf = await loadPair(file('localhost.crt'), file('localhost.key'));
  if (
    leaf === null ||
    created !== 'nothing' ||
    !validFor(leaf.cert, now, RENEW_BEFORE_DAYS) ||
    leaf.cert.issuer !== ca.cert.subject
  ) {
    leaf = await createLocalhostCertificate(ca, now);
    await savePair(leaf, file('localhost.crt'), file('localhost.key'));
    if (created === 'nothing') created = 'certificate';
  }
  return {
    key: await readFile(file('localhost.key'), 'utf8'),
    cert: await readFile(file('localhost.crt'), 'utf8'),
    caCertFile: file('ca.crt'),
    created,
  };
}

interface Pair {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

function validFor(cert: x509.X509Certificate, now: Date, days: number): boolean {
  return cert.notBefore <= now && cert.notAfter.getTime() - now.getTime() > days * DAY_MS;
}

async function createAuthority(now: Date): Promise<Pair> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=Mail TLS Inspector development CA (${hostLabel()})`,
    notBefore: now,
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    keys: keys as CryptoKeyPair,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey),
    ],
  });
  return { cert, keys: keys as CryptoKeyPair };
}

async function createLocalhostCertificate(ca: Pair, now: Date): Promise<Pair> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=localhost',
    issuer: ca.cert.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + LEAF_DAYS * DAY_MS),
    publicKey: keys.publicKey as CryptoKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { cert, keys: keys as CryptoKeyPair };
}

async function loadPair(certFile: string, keyFile: string): Promise<Pair | null> {
  try {
    const cert = new x509.X509Certificate(await readFile(certFile, 'utf8'));
    const keyDer = pemBody(await readFile(keyFile, 'utf8'));
    const privateKey = await webcrypto.subtle.importKey('pkcs8', keyDer, ALGORITHM, true, ['sign']);
    const publicKey = await cert.publicKey.export(ALGORITHM, ['verify']);
    return { cert, keys: { privateKey, publicKey } as CryptoKeyPair };
  } catch {
    // Missing, unreadable or from another algorithm: make new ones.
    return null;
  }
}

async function savePair(pair: Pair, certFile: string, keyFile: string): Promise<void> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', pair.keys.privateKey);
  await writeFile(keyFile, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), { mode: 0o600 });
  await chmod(keyFile, 0o600);
  await writeFile(certFile, pair.cert.toString('pem'));
}

function pemBody(pem: string): ArrayBuffer {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error('empty PEM');
  return der;
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive, as RFC 5280 §4.1.2.2 requires
  return Buffer.from(bytes).toString('hex');
}

/** Names the machine in the CA's subject, so a user who trusts several can tell them apart. */
function hostLabel(): string {
  return (
    (process.env.HOSTNAME ?? 'this machine').replace(/[^\w.-]/g, '').slice(0, 40) || 'this machine'
  );
}
