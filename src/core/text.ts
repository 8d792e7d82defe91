/**
 * Byte decoding through the WHATWG Encoding API, which both browsers and Node ≥ 11 provide as a
 * global. It is looked up on globalThis so the core compiles with ES2022 types alone.
 */
interface TextDecoderLike {
  decode(input: Uint8Array): string;
}
type TextDecoderConstructor = new (
  label: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => TextDecoderLike;

/** Looked up on each construction, so that merely importing the core needs no Encoding API. */
function newTextDecoder(label: string, options?: { fatal?: boolean }): TextDecoderLike {
  const { TextDecoder } = globalThis as unknown as { TextDecoder: TextDecoderConstructor };
  return new TextDecoder(label, options);
}

/**
 * windows-1252 0x80–0x9F (the WHATWG Encoding Standard maps "iso-8859-1", "latin1" and
 * "us-ascii" labels to windows-1252 too). Decoded here because Node 20's TextDecoder drops these
 * bytes for this charset; 0 marks the five unassigned bytes, which map to the C1 control itself.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
  0x203a, 0x0153, 0, 0x017e, 0x0178,
];
const WINDOWS_1252_LABELS: ReadonlySet<string> = new Set([
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'l1',
  'us-ascii',
  'ascii',
  'cp819',
  'ibm819',
  'iso-ir-100',
]);

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    const mapped = byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH[byte - 0x80] || byte : byte;
    out += String.fromCharCode(mapped);
  }
  return out;
}

/** Decodes bytes in the named charset; null when the platform does not know the charset. */
export function decodeBytes(bytes: Uint8Array, charset: string): string | null {
  if (WINDOWS_1252_LABELS.has(charset.trim().toLowerCase())) return decodeWindows1252(bytes);
  const decoder = decoderFor(charset.trim().toLowerCase());
  return decoder === null ? null : decoder.decode(bytes);
}

/** Decoders are costly to construct and keep no state between whole decode() calls: reuse them. */
const decoders = new Map<string, TextDecoderLike | null>();

function decoderFor(label: string): TextDecoderLike | null {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = newTextDecoder(label);
    } catch {
      decoder = null;
    }
    // Labels come from hostile input: remember only a bounded number of them.
    if (decoders.size < 64) decoders.set(label, decoder);
  }
  return decoder;
}

/** Decodes UTF-8; reports whether the bytes were valid (invalid sequences become U+FFFD). */
let utf8: { strict: TextDecoderLike; lenient: TextDecoderLike } | null = null;

export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  utf8 ??= {
    strict: newTextDecoder('utf-8', { fatal: true }),
    lenient: newTextDecoder('utf-8'),
  };
  try {
    return { text: utf8.strict.decode(bytes), valid: true };
  } catch {
    return { text: utf8.lenient.decode(bytes), valid: false };
  }
}

/** Collapses runs of whitespace to one space and trims: for display and comparisons only. */
export function collapseWhitespace(text: string): string {
  const trimmed = text.trim();
  return hasInnerRuns(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/**
 * Whether a trimmed value has whitespace other than single spaces: native substring searches
 * are several times cheaper than a replace that changes nothing, and most values are clean.
 */
function hasInnerRuns(text: string): boolean {
  return (
    text.includes('  ') ||
    text.includes('\t') ||
    text.includes('\n') ||
    text.includes('\r') ||
    OTHER_SPACE.test(text)
  );
}

/** Whitespace to \s other than the space, tab, CR and LF tested above (ECMA-262 §12.2, §12.3). */
const OTHER_SPACE = /[\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/**
 * Every match of a global pattern, like String#matchAll but without its per-call copy of the
 * pattern (measured at twice the cost on header-sized inputs). Not re-entrant for one pattern.
 */
export function allMatches(pattern: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    matches.push(match);
    // A zero-length match would otherwise be found again at the same place forever.
    if (match[0] === '') pattern.lastIndex++;
  }
  return matches;
}
