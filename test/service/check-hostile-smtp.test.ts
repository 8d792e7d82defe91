import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CheckErrorCode, CheckReport } from '../../src/core/check-report';
import { checkDomain, type CheckOptions } from '../../src/service/check';
import { createTestCa, intermediates, issue } from '../lab/certificates';
import { rr, startFakeDns, type FakeDns } from '../lab/fake-dns';
import { startHostilePeer, type HostileBehaviour, type HostilePeer } from '../lab/hostile-smtp';

/**
 * The live check against SMTP servers that misbehave on purpose: each check must end inside its
 * budget with the precise error code, and repeating them must not grow the heap.
 */

const TIMEOUTS = {
  connectTimeoutMs: 2000,
  bannerTimeoutMs: 2000,
  commandTimeoutMs: 2000,
  budgetPerAddressMs: 6000,
};

/** Behaviour → the address's error code, and how long the check may take at most. */
const CASES: [HostileBehaviour, CheckErrorCode | null, number][] = [
  ['silent', 'BANNER_TIMEOUT', TIMEOUTS.bannerTimeoutMs],
  ['endless-multiline', 'SMTP_PROTOCOL', 0],
  ['wide-multiline', null, 0],
  ['megabyte-line', 'SMTP_PROTOCOL', 0],
  ['garbage', 'SMTP_PROTOCOL', 0],
  ['close-mid-ehlo', 'CONNECTION_CLOSED', 0],
  ['close-mid-starttls', 'CONNECTION_CLOSED', 0],
  ['close-mid-handshake', 'TLS_HANDSHAKE_FAILED', 0],
  ['inject-after-starttls', null, 0],
  ['tls-alert', 'TLS_HANDSHAKE_FAILED', 0],
  ['huge-chain', 'TLS_HANDSHAKE_FAILED', 0],
  ['busy-421', 'SMTP_TEMPORARY', 0],
  ['starttls-454', 'STARTTLS_REFUSED', 0],
];
/** Time for everything but the waits a case is built to hit: DNS, handshakes, loopback. */
const SLACK_MS = 1500;

let dns: FakeDns;
let caPem: string;
const peers = new Map<HostileBehaviour, HostilePeer>();
const tarpits: HostilePeer[] = [];
const behaviours: HostileBehaviour[] = [...CASES.map(([b]) => b), 'trickle-banner'];
const domainOf = (behaviour: HostileBehaviour) => `${behaviour}.hostile.test`;

beforeAll(async () => {
  const ca = await createTestCa('Hostile lab CA');
  caPem = ca.pem;
  const records = [];
  for (const [index, behaviour] of behaviours.entries()) {
    const address = `127.0.0.${100 + index}`;
    const host = `mx.${domainOf(behaviour)}`;
    let tls = await issue(ca, [host]);
    if (behaviour === 'huge-chain') {
      // 600 intermediates, ~210 KB: over OpenSSL's 100 KiB limit for a peer's chain.
      const chain = await intermediates(ca, 600);
      const leaf = await issue(chain.issuer, [host]);
      tls = { ...leaf, cert: `${leaf.cert}\n${chain.pem}` };
    }
    peers.set(behaviour, await startHostilePeer(behaviour, address, tls));
    records.push(rr.mx(domainOf(behaviour), host), rr.a(host, address));
  }
  // Four tarpits behind one domain, on one port: the whole check's time budget.
  const first = await startHostilePeer('silent', '127.0.0.90', await issue(ca, ['tarpit']));
  tarpits.push(first);
  for (const last of [91, 92, 93]) {
    tarpits.push(
      await startHostilePeer('silent', `127.0.0.${last}`, await issue(ca, ['tarpit']), first.port),
    );
  }
  for (const [index, peer] of tarpits.entries()) {
    records.push(rr.mx('tarpits.hostile.test', `mx${index}.tarpits.hostile.test`, index));
    records.push(rr.a(`mx${index}.tarpits.hostile.test`, peer.address));
  }
  dns = await startFakeDns({ address: '127.0.0.1', records });
}, 60_000);

afterAll(async () => {
  await Promise.all([...peers.values(), ...tarpits].map((peer) => peer.close()));
  await dns?.close();
});

function check(behaviour: HostileBehaviour, extra: CheckOptions = {}): Promise<CheckReport> {
  return checkDomain(domainOf(behaviour), {
    dnsServers: [dns.server],
    port: peers.get(behaviour)?.port,
    allowPrivate: true,
    extraCa: [caPem],
    heloName: 'probe.hostile.test',
    ...TIMEOUTS,
    ...extra,
  });
}

const addressOf = (report: CheckReport) => report.mx[0]?.addresses[0];

