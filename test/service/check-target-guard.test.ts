// The modules themselves, not ES namespace copies: the spies must see the code's own calls.
import https = require('node:https');
import net = require('node:net');
import { checkDomain, type CheckOptions } from '../../src/service/check';
import { createTestCa, issue } from '../lab/certificates';
import { rr, startFakeDns, type FakeDns } from '../lab/fake-dns';
import { startHostilePeer, type HostilePeer } from '../lab/hostile-smtp';

/**
 * The target guard end to end: an MX or MTA-STS host pointing into private, loopback, link-local
 * or otherwise special space is refused before any connection; allowed networks are opt-in; the
 * check connects to exactly the address it judged, on port 25 or 443 only.
 */

const SPECIAL = [
  '127.0.0.1',
  '10.1.2.3',
  '172.16.5.4',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '224.0.0.1',
  '240.0.0.1',
  '255.255.255.255',
  '0.0.0.0',
  '::1',
  '::',
  '::ffff:127.0.0.1',
  '::ffff:169.254.169.254',
  '64:ff9b::a00:1',
  '64:ff9b::a9fe:a9fe',
  '2002:a00:1::1',
  'fe80::1',
  'fc00::1',
  'ff02::1',
];
const ALLOWED = '127.0.0.120';
const REBOUND = '127.0.0.121';
const domainFor = (index: number) => `t${index}.guard.test`;

let dns: FakeDns;
let allowedPeer: HostilePeer;
let reboundPeer: HostilePeer;
/** Every TCP connection the code under test opens, as "host:port". */
const connections: string[] = [];
const realConnect = net.connect;

beforeAll(async () => {
  const ca = await createTestCa('Guard lab CA');
  const tls = await issue(ca, ['mx.guard.test']);
  allowedPeer = await startHostilePeer('busy-421', ALLOWED, tls);
  reboundPeer = await startHostilePeer('busy-421', REBOUND, tls);
  dns = await startFakeDns({
    address: '127.0.0.1',
    records: [
      ...SPECIAL.flatMap((ip, index) => [
        rr.mx(domainFor(index), `mx.${domainFor(index)}`),
        ip.includes(':')
          ? rr.aaaa(`mx.${domainFor(index)}`, ip)
          : rr.a(`mx.${domainFor(index)}`, ip),
      ]),
      rr.mx('metadata.guard.test', 'mx.metadata.guard.test'),
      rr.a('mx.metadata.guard.test', ALLOWED),
      rr.txt('_mta-sts.metadata.guard.test', 'v=STSv1; id=1'),
      rr.a('mta-sts.metadata.guard.test', '169.254.169.254'),
      rr.mx('allowed.guard.test', 'mx.allowed.guard.test'),
      rr.a('mx.allowed.guard.test', ALLOWED),
      rr.mx('rebind.guard.test', 'mx.rebind.guard.test'),
      rr.mx('stsrebind.guard.test', 'mx.stsrebind.guard.test'),
      rr.a('mx.stsrebind.guard.test', ALLOWED),
      rr.txt('_mta-sts.stsrebind.guard.test', 'v=STSv1; id=1'),
    ],
    rebind: {
      'mx.rebind.guard.test': [ALLOWED, REBOUND],
      'mta-sts.stsrebind.guard.test': ['127.0.0.122', '127.0.0.123'],
    },
  });
});

afterAll(async () => {
  await Promise.all([allowedPeer?.close(), reboundPeer?.close(), dns?.close()]);
});

beforeEach(() => {
  connections.length = 0;
  // Records every connection, and makes sure a broken guard could never reach past loopback.
  jest.spyOn(net, 'connect').mockImplementation(((...args: Parameters<typeof net.connect>) => {
    const options = args[0] as unknown as net.TcpNetConnectOpts;
    connections.push(`${options.host}:${options.port}`);
    if (!/^127\./.test(String(options.host)))
      throw new Error(`the test refuses to connect to ${options.host}`);
    return realConnect(...args);
  }) as typeof net.connect);
});

afterEach(() => jest.restoreAllMocks());

function check(domain: string, extra: CheckOptions = {}) {
  return checkDomain(domain, {
    dnsServers: [dns.server],
    connectTimeoutMs: 1000,
    budgetPerAddressMs: 3000,
    commandTimeoutMs: 1000,
    ...extra,
  });
}

describe('the target guard', () => {
  test.each(SPECIAL.map((ip, index) => [ip, index]))(
    'refuses an MX at %s without connecting',
    async (_ip, index) => {
      const report = await check(domainFor(index));
      const address = report.mx[0]?.addresses[0];
      // dns-packet writes IPv4-mapped addresses in hex (::ffff:7f00:1); one address either way.
      expect(report.mx[0]?.addresses).toHaveLength(1);
      expect(address?.error?.code).toBe('TARGET_NOT_ALLOWED');
      expect(report.verdict.grade).toBe('untestable');
      expect(connections.filter((c) => !c.endsWith(`:${dns.server.port}`))).toEqual([]);
    },
  );

  it('does not fetch an MTA-STS policy from a host pointing at the metadata address', async () => {
    const request = jest.spyOn(https, 'request');
    const report = await check('metadata.guard.test');
    expect(report.mtaSts?.error).toMatch(/169\.254\.169\.254.*TARGET_NOT_ALLOWED/);
    expect(request).not.toHaveBeenCalled();
  });

  it('connects to an allowed network, on port 25 only unless in a lab', async () => {
    const before = allowedPeer.connections;
    const report = await check('allowed.guard.test', {
      allowedNetworks: [`${ALLOWED}/32`],
      port: allowedPeer.port,
    });
    // The port option is for labs: without allowPrivate the check still goes to port 25.
    expect(connections).toContain(`${ALLOWED}:25`);
    expect(connections).not.toContain(`${ALLOWED}:${allowedPeer.port}`);
    expect(report.mx[0]?.addresses[0]?.error?.code).toBe('CONNECT_FAILED');
    expect(allowedPeer.connections).toBe(before);
  });

  it('probes exactly the address it judged, never a second DNS answer', async () => {
    const report = await check('rebind.guard.test', {
      allowPrivate: true,
      port: allowedPeer.port,
    });
    expect(report.mx[0]?.addresses.map((a) => a.ip)).toEqual([ALLOWED]);
    expect(report.mx[0]?.addresses[0]?.error?.code).toBe('SMTP_TEMPORARY');
    expect(reboundPeer.connections).toBe(0);
    expect(dns.queries.filter((q) => q === 'udp mx.rebind.guard.test A')).toHaveLength(1);
  });

  it('fetches the MTA-STS policy from the address it judged, by IP, on port 443', async () => {
    const request = jest.spyOn(https, 'request');
    await check('stsrebind.guard.test', { allowedNetworks: ['127.0.0.122/32'] });
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0]?.[0]).toEqual(
      expect.objectContaining({
        host: '127.0.0.122',
        port: 443,
        servername: 'mta-sts.stsrebind.guard.test',
      }),
    );
    expect(dns.queries.filter((q) => q === 'udp mta-sts.stsrebind.guard.test A')).toHaveLength(1);
  });
});

describe('checkDomain options', () => {
  it('rejects an allowed network that is not one, before any lookup', async () => {
    const before = dns.queries.length;
    await expect(check('allowed.guard.test', { allowedNetworks: ['10.0.0.0/33'] })).rejects.toThrow(
      RangeError,
    );
    expect(dns.queries.length).toBe(before);
  });
});
