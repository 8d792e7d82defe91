import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeHeaders } from '../../src/core';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/headers', name));
const sample = () =>
  readFileSync(path.join(__dirname, '../../assets/samples/exchange-online-8-hops.eml'));

describe('analyzeHeaders on whole messages', () => {
  it('reads the bundled Exchange Online sample: 8 hops, encrypted, auth decoded', () => {
    const a = analyzeHeaders(new Uint8Array(sample()));
    expect(a.hops).toHaveLength(8);
    expect(a.hops.map((h) => h.tls.status)).toEqual([
      'internal',
      'tls',
      'tls',
      'tls',
      'tls',
      'tls',
      'tls',
      'tls',
    ]);
    expect(a.verdict.status).toBe('encrypted');
    expect(a.verdict.weakestVersion).toBe('TLS1.2');
    expect(a.summary.subject).toBe('Rapport trimestriel – révision finale');
    expect(a.summary.from).toBe('Renée Dupont <renee@example.com>');
    expect(a.authentication[0]?.results.find((r) => r.method === 'compauth')?.result).toBe('pass');
    expect(a.hops[3]?.tls.peerCertificate).toEqual({
      status: 'verified',
      subject: 'mail.protection.outlook.com',
      issuer: 'DigiCert Cloud Services CA-1',
    });
    expect(a.warnings).toEqual([]);
  });

  it('finds the cleartext loopback hop and ignores the body', () => {
    const a = analyzeHeaders(new Uint8Array(fixture('postfix-loopback-cleartext.eml')));
    expect(a.hops.map((h) => [h.tls.status, h.tls.rule])).toEqual([
      ['internal', 'exim-local'],
      ['tls', 'exim-tls-keyword'],
      ['none', 'plain-smtp-keyword'],
      ['tls', 'gmail-version-cipher'],
      ['internal', 'no-sending-peer'],
    ]);
    expect(a.verdict).toMatchObject({ status: 'partially-encrypted', firstCleartextHop: 2 });
    expect(a.verdict.sentence).toMatch(
      /^Not encrypted on hop 3 \(localhost → relay\.example\.org\)/,
    );
    expect(a.summary.subject).toBe('Your order is on its way – n° 4711');
    expect(a.hops[2]?.delaySeconds).toBe(2);
  });

  it('keeps the exact evidence substring of the unfolded field', () => {
    const a = analyzeHeaders(new Uint8Array(fixture('postfix-loopback-cleartext.eml')));
    for (const hop of a.hops) {
      if (hop.tls.evidence !== null) expect(hop.raw).toContain(hop.tls.evidence);
    }
  });

  it('reads CR-only and LF-only copies of a CRLF message identically', () => {
    const crlf = sample().toString('utf8');
    const lf = crlf.replace(/\r\n/g, '\n');
    const cr = crlf.replace(/\r\n/g, '\r');
    const expected = analyzeHeaders(crlf).hops.map((h) => [
      h.tls.status,
      h.tls.cipher,
      h.date?.iso,
    ]);
    expect(analyzeHeaders(lf).hops.map((h) => [h.tls.status, h.tls.cipher, h.date?.iso])).toEqual(
      expected,
    );
    expect(analyzeHeaders(cr).hops.map((h) => [h.tls.status, h.tls.cipher, h.date?.iso])).toEqual(
      expected,
    );
  });

  it('warns about invalid UTF-8 and still analyzes', () => {
    const bytes = Buffer.concat([
      Buffer.from('Subject: caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from(
        '\r\nReceived: from a (a [192.0.2.1]) by b with ESMTPS id 1; Tue, 12 Mar 2024 09:00:00 +0000\r\n',
      ),
    ]);
    const a = analyzeHeaders(new Uint8Array(bytes));
    expect(a.warnings.map((w) => w.code)).toContain('invalid-utf8');
    expect(a.summary.subject).toBe('caf\uFFFD\uFFFD');
    expect(a.hops[0]?.tls.status).toBe('tls');
  });

  it('bounds the number of hops and the length of one field, with warnings', () => {
    const hop =
      'Received: from a (a [192.0.2.1]) by b with ESMTP id 1; Tue, 12 Mar 2024 09:00:00 +0000';
    const many = analyzeHeaders(Array.from({ length: 12 }, () => hop).join('\n'), {
      limits: { maxReceived: 10 },
    });
    expect(many.hops).toHaveLength(10);
    expect(many.warnings.map((w) => w.code)).toContain('too-many-received');
    const long = analyzeHeaders(`Received: from a ${'('.repeat(40_000)}`);
    expect(long.hops).toHaveLength(1);
    expect(long.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['field-too-long', 'comment-too-deep']),
    );
  });

  it('produces plain JSON-serializable data following the contract', () => {
    const a = analyzeHeaders(new Uint8Array(sample()));
    const roundTrip = JSON.parse(JSON.stringify(a)) as typeof a;
    expect(roundTrip).toEqual(a);
    const hop = roundTrip.hops[1];
    expect(Object.keys(hop ?? {})).toEqual(
      expect.arrayContaining(['index', 'from', 'by', 'with', 'date', 'delaySeconds', 'tls']),
    );
    expect(Object.keys(hop?.tls ?? {})).toEqual(
      expect.arrayContaining(['status', 'version', 'cipher', 'evidence', 'rule']),
    );
    expect(Object.keys(roundTrip.verdict)).toEqual(
      expect.arrayContaining(['status', 'firstCleartextHop', 'weakestVersion', 'sentence']),
    );
  });
});
