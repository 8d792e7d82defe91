import type { CheckReport } from '../../src/core/check-report';
import { checkDomain } from '../../src/service/check';
import { FORGED_ADDRESS, FORGED_HOST, rr, startFakeDns, type FakeDns } from '../lab/fake-dns';

/**
 * The live check against a resolver that answers badly: loops, floods, oversized records,
 * truncation, forgeries, failures and silence. Every check ends with a precise error or a
 * correct answer, within its time, and never believes a forged answer.
 */

/** Nothing listens here: probes end at once with CONNECT_FAILED, keeping the tests about DNS. */
const NOWHERE = '127.0.0.99';
const DNS_TIMEOUT_MS = 300;

let dns: FakeDns;

const manyHosts = Array.from(
  { length: 300 },
  (_, i) => `mx${String(i).padStart(3, '0')}.many.hostile.test`,
);
const manyMx = manyHosts.map((host, i) => rr.mx('many.hostile.test', host, i));
const manyAddresses = manyHosts.map((host) => rr.a(host, NOWHERE));

beforeAll(async () => {
  dns = await startFakeDns({
    address: '127.0.0.1',
    strangerAddress: '127.0.0.3',
    records: [
      // An MX host whose name loops through CNAMEs; and a domain that is itself a loop.
      rr.mx('loop.hostile.test', 'mx.loop.hostile.test'),
      rr.cname('mx.loop.hostile.test', 'alias.loop.hostile.test'),
      rr.cname('alias.loop.hostile.test', 'mx.loop.hostile.test'),
      rr.cname('selfloop.hostile.test', 'selfloop.hostile.test'),
      ...manyMx,
      ...manyAddresses,
      rr.mx('bigtxt.hostile.test', 'mx.bigtxt.hostile.test'),
      rr.a('mx.bigtxt.hostile.test', NOWHERE),
      rr.txt('_mta-sts.bigtxt.hostile.test', `v=STSv1; id=20261129; ext=${'x'.repeat(30_000)}`),
      ...['truncated', 'wrongid', 'stranger', 'servfail-a'].flatMap((name) => [
        rr.mx(`${name}.hostile.test`, `mx.${name}.hostile.test`),
        rr.a(`mx.${name}.hostile.test`, NOWHERE),
      ]),
      rr.mx('silent.hostile.test', 'mx.silent.hostile.test'),
      rr.mx('drip.hostile.test', 'mx.drip.hostile.test'),
    ],
    misbehave: {
      'truncated.hostile.test': 'truncate',
      'wrongid.hostile.test': 'wrong-id-first',
      'mx.wrongid.hostile.test': 'wrong-id-first',
      'stranger.hostile.test': 'stranger-first',
      'mx.stranger.hostile.test': 'stranger-first',
      'servfail.hostile.test': 'servfail',
      'mx.servfail-a.hostile.test': 'servfail',
      'silent.hostile.test': 'silent',
      'drip.hostile.test': 'truncate-and-drip',
    },
  });
});

afterAll(() => dns?.close());

function check(domain: string): Promise<CheckReport> {
  return checkDomain(domain, {
    dnsServers: [dns.server],
    dnsTimeoutMs: DNS_TIMEOUT_MS,
    port: 1,
    allowPrivate: true,
    connectTimeoutMs: 1000,
    budgetPerAddressMs: 2000,
  });
}

const questions = (name: string) => dns.queries.filter((q) => q.split(' ')[1] === name);

