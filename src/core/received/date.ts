import type { ReceivedDate } from '../types';

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * Zone names: RFC 5322 §4.3 obsolete zones, plus the abbreviations MTAs still print alone
 * (Exim 3 "EST", CommuniGate "CET", Yahoo "PST"). Ambiguous ones (IST, CST in Asia) are read
 * as RFC 5322 or the most common mail usage; a numeric offset, when present, always wins.
 */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  bst: 60,
  cet: 60,
  met: 60,
  west: 60,
  cest: 120,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  sgt: 480,
  hkt: 480,
  awst: 480,
  jst: 540,
  kst: 540,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const NUMERIC_ZONE = /^([+-])(\d{2})(\d{2})$/;

/**
 * Reads the date of a Received field: RFC 5322 §3.3 date-time, its obsolete forms (§4.3: two-
 * and three-digit years, zone names, missing day name or seconds), and asctime() order
 * ("Fri Feb 07 10:18:12 2003 -0800", written by smap and some gateways). Comments are ignored.
 * A date without any zone is read as UTC and reports offsetMinutes null.
 */
export function parseReceivedDate(raw: string): ReceivedDate {
  const text = raw.trim();
  const result: ReceivedDate = { raw: text, iso: null, epochMs: null, offsetMinutes: null };
  const words = stripComments(text)
    .split(/[\s,]+/)
    .filter((w) => w !== '');
  if (words.length === 0 || words.length > 12) return result;

  let month = -1;
  let monthAt = -1;
  let time: RegExpExecArray | null = null;
  let timeAt = -1;
  let offset: number | null = null;
  let namedOffset: number | null = null;
  const numbers: { value: string; at: number }[] = [];
  words.forEach((word, at) => {
    const lower = word.toLowerCase();
    const monthIndex = monthOf(lower);
    if (month < 0 && monthIndex !== null) {
      month = monthIndex;
      monthAt = at;
      return;
    }
    const t = time === null ? TIME.exec(word) : null;
    if (t) {
      time = t;
      timeAt = at;
      return;
    }
    const z = NUMERIC_ZONE.exec(word);
    if (z && offset === null) {
      const minutes = Number(z[2]) * 60 + Number(z[3]);
      // "-0000" (RFC 5322 §3.3: zone unknown) is read as UTC, never as a negative zero.
      if (Number(z[2]) <= 23 && Number(z[3]) <= 59)
        offset = z[1] === '-' ? 0 - minutes || 0 : minutes;
      return;
    }
    if (ZONES[lower] !== undefined && namedOffset === null) {
      namedOffset = ZONES[lower] as number;
      return;
    }
    if (/^\d{1,4}$/.test(word)) numbers.push({ value: word, at });
  });
  if (month < 0 || time === null) return result;

  // RFC 5322 order is "day month year time"; asctime order is "month day time year".
  let day: string | undefined;
  let year: string | undefined;
  const before = numbers.filter((n) => n.at < monthAt);
  const after = numbers.filter((n) => n.at > monthAt);
  if (before.length > 0) {
    day = before[before.length - 1]?.value;
    year = after[0]?.value;
  } else {
    day = after[0]?.value;
    year = after.find((n) => n.at > timeAt && n !== after[0])?.value ?? after[1]?.value;
  }
  if (day === undefined || year === undefined || day.length > 2) return result;

  let fullYear = Number(year);
  if (year.length === 2) fullYear += fullYear < 50 ? 2000 : 1900;
  else if (year.length === 3) fullYear += 1900;
  const dayOfMonth = Number(day);
  const [, hh = '0', mm = '0', ss = '0'] = time as RegExpExecArray;
  const hour = Number(hh);
  const minute = Number(mm);
  const second = Number(ss);
  if (hour > 23 || minute > 59 || second > 60 || dayOfMonth < 1 || dayOfMonth > 31) return result;

  const localMs = Date.UTC(fullYear, month, dayOfMonth, hour, minute, Math.min(second, 59));
  const check = new Date(localMs);
  if (check.getUTCDate() !== dayOfMonth || check.getUTCMonth() !== month) return result;
  const zone: number | null = offset ?? namedOffset;
  const epochMs = localMs - (zone ?? 0) * 60_000;
  return { raw: text, iso: new Date(epochMs).toISOString(), epochMs, offsetMinutes: zone };
}

const FULL_MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** "Mar", "mar.", "March" → 2; anything else → null. */
function monthOf(word: string): number | null {
  const bare = word.endsWith('.') ? word.slice(0, -1) : word;
  if (bare.length === 3) return MONTHS[bare] ?? null;
  const full = FULL_MONTH_NAMES.indexOf(bare);
  return full >= 0 ? full : null;
}

/** Removes (possibly nested) comments in one pass. */
function stripComments(text: string): string {
  let depth = 0;
  let out = '';
  for (const ch of text) {
    if (ch === '(') {
      depth++;
      out += ' ';
    } else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}
