/**
 * MTA-STS policy hosts that stall: the policy is fetched from port 443 only (never another), so
 * this runs in the live suite, which has root. A host that sends its headers and then drips the
 * policy a byte at a time must not hold the check past the fetch's time.
 */
import { createServer, type Server } from 'node:https';
import { checkDomain } from '../../../src/service/check';
import { createTestCa, issue } from '../../lab/certificates';
import { rr, startFakeDns, type FakeDns } from '../../lab/fake-dns';

const POLICY_HOST = '127.0.0.31';
const POLICY = 'version: STSv1\nmode: enforce\nmx: mx.drip.test\nmax_age: 86400\n';

let server: Server;
let dns: FakeDns;
let caPem: string;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  const ca = await createTestCa('Policy lab CA');
  caPem = ca.pem;
  const tls = await issue(ca, ['mta-sts.drip.test']);
  server = createServer({ key: tls.key, cert: tls.cert }, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    let sent = 0;
    const drip = setInterval(() => {
      if (response.destroyed || sent >= POLICY.length) {
        clearInterval(drip);
        return void response.end();
      }
      response.write(POLICY[sent++]);
    }, 100);
    timers.add(drip);
  });
  await new Promise<void>((resolve) => server.listen(443, POLICY_HOST, resolve));
  dns = await startFakeDns({
    address: '127.0.0.1',
    records: [
      rr.mx('drip.test', 'mx.drip.test'),
      rr.a('mx.drip.test', '127.0.0.99'),
      rr.txt('_mta-sts.drip.test', 'v=STSv1; id=20261129'),
      rr.a('mta-sts.drip.test', POLICY_HOST),
    ],
  });
});

afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await dns?.close();
});

describe('a policy host that drips its policy', () => {
  it('is cut off at the fetch time, and the policy reported as not fetched', async () => {
    const report = await checkDomain('drip.test', {
      dnsServers: [dns.server],
      allowPrivate: true,
      port: 1,
      extraCa: [caPem],
      commandTimeoutMs: 1000,
    });
    expect(report.mtaSts?.error).toMatch(/did not send the policy within 1 s/);
    expect(report.verdict.reasons.map((r) => r.code)).toContain('MTA_STS_POLICY');
    expect(report.durationMs).toBeLessThan(2500);
  });
});
