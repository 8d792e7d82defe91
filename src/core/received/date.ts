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
  return parseCanonicalDate(text) ?? parseAnyDate(text);
}

/**
 * RFC 5322 §3.3 as nearly every MTA writes it — "Tue, 12 Mar 2024 09:14:09 +0000", perhaps with
 * a zone comment such as "(CET)" — read by one regular expression. Anything else, or a value
 * that fails the range checks, goes to the general reader below.
 */
const CANONICAL_DATE =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+([+-])(\d{2})(\d{2})(?:\s+\([^()]*\))?$/;

function parseCanonicalDate(text: string): ReceivedDate | null {
  const match = CANONICAL_DATE.exec(text);
  if (match === null) return null;
  const [, day, monthName, year, hh, mm, ss, sign, zoneHours, zoneMinutes] = match;
  const month = MONTHS[(monthName as string).toLowerCase()];
  if (month === undefined) return null;
  return buildDate(
    text,
    Number(year),
    month,
    Number(day),
    Number(hh),
    Number(mm),
    Number(ss),
    zoneOffset(sign as string, zoneHours as string, zoneMinutes as string),
  );
}

/** "+0100" → 60; "-0000" (RFC 5322 §3.3: zone unknown) → 0, never negative zero; bad → null. */
function zoneOffset(sign: string, hours: string, minutes: string): number | null {
  const h = Number(hours);
  const m = Number(minutes);
  if (h > 23 || m > 59) return null;
  const total = h * 60 + m;
  return sign === '-' ? 0 - total || 0 : total;
}

function buildDate(
  text: string,
  fullYear: number,
  month: number,
  dayOfMonth: number,
  hour: number,
  minute: number,
  second: number,
  zone: number | null,
): ReceivedDate {
  const unread: ReceivedDate = { raw: text, iso: null, epochMs: null, offsetMinutes: null };
  if (hour > 23 || minute > 59 || second > 60 || dayOfMonth < 1 || dayOfMonth > 31) return unread;
  if (dayOfMonth > daysInMonth(fullYear, month)) return unread;
  // A leap second (":60") is read as ":59", which Date can represent.
  const localMs = Date.UTC(fullYear, month, dayOfMonth, hour, minute, Math.min(second, 59));
  const epochMs = localMs - (zone ?? 0) * 60_000;
  return { raw: text, iso: isoString(epochMs), epochMs, offsetMinutes: zone };
}

const MS_PER_DAY = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
/** 1970-01-01 and 9999-12-31 as days since the epoch: the years ISO 8601 writes with 4 digits. */
const FIRST_DAY = 0;
const LAST_DAY = 2_932_896;

/**
 * Date#toISOString for the common case, by integer arithmetic (the civil-from-days algorithm of
 * H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"): it is several times faster, and
 * every hop has a date. Dates before 1970 or after 9999 take Date#toISOString.
 */
function isoString(epochMs: number): string {
  const days = Math.floor(epochMs / MS_PER_DAY);
  if (days < FIRST_DAY || days > LAST_DAY) return new Date(epochMs).toISOString();
  const msOfDay = epochMs - days * MS_PER_DAY;
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return (
    `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T` +
    `${TWO_DIGITS[Math.floor(msOfDay / 3_600_000)]}:${TWO_DIGITS[Math.floor(msOfDay / 60_000) % 60]}:` +
    `${TWO_DIGITS[Math.floor(msOfDay / 1000) % 60]}.${String(msOfDay % 1000).padStart(3, '0')}Z`
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian calendar: February has 29 days in years divisible by 4, except centuries not by 400. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 1 && leap ? 29 : (DAYS_IN_MONTH[month] ?? 0);
}

function parseAnyDate(text: string): ReceivedDate {
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
      offset = zoneOffset(z[1] as string, z[2] as string, z[3] as string);
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
  const [, hh = '0', mm = '0', ss = '0'] = time as RegExpExecArray;
  return buildDate(
    text,
    fullYear,
    month,
    Number(day),
    Number(hh),
    Number(mm),
    Number(ss),
    offset ?? namedOffset,
  );
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
