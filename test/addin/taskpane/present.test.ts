import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeHeaders, type Hop } from '../../../src/core';
import {
  delayText,
  evidenceParts,
  senderDomain,
  tlsBadge,
  verdictView,
} from '../../../src/addin/taskpane/present';

const read = (file: string) => readFileSync(path.join(__dirname, '../../..', file), 'utf8');

describe('pane presentation', () => {
  const encrypted = analyzeHeaders(read('assets/samples/exchange-online-8-hops.eml'));
  const weak = analyzeHeaders(read('test/fixtures/headers/proofpoint-weak-tls10.eml'));
  const cleartext = analyzeHeaders(read('test/fixtures/headers/postfix-loopback-cleartext.eml'));

  test.each([
    [encrypted, 'Encrypted on every hop', 'success'],
    [weak, 'Encrypted, but weakly on some hops', 'warning'],
    [cleartext, 'Not encrypted on every hop', 'warning'],
    [
      analyzeHeaders('Received: from a by b with SMTP; Tue, 12 Mar 2024 09:00:00 +0000\r\n'),
      'Not encrypted',
      'error',
    ],
    [analyzeHeaders('Subject: no route\r\n'), 'Encryption unknown', 'info'],
  ])('verdict banner %#', (analysis, title, intent) => {
    expect(verdictView(analysis)).toMatchObject({
      title,
      intent,
      sentence: analysis.verdict.sentence,
    });
  });

  it('labels each hop with words, not colour alone', () => {
    expect(weak.hops.map(tlsBadge)).toEqual([
      { label: 'TLS', tone: 'success' },
      { label: 'Weak TLS 1.0', tone: 'warning' },
      { label: 'TLS', tone: 'success' },
    ]);
    expect(cleartext.hops.map((hop) => tlsBadge(hop).label)).toEqual([
      'Internal',
      'TLS 1.3',
      'Not encrypted',
      'TLS 1.3',
      'Internal',
    ]);
  });

  it('writes delays, clock skew and the origin', () => {
    const hop = (delaySeconds: number | null, index: number, clockSkew = false) =>
      ({ delaySeconds, index, clockSkew }) as Hop;
    expect(delayText(hop(null, 0))).toBe('origin');
    expect(delayText(hop(null, 3))).toBe('delay unknown');
    expect(delayText(hop(75, 1))).toBe('+1 min 15 s');
    expect(delayText(hop(-5, 2, true))).toBe('−5 s (clocks disagree)');
  });

  it('cuts the raw field around its evidence', () => {
    const hop = encrypted.hops[1] as Hop;
    const parts = evidenceParts(hop);
    expect(parts.before + parts.evidence + parts.after).toBe(hop.raw);
    expect(parts.evidence).toBe(hop.tls.evidence);
  });

  test.each([
    ['Renée Dupont <renee@Example.COM>', 'example.com'],
    ['billing@legacy.mti.test', 'legacy.mti.test'],
    ['"a@b" <x@mail.bücher.example>', 'mail.bücher.example'],
    ['a@x.org, b@y.org', 'x.org'],
    ['undisclosed-recipients:;', null],
    [null, null],
  ])('senderDomain(%j) = %j', (value, domain) => {
    expect(senderDomain(value)).toBe(domain);
  });
});
