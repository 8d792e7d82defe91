import { splitHeaderSection, fieldValues, indexFields } from '../../../src/core/headers/split';
import { DEFAULT_LIMITS } from '../../../src/core/limits';

const split = (text: string, limits = DEFAULT_LIMITS) => splitHeaderSection(text, limits);

describe('splitHeaderSection', () => {
  it('reads CR CR LF as one line end, not as an empty line (found by fuzzing)', () => {
    const { fields } = split('A: 1\r\r\n continued\r\r\nB: 2\r\n\r\nbody');
    expect(fields).toEqual([
      { name: 'A', value: ' 1 continued' },
      { name: 'B', value: ' 2' },
    ]);
  });

  it('sees a bare CR as a line end even when LF line ends come later (found by fuzzing)', () => {
    const { fields } = split('Received: from a by b\rReceived: from c by d\r\n\r\nbody\n');
    expect(fields).toEqual([
      { name: 'Received', value: ' from a by b' },
      { name: 'Received', value: ' from c by d' },
    ]);
  });

  test.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR only', '\r'],
  ])('reads %s line ends and unfolds', (_name, eol) => {
    const text = [
      'Received: from a',
      '\tby b; Tue, 12 Mar 2024 09:00:00 +0000',
      'Subject: hi',
      '',
      'Body: not a header',
    ].join(eol);
    const { fields, warnings } = split(text);
    expect(fields).toEqual([
      { name: 'Received', value: ' from a\tby b; Tue, 12 Mar 2024 09:00:00 +0000' },
      { name: 'Subject', value: ' hi' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('skips leading blank lines and an mbox separator', () => {
    const { fields } = split('\n\nFrom MAILER-DAEMON Tue Mar 12 09:00:00 2024\nSubject: x\n');
    expect(fields).toEqual([{ name: 'Subject', value: ' x' }]);
  });

  it('accepts whitespace before the colon (obsolete syntax) and ignores junk lines', () => {
    const { fields } = split('Subject : a\nnot a field line\nTo: b\n');
    expect(fields.map((f) => f.name)).toEqual(['Subject', 'To']);
  });

  it('warns when there is no field at all', () => {
    expect(split('hello world').warnings.map((w) => w.code)).toEqual(['no-header-section']);
  });

  it('stops at the character limit with a warning', () => {
    const { fields, warnings } = split('Subject: ' + 'x'.repeat(100) + '\nTo: y\n', {
      ...DEFAULT_LIMITS,
      maxHeaderChars: 50,
    });
    expect(fields).toHaveLength(1);
    expect(warnings.map((w) => w.code)).toContain('input-too-large');
  });

  it('stops at the field limit with a warning', () => {
    const text = Array.from({ length: 20 }, (_, i) => `X-${i}: v`).join('\n');
    const { fields, warnings } = split(text, { ...DEFAULT_LIMITS, maxFields: 5 });
    expect(fields).toHaveLength(5);
    expect(warnings.map((w) => w.code)).toEqual(['too-many-fields']);
  });

  it('finds every field of a name, case-insensitively, in order', () => {
    const { fields } = split('received: 1\nReceived: 2\nRECEIVED: 3\n');
    expect(fieldValues(indexFields(fields), 'Received')).toEqual([' 1', ' 2', ' 3']);
  });
});
