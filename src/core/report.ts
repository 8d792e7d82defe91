import type { Analysis, Hop } from './types';
import { displayVersion } from './tls/judge';

/**
 * Presents an Analysis as plain text: in a terminal (the CLI) and in a support ticket (the pane's
 * Copy report). Header values come from strangers, so every value is passed through printable()
 * first: a Received field carrying ANSI escape sequences must not rewrite the user's terminal.
 */
export function renderAnalysis(analysis: Analysis): string {
  const lines: string[] = [];
  const { summary } = analysis;
  const about: [string, string | null][] = [
    ['Subject', summary.subject],
    ['From', summary.from],
    ['Date', summary.date],
    ['Message-ID', summary.messageId],
  ];
  for (const [label, value] of about) {
    if (value !== null) lines.push(`${label}: ${printable(value)}`);
  }
  if (lines.length > 0) lines.push('');
  const rows = analysis.hops.map(hopRow);
  const header = ['#', 'From → By', 'Protocol', 'TLS', 'Version / cipher', 'Delay'];
  const table = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  for (const [i, row] of table.entries()) {
    lines.push(
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  if (analysis.hops.length === 0) lines.push('(no Received fields)');
  lines.push('');
  lines.push(printable(analysis.verdict.sentence));
  const transit = analysis.verdict.totalTransitSeconds;
  if (transit !== null) lines.push(`Total transit: ${formatSeconds(transit)}.`);

  const auth = authLine(analysis);
  if (auth) lines.push(auth);
  if (analysis.tlsRequired) lines.push(printable(analysis.tlsRequired.explanation));
  for (const warning of analysis.warnings) lines.push(`warning: ${printable(warning.message)}`);
  return lines.join('\n') + '\n';
}

function hopRow(hop: Hop): string[] {
  const from = hop.from?.reverseDns ?? hop.from?.name ?? hop.from?.ip ?? '?';
  const by = hop.by?.name ?? hop.by?.ip ?? '?';
  const version = hop.tls.version ? displayVersion(hop.tls.version) : hop.tls.versionRaw;
  const detail = [version, hop.tls.cipher].filter(Boolean).join(' ');
  const weak = hop.tls.weaknesses.length > 0 ? ' (weak)' : '';
  return [
    String(hop.index + 1),
    truncate(`${printable(from)} → ${printable(by)}`, 64),
    truncate(printable(hop.protocol ?? hop.with ?? '-'), 12),
    TLS_LABELS[hop.tls.status] + weak,
    truncate(printable(detail || '-'), 48),
    hop.delaySeconds === null
      ? '-'
      : formatSeconds(hop.delaySeconds) + (hop.clockSkew ? ' (clock skew)' : ''),
  ];
}

const TLS_LABELS = {
  tls: 'TLS',
  none: 'NOT ENCRYPTED',
  internal: 'internal',
  unknown: 'unknown',
} as const;

function authLine(analysis: Analysis): string | null {
  const results = analysis.authentication.find((a) => a.header === 'Authentication-Results');
  if (!results || results.results.length === 0) return null;
  const parts = results.results.map((r) => {
    const reason = r.method === 'compauth' && r.reason ? ` (reason ${r.reason})` : '';
    return `${r.method}=${r.result}${reason}`;
  });
  const server = results.authservId ? ` (${results.authservId})` : '';
  return printable(`Authentication${server}: ${parts.join(' ')}`);
}

export function formatSeconds(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  if (rest < 60) return `${sign}${rest} s`;
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  const parts = [
    days ? `${days} d` : '',
    hours ? `${hours} h` : '',
    minutes ? `${minutes} min` : '',
    secs ? `${secs} s` : '',
  ];
  return sign + parts.filter(Boolean).join(' ');
}

/** Replaces control characters (C0, DEL, C1, incl. ESC) with U+FFFD. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
