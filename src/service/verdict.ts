import type { AddressReport, CheckGrade, CheckReason, CheckReport } from '../core/check-report';

const SEVERITY: Readonly<Record<CheckGrade, number>> = { pass: 0, warn: 1, untestable: 2, fail: 3 };

/**
 * The domain's grade and the reasons behind it. Per address: no STARTTLS, a failed handshake
 * or a certificate Force TLS would reject → fail; TLS 1.0/1.1 accepted → warn; a 4xx, timeout
 * or refused target → untestable (never "no TLS"). DANE and MTA-STS mismatches fail the host.
 * Overall: any fail → fail; nothing testable → untestable; otherwise the worst of pass/warn,
 * with untested hosts making a warning.
 */
export function verdictOf(report: CheckReport): CheckReport['verdict'] {
  if (report.error) {
    return {
      grade: 'untestable',
      sentence: report.error.message,
      reasons: [
        { grade: 'untestable', code: report.error.code, message: report.error.message, host: null },
      ],
    };
  }
  const reasons: CheckReason[] = [];
  for (const mx of report.mx) {
    if (mx.error)
      reasons.push({
        grade: 'untestable',
        code: mx.error.code,
        message: mx.error.message,
        host: mx.host,
      });
    for (const address of mx.addresses) reasons.push(...addressReasons(address, mx.host));
    if (mx.dane && (mx.dane.dnssec === 'bogus' || mx.dane.matched === false)) {
      reasons.push({
        grade: 'fail',
        code: 'DANE_MISMATCH',
        message: mx.dane.message,
        host: mx.host,
      });
    }
    if (mx.mtaStsMatch === false && report.mtaSts?.policy?.mode === 'enforce') {
      reasons.push({
        grade: 'fail',
        code: 'MTA_STS_MISMATCH',
        message: `${mx.host} is not listed in ${report.domain}'s MTA-STS policy (mode enforce): MTA-STS senders will not deliver to it.`,
        host: mx.host,
      });
    }
  }
  const unprobed = report.mx.filter((mx) => mx.addresses.length < mx.addressesFound);
  if (report.mxHostsFound > report.mx.length || unprobed.length > 0) {
    const parts = [
      report.mxHostsFound > report.mx.length
        ? `${report.mx.length} of its ${report.mxHostsFound} MX hosts`
        : null,
      ...unprobed.map(
        (mx) => `${mx.addresses.length} of the ${mx.addressesFound} addresses of ${mx.host}`,
      ),
    ].filter(Boolean);
    reasons.push({
      grade: 'untestable',
      code: 'NOT_ALL_CHECKED',
      message: `Only ${parts.join(' and ')} were checked (the most preferred first): a check probes a bounded number of servers, so the others are unknown.`,
      host: null,
    });
  }
  if (report.mtaSts?.error) {
    reasons.push({
      grade: 'warn',
      code: 'MTA_STS_POLICY',
      message: `MTA-STS: ${report.mtaSts.error}`,
      host: null,
    });
  }

  // Domain-wide notes (an MTA-STS fetch problem) do not make a domain tested: its servers do.
  const tested = reasons.filter((r) => r.host !== null && r.grade !== 'untestable');
  let grade: CheckGrade;
  if (reasons.some((r) => r.grade === 'fail')) grade = 'fail';
  else if (tested.length === 0) grade = 'untestable';
  else
    grade = reasons.reduce<CheckGrade>((worst, r) => {
      const asGrade = r.grade === 'untestable' ? 'warn' : r.grade;
      return SEVERITY[asGrade] > SEVERITY[worst] ? asGrade : worst;
    }, 'pass');

  return { grade, sentence: sentenceFor(report, grade, reasons), reasons };
}

function addressReasons(address: AddressReport, host: string): CheckReason[] {
  const reasons: CheckReason[] = [];
  const error = address.error;
  if (error) {
    const grade: CheckGrade =
      error.temporary || error.code === 'TARGET_NOT_ALLOWED' ? 'untestable' : 'fail';
    reasons.push({ grade, code: error.code, message: error.message, host });
  } else if (address.tls) {
    reasons.push({
      grade: 'pass',
      code: 'OK',
      message: `${host} (${address.ip}): ${address.tls.version} with ${address.tls.cipher}, certificate trusted and issued for ${host}.`,
      host,
    });
  }
  const legacy = (['TLSv1', 'TLSv1.1'] as const).filter((v) => address.legacyTls[v] === 'accepted');
  if (legacy.length > 0) {
    reasons.push({
      grade: 'warn',
      code: 'LEGACY_TLS',
      message: `${host} (${address.ip}) still accepts ${legacy.join(' and ')}, deprecated by RFC 8996.`,
      host,
    });
  }
  if (address.starttls.injected !== null) {
    reasons.push({
      grade: 'warn',
      code: 'STARTTLS_INJECTION',
      message: `${host} (${address.ip}) sent cleartext after agreeing to STARTTLS and before the TLS handshake: the server pipelines wrongly or something on the path injects data. Senders that discard it (as ours did) are safe; vulnerable ones would read it as if it came over TLS.`,
      host,
    });
  }
  if (address.cleartextMail === 'accepted' && address.starttls.offered) {
    reasons.push({
      grade: 'pass',
      code: 'NO_FORCE_TLS',
      message: `${host} (${address.ip}) also accepts mail without TLS (no Force TLS), as most public MX hosts do.`,
      host,
    });
  }
  return reasons;
}

function sentenceFor(report: CheckReport, grade: CheckGrade, reasons: CheckReason[]): string {
  const hosts = report.mx.length;
  const plural = hosts === 1 ? 'MX host' : `${hosts} MX hosts`;
  const first = (g: CheckGrade) => reasons.find((r) => r.grade === g)?.message ?? '';
  switch (grade) {
    case 'pass': {
      const versions = [
        ...new Set(
          report.mx.flatMap((m) => m.addresses.map((a) => a.tls?.version).filter(Boolean)),
        ),
      ].sort();
      const subject = hosts === 1 ? `its ${plural} offers` : `all ${plural} offer`;
      return `${report.domain}: ${subject} STARTTLS with a trusted certificate issued for ${hosts === 1 ? 'its' : 'their'} name (${versions.join(', ')}).`;
    }
    case 'warn':
      return `${report.domain} does TLS, with a caveat: ${first('warn') || first('untestable')}`;
    case 'fail':
      return `${report.domain} fails: ${first('fail')}`;
    case 'untestable':
      return `${report.domain} could not be tested now: ${first('untestable')}`;
  }
}
