import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeHeaders, TLS_RULES } from '../../src/core';
import type { Analysis } from '../../src/core';

const STATUSES = new Set(['tls', 'none', 'internal', 'unknown']);
const CHAIN = new Set(['encrypted', 'partially-encrypted', 'not-encrypted', 'unknown']);

/** Invariants every Analysis must satisfy, whatever the input. */
function checkInvariants(a: Analysis): void {
  expect(CHAIN.has(a.verdict.status)).toBe(true);
  expect(a.verdict.sentence.length).toBeGreaterThan(0);
  a.hops.forEach((hop, i) => {
    expect(hop.index).toBe(i);
    expect(STATUSES.has(hop.tls.status)).toBe(true);
    if (hop.tls.evidence !== null) expect(hop.raw).toContain(hop.tls.evidence);
    // Evidence, not guesses: a TLS claim always names its rule and evidence.
    if (hop.tls.status === 'tls') {
      expect(hop.tls.rule).not.toBeNull();
      expect(hop.tls.evidence).not.toBeNull();
    }
    if (hop.delaySeconds !== null) expect(hop.clockSkew).toBe(hop.delaySeconds < 0);
  });
  const cleartext = a.hops.find((h) => h.tls.status === 'none');
  expect(a.verdict.firstCleartextHop).toBe(cleartext?.index ?? null);
  if (a.verdict.status === 'encrypted')
    expect(a.hops.some((h) => h.tls.status === 'tls')).toBe(true);
  expect(() => JSON.stringify(a)).not.toThrow();
}

const examples = TLS_RULES.map((r) => r.example.field);
const sample = readFileSync(
  path.join(__dirname, '../../assets/samples/exchange-online-8-hops.eml'),
  'utf8',
);
const headerChars = fc.constantFrom(
  ...'()[]<>;:=@ \t\r\n"\\/.,-_abcESMTPSwithbyfromid0123456789'.split(''),
);

describe('analyzeHeaders never throws and keeps its invariants', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => checkInvariants(analyzeHeaders(s))),
      { numRuns: 400 },
    );
  });

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => checkInvariants(analyzeHeaders(b))),
      { numRuns: 300 },
    );
  });

  it('on Received fields built from header punctuation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringOf(headerChars, { maxLength: 300 }), { maxLength: 8 }),
        (values) =>
          checkInvariants(analyzeHeaders(values.map((v) => `Received: ${v}`).join('\r\n'))),
      ),
      { numRuns: 400 },
    );
  });

  it('on mutated real-world-shaped fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 20 }),
        (field, a, b, insert) => {
          const start = a % (field.length + 1);
          const end = Math.min(field.length, start + (b % 40));
          checkInvariants(
            analyzeHeaders(`Received: ${field.slice(0, start)}${insert}${field.slice(end)}`),
          );
        },
      ),
      { numRuns: 600 },
    );
  });

  it('on truncations of the bundled sample', () => {
    fc.assert(
      fc.property(fc.nat({ max: sample.length }), (n) =>
        checkInvariants(analyzeHeaders(sample.slice(0, n))),
      ),
      { numRuns: 200 },
    );
  });

  it('removing a TLS statement never makes a hop more encrypted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TLS_RULES.filter((r) => r.status === 'tls')), (rule) => {
        const withTls = analyzeHeaders(`Received: ${rule.example.field}`).hops[0];
        const evidence = withTls?.tls.evidence ?? '';
        const stripped = rule.example.field.replace(evidence, 'x');
        const without = analyzeHeaders(`Received: ${stripped}`).hops[0];
        expect(without?.tls.rule).not.toBe(rule.id);
      }),
    );
  });
});
