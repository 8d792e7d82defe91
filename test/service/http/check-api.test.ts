import { connect } from 'node:tls';
import type { CheckReport } from '../../../src/core/check-report';
import { checkApi, clientKey, type CheckApiOptions } from '../../../src/service/http/check-api';
import { createTestCa, issue } from '../../lab/certificates';
import { rr, startFakeDns, type FakeDns } from '../../lab/fake-dns';
import { startHostilePeer, type HostilePeer } from '../../lab/hostile-smtp';
import { fakeAddinRoot, startApp, type RunningApp } from '../../support/https-app';

/**
 * The live-check API under abuse, over real HTTPS: refused input, oversized requests, floods
 * from one client, many clients on one target, more checks than the service runs at once.
 * Checks run for real, against a fast peer (421 at once) and a silent one (banner timeout).
 */

const QUICK = '127.0.0.130';
const SLOW = '127.0.0.131';
const BANNER_TIMEOUT_MS = 1500;

let dns: FakeDns;
let quickPeer: HostilePeer;
let slowPeer: HostilePeer;
const root = fakeAddinRoot();
const apps: RunningApp[] = [];

beforeAll(async () => {
  const ca = await createTestCa('API lab CA');
  const tls = await issue(ca, ['mx.api.test']);
  quickPeer = await startHostilePeer('busy-421', QUICK, tls);
  slowPeer = await startHostilePeer('silent', SLOW, tls);
  const records = [];
  for (let i = 0; i < 20; i++) {
    records.push(rr.mx(`quick${i}.api.test`, 'quick.mx.api.test'));
    records.push(rr.mx(`slow${i}.api.test`, 'slow.mx.api.test'));
  }
  records.push(rr.a('quick.mx.api.test', QUICK), rr.a('slow.mx.api.test', SLOW));
  dns = await startFakeDns({ address: '127.0.0.1', records });
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all([quickPeer?.close(), slowPeer?.close(), dns?.close()]);
});

/** One app per test, each with its own limits; both peers answer on their own port. */
async function serve(
  limits: Omit<CheckApiOptions, 'check'> = {},
  server: { headersTimeoutMs?: number } = {},
): Promise<RunningApp> {
  const app = await startApp({
    root,
    api: routed(limits, { quick: quickPeer.port, slow: slowPeer.port }),
    ...server,
  });
  apps.push(app);
  return app;
}

/** An API whose checks go to the quick or the slow peer depending on the domain asked. */
function routed(limits: Omit<CheckApiOptions, 'check'>, ports: { quick: number; slow: number }) {
  const base = {
    dnsServers: [dns.server],
    allowPrivate: true,
    bannerTimeoutMs: BANNER_TIMEOUT_MS,
    connectTimeoutMs: 1000,
  };
  const quick = checkApi({ ...limits, check: { ...base, port: ports.quick } });
  const slow = checkApi({ ...limits, check: { ...base, port: ports.slow } });
  return (...args: Parameters<typeof quick>) =>
    /domain=slow/.test(args[2].search) ? slow(...args) : quick(...args);
}

