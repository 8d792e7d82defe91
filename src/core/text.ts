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

const TextDecoderImpl = (globalThis as unknown as { TextDecoder: TextDecoderConstructor })
  .TextDecoder;

/** Decodes bytes in the named charset; null when the platform does not know the charset. */
export function decodeBytes(bytes: Uint8Array, charset: string): string | null {
  let decoder: TextDecoderLike;
  try {
    decoder = new TextDecoderImpl(charset);
  } catch {
    return null;
  }
  return decoder.decode(bytes);
}

/** Decodes UTF-8; reports whether the bytes were valid (invalid sequences become U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: new TextDecoderImpl('utf-8', { fatal: true }).decode(bytes), valid: true };
  } catch {
    return { text: new TextDecoderImpl('utf-8').decode(bytes), valid: false };
  }
}

/** Collapses runs of whitespace to one space and trims: for display and comparisons only. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
