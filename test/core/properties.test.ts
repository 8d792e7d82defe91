import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeHeaders, TLS_RULES } from '../../src/core';
import type { Analysis } from '../../src/core';
import { invariantViolations } from '../support/analysis-invariants';

/** Invariants every Analysis must satisfy, whatever the input. */
function checkInvariants(a: Analysis): void {
  expect(invariantViolations(a)).toEqual([]);
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
