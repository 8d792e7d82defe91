/**
 * Tokens of a Received field value (RFC 5321 §4.4, RFC 5322 §3.6.7), with their offsets in the
 * unfolded text so that any clause can be quoted back exactly as written.
 *
 * - comment: "( … )", nested, with quoted-pairs (RFC 5322 §3.2.2); an unclosed one runs to the end
 * - bracket: "[ … ]" address literal or MTA decoration ("[unix socket]", "[XMail 1.20 ESMTP Server]")
 * - angle: "< … >", nested (ids and paths such as <"a@b" <a@b>>)
 * - quoted: "\" … \""
 * - semicolon: the separator before the date
 * - word: any other run of non-space characters
 *
 * Every character is visited once: the tokenizer is linear in the input, whatever its shape.
 */
export type TokenKind = 'word' | 'comment' | 'bracket' | 'angle' | 'quoted' | 'semicolon';

/**
 * A token names its place in the text; the text between its delimiters (`inner`) is cut only
 * when asked for, since most tokens of a field are never read again.
 */
export class Token {
  constructor(
    readonly kind: TokenKind,
    readonly start: number,
    readonly end: number,
    /** The whole field the token was cut from. */
    readonly source: string,
    private readonly innerStart: number,
    private readonly innerEnd: number,
    /** For comments nested deeper than the limit: kept as text, flagged for a warning. */
    readonly depthExceeded = false,
  ) {}

  /** Text without the delimiters for comment, bracket, angle and quoted; the word itself otherwise. */
  get inner(): string {
    return this.source.slice(this.innerStart, this.innerEnd);
  }

  get innerLength(): number {
    return this.innerEnd - this.innerStart;
  }
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

export function tokenize(text: string, maxCommentDepth: number): Token[] {
  const tokens: Token[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 0x28 /* ( */) {
      let depth = 0;
      let deepest = 0;
      while (i < length) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          i += 2;
          continue;
        }
        if (d === 0x28) {
          depth++;
          if (depth > deepest) deepest = depth;
        } else if (d === 0x29 /* ) */) {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
        i++;
      }
      const end = Math.min(i, length);
      const closed = text.charCodeAt(end - 1) === 0x29 && depth === 0;
      tokens.push(
        new Token(
          'comment',
          start,
          end,
          text,
          start + 1,
          closed ? end - 1 : end,
          deepest > maxCommentDepth,
        ),
      );
      continue;
    }
    if (c === 0x3b /* ; */) {
      tokens.push(new Token('semicolon', start, start + 1, text, start, start + 1));
      i++;
      continue;
    }
    if (c === 0x5b /* [ */) {
      const close = text.indexOf(']', i + 1);
      // "[[UNIX: localhost]]" style doubled brackets close on the doubled bracket.
      let end = close < 0 ? length : close + 1;
      if (text.charCodeAt(i + 1) === 0x5b && text.charCodeAt(end) === 0x5d) end++;
      tokens.push(new Token('bracket', start, end, text, start + 1, end - 1));
      i = end;
      continue;
    }
    if (c === 0x3c /* < */) {
      let depth = 0;
      while (i < length) {
        const d = text.charCodeAt(i);
        if (d === 0x3c) depth++;
        else if (d === 0x3e /* > */) {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
        i++;
      }
      tokens.push(new Token('angle', start, i, text, start + 1, Math.max(start + 1, i - 1)));
      continue;
    }
    if (c === 0x22 /* " */) {
      const close = text.indexOf('"', i + 1);
      const end = close < 0 ? length : close + 1;
      tokens.push(new Token('quoted', start, end, text, start + 1, end - 1));
      i = end;
      continue;
    }
    while (i < length) {
      const d = text.charCodeAt(i);
      if (isSpace(d) || d === 0x28 || d === 0x3b) break;
      i++;
    }
    tokens.push(new Token('word', start, i, text, start, i));
  }
  return tokens;
}
