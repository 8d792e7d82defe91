import { allMatches, decodeBytes } from '../text';

/**
 * RFC 2047 encoded-word: =?charset[*language]?B|Q?encoded-text?=
 * The character classes exclude '?' and whitespace, so matching is linear.
 */
const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g;

interface Piece {
  start: number;
  end: number;
  charset: string;
  bytes: number[];
}

/**
 * Decodes RFC 2047 encoded words in an unstructured field (Subject) or in the phrases of an
 * address field (From, To). Adjacent encoded words separated only by whitespace are joined
 * before decoding (RFC 2047 §6.2), which also repairs multi-byte characters that senders split
 * across words. Unknown charsets fall back to UTF-8; malformed words are left as written.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  const pieces: Piece[] = [];
  for (const match of allMatches(ENCODED_WORD, value)) {
    const [whole, charset = '', encoding = '', text = ''] = match;
    const start = match.index ?? 0;
    const bytes = encoding.toUpperCase() === 'B' ? base64Bytes(text) : qBytes(text);
    if (bytes === null) continue;
    pieces.push({ start, end: start + whole.length, charset: charset.toLowerCase(), bytes });
  }
  if (pieces.length === 0) return value;

  let out = '';
  let cursor = 0;
  let i = 0;
  while (i < pieces.length) {
    const first = pieces[i] as Piece;
    out += value.slice(cursor, first.start);
    let last = first;
    let length = first.bytes.length;
    let j = i + 1;
    for (; j < pieces.length; j++) {
      const next = pieces[j] as Piece;
      if (next.charset !== first.charset || value.slice(last.end, next.start).trim() !== '') break;
      length += next.bytes.length;
      last = next;
    }
    const bytes = new Uint8Array(length);
    for (let k = i, offset = 0; k < j; k++) {
      const piece = pieces[k] as Piece;
      bytes.set(piece.bytes, offset);
      offset += piece.bytes.length;
    }
    const decoded = decodeBytes(bytes, first.charset) ?? decodeBytes(bytes, 'utf-8') ?? '';
    out += decoded;
    cursor = last.end;
    // Whitespace between two encoded words of different charsets is also dropped (§6.2).
    if (j < pieces.length && value.slice(last.end, (pieces[j] as Piece).start).trim() === '') {
      cursor = (pieces[j] as Piece).start;
    }
    i = j;
  }
  return out + value.slice(cursor);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Bytes(text: string): number[] | null {
  const bytes: number[] = [];
  let buffer = 0;
  let bitCount = 0;
  for (const ch of text) {
    if (ch === '=') break;
    const v = BASE64_ALPHABET.indexOf(ch);
    if (v < 0) return null;
    buffer = (buffer << 6) | v;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes.push((buffer >> bitCount) & 0xff);
    }
  }
  return bytes;
}

/** "Q" encoding (RFC 2047 §4.2): '_' is a space, =XX a byte, anything else itself. */
function qBytes(text: string): number[] | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = ch.charCodeAt(0);
      bytes.push(code < 0x80 ? code : 0x3f);
    }
  }
  return bytes;
}
