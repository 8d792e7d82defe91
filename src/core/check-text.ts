import type { AddressReport, CheckReport, MxReport, TranscriptLine } from './check-report';
import { printable } from './report';

/**
 * A CheckReport as plain text: the MX table, the verdict and its reasons, and optionally the
 * transcript. Server replies come from strangers, so every value goes through printable().
 */
export function renderCheckReport(
  report: CheckReport,
  options: { transcript?: boolean } = {},
): string {
  const lines: string[] = [];
  if (report.mx.length > 0) {
    const header = [
      'MX',
      'IP',
      'STARTTLS',
      'TLS',
      'Trusted',
      'Name',
      'Force TLS',
      'DANE',
      'MTA-STS',
    ];
    const rows = report.mx.flatMap((mx) =>
      mx.addresses.length > 0
        ? mx.addresses.map((address) => addressRow(mx, address))
        : [
            [
              `${mx.preference} ${mx.host}`,
              mx.error ? mx.error.code : '-',
              '',
              '',
              '',
              '',
              '',
              '',
              '',
            ],
          ],
    );
    lines.push(...table([header, ...rows]), '');
  }
  lines.push(`${GRADE_WORDS[report.verdict.grade]}: ${printable(report.verdict.sentence)}`);
  for (const reason of report.verdict.reasons) {
    if (reason.code === 'OK') continue;
    lines.push(`  - [${reason.code}] ${printable(reason.message)}`);
  }
  for (const address of report.mx.flatMap((mx) => mx.addresses)) {
    if (address.error?.cause)
      lines.push(`    ${address.ip} said: ${printable(address.error.cause.split('\n')[0] ?? '')}`);
  }
  if (report.mtaSts) {
    const policy = report.mtaSts.policy;
    lines.push(
      `MTA-STS: ${policy ? `mode ${policy.mode}, mx ${policy.mx.join(' ')}` : printable(report.mtaSts.error ?? 'no policy')}`,
    );
  }
  if (report.tlsRpt)
    lines.push(`TLS-RPT: reports go to ${report.tlsRpt.rua.map(printable).join(', ')}`);
  lines.push(`Checked in ${(report.durationMs / 1000).toFixed(1)} s.`);
  if (options.transcript) {
    lines.push('', 'Transcript:');
    lines.push(...report.transcript.map(transcriptLine));
  }
  return `${lines.join('\n')}\n`;
}

const GRADE_WORDS = {
  pass: 'PASS',
  warn: 'PASS with warnings',
  fail: 'FAIL',
  untestable: 'NOT TESTABLE',
} as const;

function addressRow(mx: MxReport, address: AddressReport): string[] {
  const yesNo = (value: boolean | null | undefined) =>
    value === true ? 'yes' : value === false ? 'no' : '-';
  const force = { refused: 'yes', accepted: 'no', untested: '-' }[address.cleartextMail];
  const dane = mx.dane ? (mx.dane.dnssec === 'bogus' ? 'bogus' : yesNo(mx.dane.matched)) : '-';
  return [
    `${mx.preference} ${mx.host}`,
    address.ip,
    yesNo(address.starttls.offered),
    address.tls ? address.tls.version : address.error ? address.error.code : '-',
    yesNo(address.certificate?.trusted),
    yesNo(address.certificate?.nameMatches),
    force,
    dane,
    yesNo(mx.mtaStsMatch),
  ];
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => printable(cell).padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** "[001.234] 192.0.2.1 > EHLO probe" as in CheckTLS-style transcripts. */
export function transcriptLine(line: TranscriptLine): string {
  const seconds = (line.ms / 1000).toFixed(3).padStart(7, '0');
  const arrow = line.direction === 'sent' ? '>' : line.direction === 'received' ? '<' : '*';
  return `[${seconds}] ${line.ip ?? '-'} ${arrow} ${printable(line.text)}`;
}
