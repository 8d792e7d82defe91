import { decodeEncodedWords } from '../../../src/core/headers/encoded-words';

describe('decodeEncodedWords (RFC 2047)', () => {
  test.each([
    [
      'UTF-8 B',
      '=?UTF-8?B?UmFwcG9ydCB0cmltZXN0cmllbCDigJMgcsOpdmlzaW9u?=',
      'Rapport trimestriel – révision',
    ],
    [
      'UTF-8 Q with underscores',
      '=?utf-8?Q?Ren=C3=A9e_Dupont?= <renee@example.com>',
      'Renée Dupont <renee@example.com>',
    ],
    ['ISO-8859-1 Q', '=?ISO-8859-1?Q?Caf=E9?=', 'Café'],
    ['windows-1252 (curly quotes)', '=?windows-1252?Q?=93quoted=94?=', '\u201cquoted\u201d'],
    ['KOI8-R B', '=?KOI8-R?B?8NLJ18XU?=', 'Привет'],
    ['Shift_JIS B', '=?Shift_JIS?B?k/qWe4zq?=', '日本語'],
    ['ISO-2022-JP B', '=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=', '日本語'],
    ['language suffix (RFC 2231)', '=?UTF-8*en?Q?Hello?=', 'Hello'],
    ['adjacent words joined, whitespace between them dropped', '=?UTF-8?Q?a?= =?UTF-8?Q?b?=', 'ab'],
    ['multi-byte character split across two words', '=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=', 'éé'],
    ['text between words kept', '=?UTF-8?Q?a?= and =?UTF-8?Q?b?=', 'a and b'],
    ['unknown charset falls back to UTF-8', '=?x-unknown?Q?ok?=', 'ok'],
    ['malformed Q left as written', '=?UTF-8?Q?bad=ZZ?=', '=?UTF-8?Q?bad=ZZ?='],
    ['malformed B left as written', '=?UTF-8?B?***?=', '=?UTF-8?B?***?='],
    ['plain text untouched', 'Quarterly report', 'Quarterly report'],
  ])('%s', (_name, input, expected) => {
    expect(decodeEncodedWords(input)).toBe(expected);
  });
});
