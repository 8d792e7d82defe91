import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeHeaders } from '../../src/core';
import { printable, formatSeconds, renderAnalysis } from '../../src/core/report';

const SAMPLE = path.join(__dirname, '../../assets/samples/exchange-online-8-hops.eml');

describe('renderAnalysis', () => {
  const report = renderAnalysis(analyzeHeaders(readFileSync(SAMPLE)));

  it('starts with the message summary a ticket needs', () => {
    expect(report.split('\n').slice(0, 4)).toEqual([
      expect.stringMatching(/^Subject: Rapport trimestriel – révision finale$/),
      expect.stringMatching(/^From: Renée Dupont <renee@example.com>$/),
      expect.stringMatching(/^Date: /),
      expect.stringMatching(/^Message-ID: </),
    ]);
  });

  it('lists every hop and ends the table with the verdict sentence', () => {
    const rows = report.split('\n').filter((line) => /^\d+ {2}/.test(line));
    expect(rows).toHaveLength(8);
    expect(report).toContain('Encrypted on all');
  });

  it('strips control characters from header values', () => {
    const hostile = renderAnalysis(
      analyzeHeaders(
        'Subject: \u001b[2Jgone\r\nReceived: from a by b with ESMTPS; Tue, 12 Mar 2024 09:00:00 +0000\r\n',
      ),
    );
    expect(hostile).not.toContain('\u001b');
    expect(hostile).toContain('Subject: \uFFFD[2Jgone');
  });
});

describe('report helpers', () => {
  test.each([
    [0, '0 s'],
    [59, '59 s'],
    [61, '1 min 1 s'],
    [3600, '1 h'],
    [90061, '1 d 1 h 1 min 1 s'],
    [-5, '-5 s'],
  ])('formatSeconds(%d) = %s', (s, text) => {
    expect(formatSeconds(s)).toBe(text);
  });

  it('printable replaces C0 and C1 controls', () => {
    expect(printable('a\u001bb\u009bc\td')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
  });
});