describe('the live check against hostile SMTP servers', () => {
  test.each(CASES)('%s → %s', async (behaviour, code, waitMs) => {
    const report = await check(behaviour);
    expect(addressOf(report)?.error?.code ?? null).toBe(code);
    expect(report.durationMs).toBeLessThan(waitMs + SLACK_MS);
  });

  it('stops a banner sent one byte per second at the budget, whatever the banner timeout', async () => {
    const report = await check('trickle-banner', {
      bannerTimeoutMs: 30_000,
      budgetPerAddressMs: 2500,
    });
    expect(addressOf(report)?.error?.code).toBe('BUDGET_EXCEEDED');
    expect(report.durationMs).toBeLessThan(2500 + SLACK_MS);
  });

  it('stops a domain of tarpits at the whole check budget', async () => {
    const report = await checkDomain('tarpits.hostile.test', {
      dnsServers: [dns.server],
      port: tarpits[0]?.port,
      allowPrivate: true,
      bannerTimeoutMs: 1000,
      parallelAddresses: 1,
      budgetMs: 2500,
    });
    expect(report.mx.map((mx) => mx.addresses[0]?.error?.code)).toEqual([
      'BANNER_TIMEOUT',
      'BANNER_TIMEOUT',
      'BUDGET_EXCEEDED',
      'BUDGET_EXCEEDED',
    ]);
    expect(report.mx[2]?.addresses[0]?.error?.message).toMatch(
      /ran out of its total time while testing/,
    );
    expect(report.mx[3]?.addresses[0]?.error?.message).toMatch(/before reaching mx3/);
    expect(tarpits[3]?.connections).toBe(0);
    expect(report.durationMs).toBeLessThan(2500 + SLACK_MS);
  });

  it('flags cleartext after the STARTTLS 220 as an injection, and keeps it out of the TLS session', async () => {
    const report = await check('inject-after-starttls');
    const address = addressOf(report);
    expect(address?.starttls.injected).toBe('250-injected.hostile.test\r\n250 OK\r\n');
    // The post-TLS EHLO reply is the server's own, not the injected one.
    expect(address?.tls?.version).toBe('TLSv1.3');
    expect(report.verdict.reasons.map((r) => r.code)).toContain('STARTTLS_INJECTION');
    expect(report.verdict.grade).toBe('warn');
  });

  it('names the step a server hung up in, and quotes TLS alerts', async () => {
    expect(addressOf(await check('close-mid-ehlo'))?.error?.message).toMatch(
      /while we waited for the reply to EHLO/,
    );
    expect(addressOf(await check('close-mid-starttls'))?.error?.message).toMatch(
      /the reply to STARTTLS/,
    );
    expect(addressOf(await check('tls-alert'))?.error?.cause).toMatch(/alert number 40/);
    expect(addressOf(await check('busy-421'))?.error?.cause).toMatch(/^421 4\.3\.2/);
    expect(addressOf(await check('starttls-454'))?.error).toEqual(
      expect.objectContaining({ temporary: true, cause: expect.stringMatching(/^454/) }),
    );
    // OpenSSL refuses a peer chain over 100 KiB before reading it all.
    expect(addressOf(await check('huge-chain'))?.error?.cause).toMatch(/excessive message size/);
  });

  it('keeps at most 256 KiB of server text per report, however wide the replies', async () => {
    const report = await check('wide-multiline');
    // Four connections, each greeted with ~800 KB.
    expect(addressOf(report)?.banner?.length).toBeLessThan(8 * 1024 + 100);
    expect(report.transcript.some((line) => /transcript reached 256 KiB/.test(line.text))).toBe(
      true,
    );
    expect(JSON.stringify(report).length).toBeLessThan(300 * 1024);
  });

  it('keeps no more than a reply line of a flood in the transcript', async () => {
    for (const behaviour of ['megabyte-line', 'garbage', 'endless-multiline'] as const) {
      const report = await check(behaviour);
      const received = report.transcript.filter((line) => line.direction === 'received');
      expect(received.every((line) => line.text.length <= 4096)).toBe(true);
      expect(JSON.stringify(report).length).toBeLessThan(64 * 1024);
    }
  });

  it('does not grow the heap over repeated hostile checks', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const fast = CASES.map(([behaviour]) => behaviour).filter((b) => b !== 'silent');
    const round = () => Promise.all(fast.map((behaviour) => check(behaviour)));
    await round();
    await round();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10; i++) await round();
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 110 checks; a leak of one report or socket buffer each would show as megabytes.
    expect(grown).toBeLessThan(4 * 1024 * 1024);
  }, 120_000);
});