describe('the live check against a hostile resolver', () => {
  it('reports an MX host that is a CNAME loop, and a domain that is one', async () => {
    const report = await check('loop.hostile.test');
    expect(report.mx[0]?.error).toEqual(
      expect.objectContaining({
        code: 'DNS_ERROR',
        message: expect.stringMatching(/CNAME loop/),
        cause: 'mx.loop.hostile.test → alias.loop.hostile.test → mx.loop.hostile.test',
      }),
    );
    expect((await check('selfloop.hostile.test')).error?.code).toBe('DNS_ERROR');
  });

  it('checks 10 of 300 MX hosts, asks DNS about those 10 only, and says so', async () => {
    const report = await check('many.hostile.test');
    expect(report.mxHostsFound).toBe(300);
    expect(report.mx.map((mx) => mx.host)).toEqual(manyHosts.slice(0, 10));
    // 300 MX records do not fit in UDP: the answer came over TCP.
    expect(questions('many.hostile.test')).toEqual([
      'udp many.hostile.test MX',
      'tcp many.hostile.test MX',
    ]);
    const addressLookups = dns.queries.filter((q) => /^udp mx\d+\.many\.hostile\.test A$/.test(q));
    expect(addressLookups).toHaveLength(10);
    expect(report.verdict.reasons.find((r) => r.code === 'NOT_ALL_CHECKED')?.message).toMatch(
      /10 of its 300 MX hosts/,
    );
  });

  it('reads a 30 KB TXT record over TCP and still judges the MTA-STS record', async () => {
    const report = await check('bigtxt.hostile.test');
    expect(questions('_mta-sts.bigtxt.hostile.test')).toEqual([
      'udp _mta-sts.bigtxt.hostile.test TXT',
      'tcp _mta-sts.bigtxt.hostile.test TXT',
    ]);
    expect(report.mtaSts?.record).toMatch(/^v=STSv1; id=20261129; ext=x{30000}$/);
    expect(report.mtaSts?.error).toMatch(
      /^The policy host has no address: mta-sts\.bigtxt\.hostile\.test does not exist/,
    );
  });

  it('falls back to TCP when every UDP answer is truncated', async () => {
    const report = await check('truncated.hostile.test');
    expect(report.mx.map((mx) => mx.host)).toEqual(['mx.truncated.hostile.test']);
    expect(questions('truncated.hostile.test')).toEqual([
      'udp truncated.hostile.test MX',
      'tcp truncated.hostile.test MX',
    ]);
  });

  it.each([
    ['the wrong query id', 'wrongid'],
    ['another source address', 'stranger'],
  ])('ignores forged answers with %s and waits for the real one', async (_what, name) => {
    const report = await check(`${name}.hostile.test`);
    expect(report.error).toBeNull();
    expect(report.mx.map((mx) => mx.host)).toEqual([`mx.${name}.hostile.test`]);
    const addresses = report.mx.flatMap((mx) => mx.addresses.map((a) => a.ip));
    expect(addresses).toEqual([NOWHERE]);
    expect(JSON.stringify(report)).not.toContain(FORGED_HOST);
    expect(JSON.stringify(report)).not.toContain(FORGED_ADDRESS);
  });

  it('reports SERVFAIL for the domain and for an MX host', async () => {
    const domain = await check('servfail.hostile.test');
    expect(domain.error?.code).toBe('DNS_SERVFAIL');
    expect(domain.verdict.grade).toBe('untestable');
    const host = await check('servfail-a.hostile.test');
    expect(host.mx[0]?.error?.code).toBe('DNS_SERVFAIL');
  });

  it('gives up on a silent resolver after its tries, with DNS_TIMEOUT', async () => {
    const report = await check('silent.hostile.test');
    expect(report.error?.code).toBe('DNS_TIMEOUT');
    expect(report.error?.temporary).toBe(true);
    // Two tries of 300 ms each, and nothing else waits.
    expect(report.durationMs).toBeGreaterThanOrEqual(2 * DNS_TIMEOUT_MS);
    expect(report.durationMs).toBeLessThan(2 * DNS_TIMEOUT_MS + 500);
  });

  it('times out a TCP answer dripped a byte at a time, as a whole', async () => {
    const report = await check('drip.hostile.test');
    expect(report.error?.code).toBe('DNS_TIMEOUT');
    expect(questions('drip.hostile.test')).toContain('tcp drip.hostile.test MX');
    // Two tries, each a UDP question and a TCP one of at most 300 ms.
    expect(report.durationMs).toBeLessThan(2 * 2 * DNS_TIMEOUT_MS + 500);
  });
});
