import { X509Certificate, createHash } from 'node:crypto';
import { matchDane, mxMatchesPolicy, parsePolicy } from '../../../src/service/policy/policies';
import { createTestCa, issue } from '../../lab/certificates';

describe('MTA-STS', () => {
  it('parses a policy (RFC 8461 §3.2), keeping every mx and ignoring unknown keys', () => {
    expect(
      parsePolicy(
        'version: STSv1\r\nmode: enforce\r\nmx: MX1.Example.com\r\nmx: *.example.net\r\nmax_age: 86400\r\nextension: x\r\n',
      ),
    ).toEqual({ mode: 'enforce', mx: ['mx1.example.com', '*.example.net'], maxAge: 86400 });
    expect(parsePolicy('garbage').mode).toBe('');
  });

  test.each([
    ['mx1.example.com', ['mx1.example.com'], true],
    ['MX1.example.com.', ['mx1.example.com'], true],
    ['mx1.example.net', ['*.example.net'], true],
    // RFC 8461 §4.1: the wildcard matches exactly one label.
    ['a.b.example.net', ['*.example.net'], false],
    ['example.net', ['*.example.net'], false],
    ['mx1.example.org', ['mx1.example.com', '*.example.net'], false],
  ])('%s against %j → %s', (host, patterns, expected) => {
    expect(mxMatchesPolicy(host, patterns)).toBe(expected);
  });
});

describe('DANE matching (RFC 7672)', () => {
  let leaf: Buffer;
  let root: Buffer;
  let leafSpkiSha256: Buffer;

  beforeAll(async () => {
    const ca = await createTestCa('DANE test CA');
    const issued = await issue(ca, ['mx.example.net']);
    leaf = new X509Certificate(issued.cert).raw;
    root = new X509Certificate(ca.pem).raw;
    leafSpkiSha256 = Buffer.from(issued.spkiSha256, 'hex');
  });

  const sha = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest();
  const spki = (der: Buffer) =>
    new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });

  it('matches DANE-EE (3 1 1) against the SHA-256 of the leaf key', () => {
    expect(
      matchDane([{ usage: 3, selector: 1, matchingType: 1, data: leafSpkiSha256 }], [leaf, root]),
    ).toBe(true);
  });

  it('matches DANE-EE on the whole certificate (3 0 1) and with SHA-512 (3 1 2)', () => {
    expect(
      matchDane([{ usage: 3, selector: 0, matchingType: 1, data: sha('sha256', leaf) }], [leaf]),
    ).toBe(true);
    expect(
      matchDane(
        [{ usage: 3, selector: 1, matchingType: 2, data: sha('sha512', spki(leaf)) }],
        [leaf],
      ),
    ).toBe(true);
  });

  it('matches DANE-TA (2 1 1) against a certificate above the leaf, never the leaf itself', () => {
    expect(
      matchDane(
        [{ usage: 2, selector: 1, matchingType: 1, data: sha('sha256', spki(root)) }],
        [leaf, root],
      ),
    ).toBe(true);
    expect(
      matchDane([{ usage: 2, selector: 1, matchingType: 1, data: leafSpkiSha256 }], [leaf, root]),
    ).toBe(false);
  });

  it('ignores PKIX usages 0 and 1 for SMTP, and fails on a wrong digest', () => {
    expect(
      matchDane([{ usage: 1, selector: 1, matchingType: 1, data: leafSpkiSha256 }], [leaf]),
    ).toBe(false);
    expect(
      matchDane([{ usage: 3, selector: 1, matchingType: 1, data: Buffer.alloc(32) }], [leaf]),
    ).toBe(false);
  });
});
