import type { AnalysisWarning, HeaderField } from '../types';
import type { Limits } from '../limits';

export interface SplitResult {
  fields: HeaderField[];
  warnings: AnalysisWarning[];
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const COLON = 0x3a;

/**
 * Splits the header section of a message (or a bare header block) into unfolded fields.
 *
 * - Line ends may be CRLF, LF or CR alone (pastes from Outlook's "Internet headers" box and
 *   old Mac tools use CR; see corpus sample 078).
 * - The section ends at the first empty line after the first field (RFC 5322 §2.1), so a whole
 *   .eml can be given; leading empty lines of a paste are skipped.
 * - Unfolding removes only the line break before whitespace (RFC 5322 §2.2.3): the whitespace
 *   itself stays, so evidence substrings can be found in the unfolded value.
 * - An mbox "From " separator line is skipped; any other line that is neither a field nor a
 *   continuation is ignored (RFC 5322 §3.6.8 field names are printable ASCII without ':').
 *
 * One forward pass over the text, no regular expressions: linear in the input size.
 */
export function splitHeaderSection(text: string, limits: Limits): SplitResult {
  const warnings: AnalysisWarning[] = [];
  const fields: HeaderField[] = [];
  let input = text;
  if (input.length > limits.maxHeaderChars) {
    input = input.slice(0, limits.maxHeaderChars);
    warnings.push({
      code: 'input-too-large',
      message: `Only the first ${limits.maxHeaderChars} characters were read; the rest was ignored.`,
    });
  }

  let name: string | null = null;
  let value = '';
  let fieldLimitHit = false;
  let lineNumber = 0;

  const flush = (): void => {
    if (name === null) return;
    if (fields.length >= limits.maxFields) {
      fieldLimitHit = true;
    } else {
      fields.push({ name, value });
    }
    name = null;
    value = '';
  };

  // Line ends are CRLF, LF or CR alone, wherever they occur: whether a line ends must not
  // depend on the rest of the text (a body with LF line ends after CR-only headers, found by
  // fuzzing). Found with indexOf (native, fast), each kind's next position kept until passed.
  let pos = 0;
  const length = input.length;
  let nextLf = -1;
  let nextCr = -1;
  while (pos < length && !fieldLimitHit) {
    if (nextLf < pos) nextLf = indexOrEnd(input, '\n', pos);
    if (nextCr < pos) nextCr = indexOrEnd(input, '\r', pos);
    const lineEnd = Math.min(nextLf, nextCr);
    let next = lineEnd === length ? length : lineEnd + 1;
    if (lineEnd === nextCr) {
      // CR+ LF is one line end: "\r\r\n" is CRLF converted twice by a tool, not an empty line
      // that would end the header section early (found by fuzzing a DKIM-Signature field).
      let afterCrs = next;
      while (afterCrs < length && input.charCodeAt(afterCrs) === CR) afterCrs++;
      if (afterCrs === nextLf) next = afterCrs + 1;
    }
    const lineStart = pos;
    pos = next;
    lineNumber++;

    if (lineEnd === lineStart) {
      if (fields.length > 0 || name !== null) break;
      continue;
    }
    const first = input.charCodeAt(lineStart);
    if (first === SPACE || first === TAB) {
      if (name !== null) value += input.slice(lineStart, lineEnd);
      continue;
    }
    flush();
    if (lineNumber === 1 && input.startsWith('From ', lineStart)) continue;
    const colon = findFieldNameEnd(input, lineStart, lineEnd);
    if (colon < 0) continue;
    name = input.slice(lineStart, colon).trimEnd();
    value = input.slice(colon + 1, lineEnd);
  }
  flush();
  if (fieldLimitHit) {
    warnings.push({
      code: 'too-many-fields',
      message: `Only the first ${limits.maxFields} header fields were read; the rest were ignored.`,
    });
  }
  if (fields.length === 0) {
    warnings.push({
      code: 'no-header-section',
      message: 'No header fields were found. Paste the whole header section, starting at the top.',
    });
  }
  return { fields, warnings };
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index < 0 ? text.length : index;
}

/** Index of the ':' ending a field name on this line, or -1 when the line is not a field. */
function findFieldNameEnd(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) return i > start ? i : -1;
    // Obsolete syntax allows whitespace between the name and the colon (RFC 5322 §4.5.8).
    if (c === SPACE || c === TAB) {
      let j = i;
      while (j < end && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j++;
      return j < end && text.charCodeAt(j) === COLON && i > start ? j : -1;
    }
    if (c < 33 || c > 126) return -1;
  }
  return -1;
}

/** Field values by lower-cased name, in header order: built once, looked up many times. */
export type FieldIndex = ReadonlyMap<string, readonly string[]>;

export function indexFields(fields: readonly HeaderField[]): FieldIndex {
  const index = new Map<string, string[]>();
  for (const field of fields) {
    const key = field.name.toLowerCase();
    const values = index.get(key);
    if (values) values.push(field.value);
    else index.set(key, [field.value]);
  }
  return index;
}

/** Returns the values of every field with this name (case-insensitive), in header order. */
export function fieldValues(index: FieldIndex, name: string): readonly string[] {
  return index.get(name.toLowerCase()) ?? [];
}