const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('the live-check API under abuse', () => {
  test.each([
    ['/api/check?domain=not%20a%20domain', 'INVALID_INPUT'],
    ['/api/check', 'INVALID_INPUT'],
    [`/api/check?domain=${'a'.repeat(400)}.example`, 'INVALID_INPUT'],
    [`/api/check?domain=${'a'.repeat(64)}.example`, 'INVALID_INPUT'],
    ['/api/check/stream?domain=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'INVALID_INPUT'],
    ['/api/check?domain=x.test%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 'INVALID_INPUT'],
  ])('refuses %s with 400, a code and no markup', async (urlPath, code) => {
    const app = await serve();
    const reply = await app.get(urlPath);
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(errorOf(reply.body)).toBe(code);
    expect(reply.body).not.toMatch(/[<>]/);
  });

  test.each([
    ['a request target over 2 KiB', 414, { path: `/api/check?domain=${'a'.repeat(3000)}` }],
    ['a 20 KB header', 431, { headers: { 'X-Padding': 'x'.repeat(20_000) } }],
    ['a GET with a body', 413, { headers: { 'Content-Length': '18' }, body: 'domain=example.com' }],
    ['a chunked GET', 413, { headers: { 'Transfer-Encoding': 'chunked' }, body: 'x' }],
    ['a POST', 405, { method: 'POST', body: '{}' }],
  ] as const)('answers %s with %i', async (_what, status, request) => {
    const app = await serve();
    const path = 'path' in request ? request.path : '/api/check?domain=quick0.api.test';
    const reply = await app.get(path, {
      method: 'method' in request ? request.method : 'GET',
      headers: 'headers' in request ? request.headers : {},
      body: 'body' in request ? request.body : undefined,
    });
    expect(reply.status).toBe(status);
  });

  it('echoes the input it was given only with <, > and & escaped', async () => {
    const app = await serve();
    const reply = await app.get(
      '/api/check?domain=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E@quick5.api.test',
    );
    expect(reply.status).toBe(200);
    const report = JSON.parse(reply.body) as CheckReport;
    expect(report.domain).toBe('quick5.api.test');
    expect(report.input).toBe('<img src=x onerror=alert(1)>@quick5.api.test');
    expect(reply.body).not.toMatch(/[<>]/);
    expect(reply.body).toContain('\\u003cimg');
  });

  it('sends the security headers with every answer, refusals included', async () => {
    const app = await serve({ perClientPerMinute: 1 });
    for (const path of [
      '/api/check?domain=quick0.api.test',
      '/api/check?domain=quick1.api.test',
      '/api/check?domain=bad',
      '/nothing-here',
      '/healthz',
    ]) {
      const reply = await app.get(path);
      expect(reply.headers['content-security-policy']).toMatch(/script-src 'self' https:/);
      expect(reply.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe/);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
      expect(reply.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    }
  });

  it('limits each client with 429 and Retry-After, but not another client or cached reports', async () => {
    const app = await serve({ perClientPerMinute: 2 });
    expect((await app.get('/api/check?domain=quick0.api.test')).status).toBe(200);
    expect((await app.get('/api/check?domain=quick1.api.test')).status).toBe(200);
    const limited = await app.get('/api/check?domain=quick2.api.test');
    expect(limited.status).toBe(429);
    expect(errorOf(limited.body)).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A report in the cache costs the service nothing: still served.
    expect((await app.get('/api/check?domain=quick0.api.test')).status).toBe(200);
    expect((await app.get('/api/check?domain=quick2.api.test', { from: '127.0.0.7' })).status).toBe(
      200,
    );
  });

  it('counts clients behind a trusted proxy by the address it saw, never by what clients write', async () => {
    const behind = await serve({ perClientPerMinute: 1, trustedProxyHops: 1 });
    const via = (forwarded: string) => ({ headers: { 'X-Forwarded-For': forwarded } });
    expect(
      (await behind.get('/api/check?domain=quick6.api.test', via('198.51.100.1'))).status,
    ).toBe(200);
    expect(
      (await behind.get('/api/check?domain=quick7.api.test', via('198.51.100.1'))).status,
    ).toBe(429);
    // A client writing its own entries in front changes nothing: the proxy's entry is last.
    expect(
      (await behind.get('/api/check?domain=quick7.api.test', via('203.0.113.9, 198.51.100.1')))
        .status,
    ).toBe(429);
    expect(
      (await behind.get('/api/check?domain=quick7.api.test', via('198.51.100.2'))).status,
    ).toBe(200);
    // Without trusted proxies the header is ignored: one socket address, one client.
    const direct = await serve({ perClientPerMinute: 1 });
    expect(
      (await direct.get('/api/check?domain=quick8.api.test', via('198.51.100.3'))).status,
    ).toBe(200);
    expect(
      (await direct.get('/api/check?domain=quick9.api.test', via('198.51.100.4'))).status,
    ).toBe(429);
  });

  it('limits fresh checks of one domain, whoever asks', async () => {
    const app = await serve({ perClientPerMinute: 100, perDomainPerMinute: 2, cacheSeconds: 0 });
    const from = ['127.0.0.11', '127.0.0.12', '127.0.0.13'];
    expect((await app.get('/api/check?domain=quick3.api.test', { from: from[0] })).status).toBe(
      200,
    );
    expect((await app.get('/api/check?domain=quick3.api.test', { from: from[1] })).status).toBe(
      200,
    );
    const limited = await app.get('/api/check?domain=quick3.api.test', { from: from[2] });
    expect(limited.status).toBe(429);
    expect(errorOf(limited.body)).toBe('TARGET_RATE_LIMITED');
    expect((await app.get('/api/check?domain=quick4.api.test', { from: from[2] })).status).toBe(
      200,
    );
  });

  it('charges a client nothing for a check it was refused', async () => {
    const app = await serve({ perClientPerMinute: 2, perDomainPerMinute: 1, cacheSeconds: 0 });
    expect((await app.get('/api/check?domain=quick10.api.test')).status).toBe(200);
    const refused = await app.get('/api/check?domain=quick10.api.test');
    expect(errorOf(refused.body)).toBe('TARGET_RATE_LIMITED');
    expect((await app.get('/api/check?domain=quick11.api.test')).status).toBe(200);
  });

  it('caps running checks with 429, joins a check already running, and stays healthy', async () => {
    const app = await serve({ maxConcurrent: 2, perClientPerMinute: 100 });
    const first = app.get('/api/check?domain=slow0.api.test', { from: '127.0.0.21' });
    const second = app.get('/api/check?domain=slow1.api.test', { from: '127.0.0.22' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busy = await app.get('/api/check?domain=slow2.api.test', { from: '127.0.0.23' });
    expect(busy.status).toBe(429);
    expect(errorOf(busy.body)).toBe('BUSY');
    expect(busy.headers['retry-after']).toBe('10');
    const joined = app.get('/api/check?domain=slow0.api.test', { from: '127.0.0.24' });
    const started = performance.now();
    expect((await app.get('/healthz')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
    const reports = await Promise.all([first, second, joined]);
    expect(reports.map((r) => r.status)).toEqual([200, 200, 200]);
    const [a, , c] = reports.map((r) => JSON.parse(r.body) as CheckReport);
    expect(c?.startedAt).toBe(a?.startedAt);
    expect(a?.mx[0]?.addresses[0]?.error?.code).toBe('BANNER_TIMEOUT');
  });

  it('caps the requests one client holds open, streams included', async () => {
    const app = await serve({ maxOpenPerClient: 2, perClientPerMinute: 100 });
    const held = [
      app.get('/api/check/stream?domain=slow3.api.test'),
      app.get('/api/check/stream?domain=slow4.api.test'),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = await app.get('/api/check/stream?domain=slow5.api.test');
    expect(third.status).toBe(429);
    expect(third.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(errorOf(third.body)).toBe('TOO_MANY_OPEN');
    const streams = await Promise.all(held);
    expect(streams.map((s) => s.status)).toEqual([200, 200]);
    expect(streams[0]?.body).toMatch(/event: done\n/);
  });

  it('closes a connection that sends its request head too slowly (slowloris)', async () => {
    const app = await serve({}, { headersTimeoutMs: 1000 });
    const socket = connect({
      host: '127.0.0.1',
      port: app.port,
      servername: 'localhost',
      ca: app.ca,
    });
    socket.on('secureConnect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n'));
    const started = performance.now();
    const ended = await new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('error', () => resolve(received));
      socket.on('close', () => resolve(received));
    });
    expect(ended).toMatch(/^HTTP\/1\.1 408/);
    expect(performance.now() - started).toBeLessThan(4000);
  });
});

describe('clientKey', () => {
  test.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
