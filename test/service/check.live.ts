/**
 * The live check against the lab's real servers (see test/lab/lab.ts): one scenario per
 * domain, each asserting grades, codes and the facts behind them.
 */
import { readFileSync } from 'node:fs';
import type { CheckReport, MxReport } from '../../src/core/check-report';
import { checkDomain, type CheckOptions } from '../../src/service/check';
import { createResolver } from '../../src/service/dns/resolver';
import { txtRecords } from '../../src/service/dns/lookups';
import { run } from '../../src/cli/main';
import { DNS } from '../lab/lab';

const caFile = process.env.MTI_LAB_CA as string;
const ca = readFileSync(caFile, 'utf8');
const LAB: CheckOptions = {
  dnsServers: [DNS],
  allowPrivate: true,
  extraCa: [ca],
  heloName: 'probe.mti.test',
  bannerTimeoutMs: 10_000,
};

const check = (domain: string, options: CheckOptions = LAB) => checkDomain(domain, options);
const codes = (report: CheckReport) => report.verdict.reasons.map((r) => r.code);
const only = (report: CheckReport): MxReport => {
  expect(report.mx).toHaveLength(1);
  return report.mx[0] as MxReport;
};
const address = (mx: MxReport) => {
  expect(mx.addresses).toHaveLength(1);
  return mx.addresses[0] as MxReport['addresses'][number];
};

