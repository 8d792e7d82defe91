/**
 * Every bound the analyzer enforces, in one place, each with the input it defends against.
 * Exceeding one never throws: the analyzer stops reading at the bound and adds a warning.
 */
export interface Limits {
  /**
   * Characters of header section read. Real header sections, even with 40 relays and ARC sets,
   * stay under 200 KB; a pasted multi-megabyte message body must not stall the pane.
   */
  maxHeaderChars: number;
  /** Header fields read. Stops "100 000 tiny fields" inputs from building huge arrays. */
  maxFields: number;
  /** Received fields turned into hops. Mail loops stop at ~100 hops (RFC 5321 §6.3). */
  maxReceived: number;
  /**
   * Characters of one field that are parsed (Received, Authentication-Results, Subject …).
   * Real ones are under a few KB; a giant field of parentheses or encoded words is cut here so
   * every later step works on bounded text.
   */
  maxFieldChars: number;
  /** Nesting depth of comments kept as structure; deeper "((((…" is read as plain text. */
  maxCommentDepth: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxHeaderChars: 1024 * 1024,
  maxFields: 10_000,
  maxReceived: 500,
  maxFieldChars: 16 * 1024,
  maxCommentDepth: 32,
});
