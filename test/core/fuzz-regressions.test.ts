import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeHeaders } from '../../src/core';
import {
  AGREEMENT_VARIANTS,
  agreementViolation,
  invariantViolations,
} from '../support/analysis-invariants';

/**
 * Inputs the fuzzer (npm run fuzz) once found breaking a property, kept in test/fixtures/fuzz
 * so that the bug stays fixed. Every property is replayed on every one of them.
 *   cr-only-fields-then-lf-body.txt  two Received fields split by a bare CR: with a body after
 *     them, the LF of the body made the splitter stop seeing CR as a line end, merging them.
 *   crcrlf-inside-a-folded-field.txt  "\r\r\n" (CRLF converted twice) inside DKIM-Signature:
 *     after the fix above it read as an empty line, ending the header section before the last
 *     Received field; with LF line ends it did not.
 */

const DIRECTORY = path.join(__dirname, '../fixtures/fuzz');
const CASES = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => [name, readFileSync(path.join(DIRECTORY, name), 'utf8')] as const);

describe('inputs found by fuzzing', () => {
  it('are kept', () => {
    expect(CASES.length).toBeGreaterThan(0);
  });

  test.each(CASES)(
    '%s keeps the invariants and gets one answer however it arrives',
    (_name, input) => {
      expect(invariantViolations(analyzeHeaders(input))).toEqual([]);
      for (const variant of AGREEMENT_VARIANTS)
        expect(agreementViolation(input, variant)).toBeNull();
    },
  );
});