describe('scenarios', () => {
  it('good: two MX in preference order, TLS 1.3, trusted, Force TLS on mx2, MTA-STS, TLS-RPT and DANE', async () => {
    const report = await check('good.mti.test');
    expect(report.mx.map((m) => [m.preference, m.host])).toEqual([
      [10, 'mx1.good.mti.test'],
      [20, 'mx2.good.mti.test'],
    ]);
    const [mx1, mx2] = report.mx as [MxReport, MxReport];
    for (const mx of [mx1, mx2]) {
      const a = address(mx);
      expect(a.error).toBeNull();
      expect(a.starttls.offered).toBe(true);
      expect(a.tls?.version).toBe('TLSv1.3');
      expect(a.tls?.cipher).toMatch(/^TLS_/);
      expect(a.certificate).toMatchObject({
        trusted: true,
        nameMatches: true,
        keyType: 'ec',
        keyBits: 256,
      });
      expect(a.certificate?.daysLeft).toBeGreaterThan(80);
      expect(a.certificate?.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(a.certificate?.signatureAlgorithm).toMatch(/SHA-256/);
      expect(a.legacyTls).toEqual({ TLSv1: 'refused', 'TLSv1.1': 'refused' });
      expect(mx.mtaStsMatch).toBe(true);
    }
    expect(address(mx1).cleartextMail).toBe('accepted');
    expect(address(mx2).cleartextMail).toBe('refused');
    expect(mx1.dane).toMatchObject({ dnssec: 'secure', matched: true });
    expect(mx2.dane).toMatchObject({ dnssec: 'secure', matched: false });
    expect(report.mtaSts?.policy).toEqual({
      mode: 'enforce',
      mx: ['mx1.good.mti.test', '*.good.mti.test'],
      maxAge: 604800,
    });
    expect(report.tlsRpt?.rua).toEqual(['mailto:tls-reports@good.mti.test']);
    // mx2's TLSA record does not match its certificate: DANE senders refuse it.
    expect(report.verdict.grade).toBe('fail');
    expect(codes(report)).toContain('DANE_MISMATCH');
  });

  test.each([
    ['selfsigned.mti.test', 'CERT_UNTRUSTED', { trusted: false, nameMatches: true }],
    ['expired.mti.test', 'CERT_EXPIRED', { trusted: true, nameMatches: true }],
    ['wronghost.mti.test', 'CERT_NAME_MISMATCH', { trusted: true, nameMatches: false }],
  ])('%s fails with %s, trust and name judged apart', async (domain, code, certificate) => {
    const report = await check(domain);
    const a = address(only(report));
    expect(a.error?.code).toBe(code);
    expect(a.certificate).toMatchObject(certificate);
    expect(report.verdict.grade).toBe('fail');
  });

  it('nostarttls fails with STARTTLS_NOT_OFFERED and the EHLO reply as cause', async () => {
    const report = await check('nostarttls.mti.test');
    const a = address(only(report));
    expect(a.error?.code).toBe('STARTTLS_NOT_OFFERED');
    expect(a.error?.cause).toMatch(/^250-mx\.nostarttls\.mti\.test/);
    expect(a.starttls.offered).toBe(false);
    expect(report.verdict.grade).toBe('fail');
  });

  it('legacy passes with a warning: TLS 1.0 and 1.1 still accepted', async () => {
    const report = await check('legacy.mti.test');
    expect(address(only(report)).legacyTls).toEqual({ TLSv1: 'accepted', 'TLSv1.1': 'accepted' });
    expect(report.verdict.grade).toBe('warn');
    expect(codes(report)).toContain('LEGACY_TLS');
  });

  it('bogus: a TLSA answer that fails DNSSEC validation fails DANE', async () => {
    const report = await check('bogus.mti.test');
    expect(only(report).dane?.dnssec).toBe('bogus');
    expect(report.verdict.grade).toBe('fail');
  });

  it('dual: A and AAAA are both probed, IPv4 first', async () => {
    const report = await check('dual.mti.test');
    const mx = only(report);
    expect(mx.addresses.map((a) => [a.family, a.ip, a.tls?.version, a.error])).toEqual([
      [4, '127.0.0.20', 'TLSv1.3', null],
      [6, '::1', 'TLSv1.3', null],
    ]);
    expect(report.verdict.grade).toBe('pass');
  });

  it('implicit: no MX, so the domain itself is the mail server', async () => {
    const report = await check('implicit.mti.test');
    expect(only(report)).toMatchObject({ host: 'implicit.mti.test', implicit: true });
    expect(report.verdict.grade).toBe('pass');
  });

  test.each([
    ['nullmx.mti.test', 'NULL_MX'],
    ['nothing.mti.test', 'DNS_NXDOMAIN'],
    ['not a domain!', 'INVALID_INPUT'],
  ])('%s is not testable: %s', async (domain, code) => {
    const report = await check(domain);
    expect(report.error?.code).toBe(code);
    expect(report.verdict.grade).toBe('untestable');
    expect(report.mx).toEqual([]);
  });

  it('accepts an e-mail address and checks its domain', async () => {
    const report = await check('Postmaster@Implicit.MTI.test');
    expect(report.domain).toBe('implicit.mti.test');
  });

  test.each([
    ['sts-mismatch.mti.test', 'fail', /not listed in sts-mismatch\.mti\.test's MTA-STS policy/],
    ['sts-ctype.mti.test', 'warn', /text\/html/],
    ['sts-big.mti.test', 'warn', /larger than 64 KiB/],
    ['sts-testing.mti.test', 'pass', /TLSv1\.3 with TLS_AES/],
  ])('MTA-STS %s → %s', async (domain, grade, message) => {
    const report = await check(domain);
    expect(report.verdict.grade).toBe(grade);
    expect(report.verdict.reasons.map((r) => r.message).join(' ')).toMatch(message);
  });

  it('slow: waits out a slow greeting', async () => {
    const report = await check('slow.mti.test');
    expect(address(only(report)).timings.bannerMs).toBeGreaterThanOrEqual(1900);
    expect(report.verdict.grade).toBe('pass');
  });

  it('slow beyond the per-address budget: BUDGET_EXCEEDED, not testable, within the budget', async () => {
    const started = performance.now();
    const report = await check('slow.mti.test', { ...LAB, budgetPerAddressMs: 1500 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(address(only(report)).error?.code).toBe('BUDGET_EXCEEDED');
    expect(report.verdict.grade).toBe('untestable');
  });

  it('busy: one connection at a time per IP never trips a connection limit of 1', async () => {
    const report = await check('busy.mti.test');
    const a = address(only(report));
    expect(a.error).toBeNull();
    expect(a.cleartextMail).toBe('accepted');
    expect(report.verdict.grade).toBe('pass');
  });

  it('refuses loopback targets unless allowed (TARGET_NOT_ALLOWED)', async () => {
    const report = await check('good.mti.test', { ...LAB, allowPrivate: false });
    for (const mx of report.mx) expect(address(mx).error?.code).toBe('TARGET_NOT_ALLOWED');
    expect(report.verdict.grade).toBe('untestable');
    expect(report.transcript.filter((line) => line.direction === 'sent')).toEqual([]);
  });

  it('keeps a timed transcript and never sends RCPT or DATA', async () => {
    const report = await check('good.mti.test');
    const sent = report.transcript.filter((line) => line.direction === 'sent').map((l) => l.text);
    expect(sent).toEqual(
      expect.arrayContaining(['EHLO probe.mti.test', 'STARTTLS', 'MAIL FROM:<>', 'QUIT']),
    );
    expect(sent.some((text) => /^(RCPT|DATA)\b/i.test(text))).toBe(false);
    const times = report.transcript.map((line) => line.ms);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

describe('the resolver', () => {
  it('retries over TCP when the UDP answer is truncated', async () => {
    const records = await txtRecords(createResolver({ servers: [DNS] }), 'bigtxt.mti.test');
    expect(Array.isArray(records) && records.length).toBe(30);
  });

  it('reports the AD bit of a validating resolver', async () => {
    const response = await createResolver({ servers: [DNS] }).query('good.mti.test', 'MX');
    expect(response.authenticated).toBe(true);
  });

  it('gives up on a server that never answers', async () => {
    const resolver = createResolver({
      servers: [{ address: '127.0.0.2', port: 9 }],
      timeoutMs: 200,
      tries: 1,
    });
    await expect(resolver.query('good.mti.test', 'MX')).rejects.toThrow();
  });
});

describe('mail-tls-inspector check', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        stdout: (t: string) => out.push(t),
        stderr: (t: string) => err.push(t),
        readFile: (p: string) => new Uint8Array(readFileSync(p)),
        readStdin: async () => new Uint8Array(),
        stdinIsTty: true,
      },
    };
  }
  const labArgs = ['--dns-server', `${DNS.address}:${DNS.port}`, '--allow-private', '--ca', caFile];

  it('prints progress, the MX table and the verdict; exit 0 on a pass with warnings', async () => {
    const t = io();
    expect(await run(['check', 'legacy.mti.test', ...labArgs], t.io)).toBe(0);
    expect(t.err.join('')).toMatch(/^mx: 10 mx\.legacy\.mti\.test\n/);
    const out = t.out.join('');
    expect(out).toMatch(
      /^MX\s+IP\s+STARTTLS\s+TLS\s+Trusted\s+Name\s+Force TLS\s+DANE\s+MTA-STS\n/,
    );
    expect(out).toMatch(
      /10 mx\.legacy\.mti\.test\s+127\.0\.0\.16\s+yes\s+TLSv1\.3\s+yes\s+yes\s+no/,
    );
    expect(out).toContain('PASS with warnings: legacy.mti.test does TLS, with a caveat');
  });

  it('exits 1 on a failure, with --json giving the CheckReport', async () => {
    const t = io();
    expect(await run(['check', 'selfsigned.mti.test', '--json', ...labArgs], t.io)).toBe(1);
    const report = JSON.parse(t.out.join('')) as CheckReport;
    expect(report.mx[0]?.addresses[0]?.error?.code).toBe('CERT_UNTRUSTED');
  });

  it('prints the transcript with timestamps', async () => {
    const t = io();
    await run(['check', 'implicit.mti.test', '--transcript', ...labArgs], t.io);
    expect(t.out.join('')).toMatch(/\[\d{3}\.\d{3}\] 127\.0\.0\.10 > STARTTLS/);
  });

  test.each([
    [['check'], 64],
    [['check', 'a', 'b'], 64],
    [['check', 'example.com', '--port', 'x'], 64],
    [['check', 'example.com', '--port', '2525'], 64],
    [['check', 'example.com', '--allow-network', '10.0.0.0/33'], 64],
    [['check', 'example.com', '--dns-server', 'dns.example'], 64],
    [['check', '192.0.2.1', ...labArgs], 64],
    [['check', 'nothing.mti.test', ...labArgs], 2],
  ])('%j exits %d', async (args, code) => {
    expect(await run(args, io().io)).toBe(code);
  });
});
