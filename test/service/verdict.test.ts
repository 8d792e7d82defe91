import type { AddressReport, CheckReport, MxReport } from '../../src/core/check-report';
import { checkError } from '../../src/service/errors';
import { verdictOf } from '../../src/service/verdict';

const ok: AddressReport = {
  ip: '192.0.2.10',
  family: 4,
  banner: '220 mx',
  starttls: { offered: true, injected: null },
  tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', group: 'x25519' },
  certificate: null,
  legacyTls: { TLSv1: 'refused', 'TLSv1.1': 'refused' },
  cleartextMail: 'refused',
  requireTls: false,
  timings: { connectMs: 1, bannerMs: 2, tlsMs: 3 },
  error: null,
};

const mx = (addresses: Partial<AddressReport>[], extra: Partial<MxReport> = {}): MxReport => ({
  host: 'mx.example.com',
  preference: 10,
  implicit: false,
  addresses: addresses.map((a) => ({ ...ok, ...a })),
  dane: null,
  mtaStsMatch: null,
  addressesFound: addresses.length,
  error: null,
  ...extra,
});

const report = (mxs: MxReport[], extra: Partial<CheckReport> = {}): CheckReport => ({
  schemaVersion: 1,
  domain: 'example.com',
  input: 'example.com',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  mx: mxs,
  mxHostsFound: mxs.length,
  mtaSts: null,
  tlsRpt: null,
  verdict: { grade: 'untestable', sentence: '', reasons: [] },
  error: null,
  transcript: [],
  ...extra,
});

const temporary = checkError('SMTP_TEMPORARY', 'busy', '421 too busy');
const noTls = checkError('STARTTLS_NOT_OFFERED', 'no STARTTLS', '250 ok');

describe('verdictOf', () => {
  test.each([
    ['every address fine', [mx([{}])], 'pass'],
    [
      'TLS 1.0 still accepted',
      [mx([{ legacyTls: { TLSv1: 'accepted', 'TLSv1.1': 'refused' } }])],
      'warn',
    ],
    ['one MX without STARTTLS', [mx([{}]), mx([{ tls: null, error: noTls }])], 'fail'],
    ['a 421 is never "no TLS"', [mx([{ tls: null, error: temporary }])], 'untestable'],
    ['one MX fine, one busy', [mx([{}]), mx([{ tls: null, error: temporary }])], 'warn'],
    [
      'a DANE mismatch',
      [mx([{}], { dane: { records: [], dnssec: 'secure', matched: false, message: 'x' } })],
      'fail',
    ],
    [
      'an unvalidated TLSA set',
      [mx([{}], { dane: { records: [], dnssec: 'insecure', matched: null, message: 'x' } })],
      'pass',
    ],
    [
      'cleartext injected after the STARTTLS 220',
      [mx([{ starttls: { offered: true, injected: '250 injected' } }])],
      'warn',
    ],
    ['more addresses than were probed', [mx([{}], { addressesFound: 9 })], 'warn'],
  ] as const)('%s → %s', (_name, mxs, grade) => {
    expect(verdictOf(report([...mxs])).grade).toBe(grade);
  });

  it('fails an MX left out of an enforced MTA-STS policy, but not of a testing one', () => {
    const policy = (mode: string) => ({
      record: 'v=STSv1; id=1',
      policy: { mode, mx: ['other.example.com'], maxAge: 1 },
      error: null,
    });
    expect(
      verdictOf(report([mx([{}], { mtaStsMatch: false })], { mtaSts: policy('enforce') })).grade,
    ).toBe('fail');
    expect(
      verdictOf(report([mx([{}], { mtaStsMatch: false })], { mtaSts: policy('testing') })).grade,
    ).toBe('pass');
  });

  it('does not call a domain tested because of a domain-wide note alone', () => {
    const verdict = verdictOf(
      report([mx([{ tls: null, error: checkError('TARGET_NOT_ALLOWED', 'private', null) }])], {
        mtaSts: { record: 'v=STSv1; id=1', policy: null, error: 'not fetched' },
      }),
    );
    expect(verdict.grade).toBe('untestable');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['TARGET_NOT_ALLOWED', 'MTA_STS_POLICY']);
  });

  it('says how much of a domain with hundreds of MX hosts was checked', () => {
    const verdict = verdictOf(report([mx([{}])], { mxHostsFound: 300 }));
    expect(verdict.grade).toBe('warn');
    expect(verdict.reasons.find((r) => r.code === 'NOT_ALL_CHECKED')?.message).toMatch(
      /^Only 1 of its 300 MX hosts were checked/,
    );
  });

  it('passes a domain-level error through as the sentence', () => {
    const error = checkError('NULL_MX', 'example.com accepts no mail.', 'MX 0 .');
    expect(verdictOf(report([], { error }))).toEqual({
      grade: 'untestable',
      sentence: 'example.com accepts no mail.',
      reasons: [
        {
          grade: 'untestable',
          code: 'NULL_MX',
          message: 'example.com accepts no mail.',
          host: null,
        },
      ],
    });
  });
});
