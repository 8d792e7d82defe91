/**
 * Conformance run over the real-world corpus in ../shared/corpus (read in place, never copied):
 *   1. per-hop TLS status agreement with labels.jsonl, critical errors listed one by one;
 *   2. field agreement with received-cases.json (what a mature Received parser extracts).
 * Prints its counts; exits 1 on any critical error, on a hidden cleartext hop, or below
 * 97% hop agreement / 95% field agreement. `--verbose` lists every disagreement.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { analyzeHeaders, normalizeTlsVersion } from '../../src/core';
import type { Hop, TlsStatus } from '../../src/core';
import { parseIp } from '../../src/core/received/address';

const corpusDir = process.env.CORPUS_DIR ?? path.resolve(__dirname, '../../../shared/corpus');
const verbose = process.argv.includes('--verbose');
const HOP_TARGET = 0.97;
const FIELD_TARGET = 0.95;

if (!existsSync(path.join(corpusDir, 'labels.jsonl'))) {
  console.error(
    `Conformance corpus not found at ${corpusDir}. Set CORPUS_DIR or place shared/ beside the project.`,
  );
  process.exit(1);
}

const LABEL_TO_STATUS: Record<string, TlsStatus> = {
  yes: 'tls',
  no: 'none',
  internal: 'internal',
  unknown: 'unknown',
};

interface LabelHop {
  index: number;
  tls: string;
  tls_version: string | null;
  cipher: string | null;
  evidence: string | null;
}

let hopTotal = 0;
let hopAgree = 0;
let versionTotal = 0;
let versionAgree = 0;
const critical: string[] = [];
const hidden: string[] = [];
const hopDisagreements: string[] = [];

for (const line of readFileSync(path.join(corpusDir, 'labels.jsonl'), 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const label = JSON.parse(line) as { file: string; n_received: number; hops: LabelHop[] };
  const bytes = readFileSync(path.join(corpusDir, 'headers', label.file));
  const analysis = analyzeHeaders(new Uint8Array(bytes));
  if (analysis.hops.length !== label.n_received) {
    hopDisagreements.push(
      `${label.file}: ${analysis.hops.length} hops, label says ${label.n_received}`,
    );
  }
  for (const expected of label.hops) {
    hopTotal++;
    const hop = analysis.hops[expected.index];
    const want = LABEL_TO_STATUS[expected.tls];
    const got = hop?.tls.status;
    const where = `${label.file} hop ${expected.index}: label ${expected.tls}, judged ${got ?? 'missing'} (rule ${hop?.tls.rule ?? '-'}, evidence ${JSON.stringify(hop?.tls.evidence ?? null)})`;
    if (got === want) hopAgree++;
    else {
      hopDisagreements.push(where);
      if (
        (want === 'tls' && got !== 'internal') ||
        (want !== 'tls' && want !== 'internal' && got === 'tls')
      ) {
        critical.push(where);
      }
      if (want === 'none' && got === 'internal') hidden.push(where);
    }
    if (expected.tls === 'yes' && expected.tls_version !== null && hop) {
      versionTotal++;
      const normalized = normalizeTlsVersion(expected.tls_version) ?? expected.tls_version;
      if (hop.tls.version === normalized) versionAgree++;
      else
        hopDisagreements.push(
          `${label.file} hop ${expected.index}: version label ${expected.tls_version}, judged ${hop.tls.version} (raw ${hop.tls.versionRaw})`,
        );
    }
  }
}

interface HostExpectation {
  Name?: string;
  IpAddr?: string;
}
interface ExpectedDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  tz_before_gmt: boolean;
  tz_hour: number;
  tz_minute: number;
}
interface ReceivedCase {
  header: string;
  expected: Record<string, unknown>;
}

const cases = JSON.parse(
  readFileSync(path.join(corpusDir, 'received-cases.json'), 'utf8'),
) as ReceivedCase[];
let fieldTotal = 0;
let fieldAgree = 0;
const perField: Record<string, { total: number; agree: number }> = {};
const fieldDisagreements: string[] = [];

const stripBrackets = (s: string | null | undefined): string | null =>
  s === null || s === undefined ? null : s.replace(/^\[|\]$/g, '');

function hostMatches(expected: HostExpectation, name: string | null | undefined): boolean {
  if (expected.IpAddr !== undefined)
    return parseIp(stripBrackets(name) ?? '') === parseIp(expected.IpAddr);
  return name === expected.Name;
}

function dateMatches(expected: ExpectedDate | null, hop: Hop): boolean {
  const date = hop.date;
  if (expected === null) return date === null || date.epochMs === null;
  if (!date || date.epochMs === null) return false;
  const offset = date.offsetMinutes ?? 0;
  const local = new Date(date.epochMs + offset * 60_000);
  const expectedOffset =
    (expected.tz_before_gmt ? -1 : 1) * (expected.tz_hour * 60 + expected.tz_minute);
  return (
    local.getUTCFullYear() === expected.year &&
    local.getUTCMonth() + 1 === expected.month &&
    local.getUTCDate() === expected.day &&
    local.getUTCHours() === expected.hour &&
    local.getUTCMinutes() === expected.minute &&
    local.getUTCSeconds() === expected.second &&
    offset === expectedOffset
  );
}

cases.forEach((testCase, caseIndex) => {
  const analysis = analyzeHeaders(`Received: ${testCase.header}`);
  const hop = analysis.hops[0];
  const checks: [string, boolean, unknown, unknown][] = [];
  const e = testCase.expected;
  if (!hop) {
    fieldDisagreements.push(`case ${caseIndex}: no hop parsed`);
    return;
  }
  const add = (field: string, ok: boolean, want: unknown, got: unknown): void => {
    checks.push([field, ok, want, got]);
  };
  if ('from' in e)
    add('from', hostMatches(e.from as HostExpectation, hop.from?.name), e.from, hop.from?.name);
  if ('by' in e) add('by', hostMatches(e.by as HostExpectation, hop.by?.name), e.by, hop.by?.name);
  if ('helo' in e)
    add('helo', hostMatches(e.helo as HostExpectation, hop.from?.helo), e.helo, hop.from?.helo);
  if ('helo_cmd' in e)
    add(
      'helo_cmd',
      (e.helo_cmd as string).toUpperCase() === hop.from?.heloCommand,
      e.helo_cmd,
      hop.from?.heloCommand,
    );
  if ('with' in e)
    add('with', (e.with as string).toUpperCase() === hop.protocol, e.with, hop.protocol);
  if ('via' in e) add('via', e.via === hop.via, e.via, hop.via);
  if ('id' in e) add('id', e.id === hop.id, e.id, hop.id);
  if ('for_' in e) add('for', e.for_ === hop.for, e.for_, hop.for);
  if ('from_ip' in e)
    add('from_ip', parseIp(e.from_ip as string) === hop.from?.ip, e.from_ip, hop.from?.ip);
  if ('from_iprev' in e)
    add('from_iprev', e.from_iprev === hop.from?.reverseDns, e.from_iprev, hop.from?.reverseDns);
  if ('ident' in e) add('ident', e.ident === hop.from?.ident, e.ident, hop.from?.ident);
  if ('tls_version' in e) {
    const want = normalizeTlsVersion((e.tls_version as string).replace(/_/g, '.'));
    add('tls_version', want === hop.tls.version, e.tls_version, hop.tls.version);
  }
  if ('tls_cipher' in e)
    add('tls_cipher', e.tls_cipher === hop.tls.cipher, e.tls_cipher, hop.tls.cipher);
  if ('date' in e) add('date', dateMatches(e.date as ExpectedDate | null, hop), e.date, hop.date);
  for (const [field, ok, want, got] of checks) {
    fieldTotal++;
    const stats = (perField[field] ??= { total: 0, agree: 0 });
    stats.total++;
    if (ok) {
      fieldAgree++;
      stats.agree++;
    } else {
      fieldDisagreements.push(
        `case ${caseIndex} ${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}\n    ${testCase.header.trim().slice(0, 200)}`,
      );
    }
  }
});

const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
console.log('Conformance over ../shared/corpus');
console.log(
  `  hops:     ${hopAgree}/${hopTotal} TLS status agree (${pct(hopAgree, hopTotal)}), target ${HOP_TARGET * 100}%`,
);
console.log(
  `  versions: ${versionAgree}/${versionTotal} TLS versions agree (${pct(versionAgree, versionTotal)})`,
);
console.log(`  critical: ${critical.length} (TLS claimed without a label, or a TLS label missed)`);
console.log(`  hidden:   ${hidden.length} (cleartext hop judged internal)`);
console.log(
  `  fields:   ${fieldAgree}/${fieldTotal} Received fields agree (${pct(fieldAgree, fieldTotal)}), target ${FIELD_TARGET * 100}%`,
);
for (const [field, stats] of Object.entries(perField)) {
  console.log(
    `    ${field.padEnd(12)} ${String(stats.agree).padStart(4)}/${String(stats.total).padEnd(4)} ${pct(stats.agree, stats.total)}`,
  );
}
for (const line of critical) console.log(`  CRITICAL ${line}`);
for (const line of hidden) console.log(`  HIDDEN   ${line}`);
if (verbose) {
  console.log('\nHop disagreements:');
  for (const line of hopDisagreements) console.log(`  ${line}`);
  console.log('\nField disagreements:');
  for (const line of fieldDisagreements) console.log(`  ${line}`);
} else if (hopDisagreements.length + fieldDisagreements.length > 0) {
  console.log(
    `  (${hopDisagreements.length + fieldDisagreements.length} disagreements; run with --verbose to list them)`,
  );
}

const failed =
  critical.length > 0 ||
  hidden.length > 0 ||
  hopAgree / hopTotal < HOP_TARGET ||
  fieldAgree / fieldTotal < FIELD_TARGET;
const passedChecks = [
  critical.length === 0,
  hidden.length === 0,
  hopAgree / hopTotal >= HOP_TARGET,
  fieldAgree / fieldTotal >= FIELD_TARGET,
];
console.log(
  `${passedChecks.filter(Boolean).length} passed, ${passedChecks.filter((x) => !x).length} failed`,
);
process.exit(failed ? 1 : 0);
