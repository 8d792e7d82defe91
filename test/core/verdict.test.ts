import { analyzeHeaders } from '../../src/core';

const DATE = (s: number) => `Tue, 12 Mar 2024 09:00:${String(s).padStart(2, '0')} +0000`;
const TLS_HOP = (from: string, by: string, s: number) =>
  `Received: from ${from} (${from} [192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by ${by} (Postfix) with ESMTPS id A${s}; ${DATE(s)}`;
const PLAIN_HOP = (from: string, by: string, s: number) =>
  `Received: from ${from} (${from} [192.0.2.2]) by ${by} (Postfix) with ESMTP id B${s}; ${DATE(s)}`;
const MAPI_HOP = (s: number) =>
  `Received: from mbx.example.com ([fe80::1]) by mbx.example.com ([fe80::1%4]) with mapi id 15.20.1.1; ${DATE(s)}`;
const UNKNOWN_HOP = (s: number) => `Received: (qmail 1 invoked from network); ${DATE(s)}`;
const OLD_HOP = (from: string, by: string, s: number) =>
  `Received: from ${from} (${from} [192.0.2.3]) (using TLSv1 with cipher AES128-SHA (128/128 bits)) by ${by} (Postfix) with ESMTPS id C${s}; ${DATE(s)}`;

/** Builds a header section from hops listed origin first (Received fields are prepended). */
const headers = (...originFirst: string[]) =>
  [...originFirst].reverse().join('\r\n') + '\r\nSubject: t\r\n';

describe('chain verdict', () => {
  it('encrypted when every relay hop used TLS; internal hops do not count', () => {
    const a = analyzeHeaders(
      headers(
        MAPI_HOP(0),
        TLS_HOP('a.example.org', 'b.example.com', 1),
        TLS_HOP('b.example.com', 'c.example.net', 3),
      ),
    );
    expect(a.verdict).toMatchObject({
      status: 'encrypted',
      firstCleartextHop: null,
      weakestVersion: 'TLS1.3',
      counts: { tls: 2, internal: 1, none: 0, unknown: 0 },
    });
    expect(a.verdict.sentence).toBe('Encrypted on all 2 relay hops (TLS 1.3).');
  });

  it('partially encrypted names the first cleartext hop (origin = index 0)', () => {
    const a = analyzeHeaders(
      headers(
        TLS_HOP('a.example.org', 'b.example.com', 1),
        PLAIN_HOP('b.example.com', 'c.example.net', 2),
        TLS_HOP('c.example.net', 'd.example.net', 4),
      ),
    );
    expect(a.verdict.status).toBe('partially-encrypted');
    expect(a.verdict.firstCleartextHop).toBe(1);
    expect(a.verdict.sentence).toBe(
      'Not encrypted on hop 2 (b.example.com → c.example.net); 2 of 3 relay hops used TLS (TLS 1.3).',
    );
  });

  it('not encrypted when no relay hop used TLS', () => {
    const a = analyzeHeaders(
      headers(
        PLAIN_HOP('a.example.org', 'b.example.com', 1),
        PLAIN_HOP('b.example.com', 'c.example.net', 2),
      ),
    );
    expect(a.verdict.status).toBe('not-encrypted');
    expect(a.verdict.firstCleartextHop).toBe(0);
    expect(a.verdict.sentence).toMatch(
      /^Not encrypted: none of the 2 relay hops shows TLS, starting at hop 1 \(a\.example\.org → b\.example\.com\)\.$/,
    );
  });

  it('unknown when a relay hop does not say and none is cleartext', () => {
    const a = analyzeHeaders(headers(UNKNOWN_HOP(0), TLS_HOP('a.example.org', 'b.example.com', 1)));
    expect(a.verdict.status).toBe('unknown');
    expect(a.verdict.sentence).toBe(
      'Unknown: 1 of 2 relay hops do not say whether TLS was used; the other 1 used TLS (TLS 1.3).',
    );
  });

  it('unknown with a clear sentence when there are no Received fields', () => {
    const a = analyzeHeaders('Subject: only this\r\n');
    expect(a.verdict.status).toBe('unknown');
    expect(a.hops).toEqual([]);
    expect(a.warnings.map((w) => w.code)).toContain('no-received');
  });

  it('reports the weakest version and flags the weak hop', () => {
    const a = analyzeHeaders(
      headers(
        OLD_HOP('a.example.org', 'b.example.com', 1),
        TLS_HOP('b.example.com', 'c.example.net', 2),
      ),
    );
    expect(a.verdict.weakestVersion).toBe('TLS1.0');
    expect(a.verdict.strongestVersion).toBe('TLS1.3');
    expect(a.verdict.weakHops).toEqual([0]);
    expect(a.verdict.sentence).toContain('Weak encryption on hop 1: TLS 1.0 is deprecated');
  });

  it('computes delays, total transit and clock skew', () => {
    const a = analyzeHeaders(
      headers(TLS_HOP('a', 'b', 10), TLS_HOP('b', 'c', 40), TLS_HOP('c', 'd', 35)),
    );
    expect(a.hops.map((h) => h.delaySeconds)).toEqual([null, 30, -5]);
    expect(a.hops.map((h) => h.clockSkew)).toEqual([false, false, true]);
    expect(a.verdict.totalTransitSeconds).toBe(25);
    expect(a.warnings.map((w) => w.code)).toEqual(['clock-skew']);
  });

  it('leaves delays null around a hop without a date', () => {
    const noDate = 'Received: from x (x [192.0.2.9]) by y with ESMTPS id 1';
    const a = analyzeHeaders(headers(TLS_HOP('a', 'b', 10), noDate, TLS_HOP('c', 'd', 35)));
    expect(a.hops.map((h) => h.delaySeconds)).toEqual([null, null, null]);
    expect(a.verdict.totalTransitSeconds).toBe(25);
    expect(a.warnings).toContainEqual(expect.objectContaining({ code: 'missing-date', hop: 1 }));
  });
});
