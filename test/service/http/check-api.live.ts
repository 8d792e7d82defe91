/** The live check's HTTP API over real HTTPS, against the lab's servers. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:https';
import type { CheckReport } from '../../../src/core/check-report';
import { checkApi, type CheckApiOptions } from '../../../src/service/http/check-api';
import { ensureDevCertificate } from '../../../src/service/http/dev-certificate';
import { createAppServer } from '../../../src/service/http/server';
import { DNS } from '../../lab/lab';

const labCa = readFileSync(process.env.MTI_LAB_CA as string, 'utf8');
const root = path.join(__dirname, '../../../dist/addin');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function serve(api: Omit<CheckApiOptions, 'check'>) {
  const dev = await ensureDevCertificate(mkdtempSync(path.join(tmpdir(), 'mti-api-')));
  const server: Server = createAppServer({
    root,
    tls: dev,
    log: () => undefined,
    api: checkApi({
      check: { dnsServers: [DNS], allowPrivate: true, extraCa: [labCa], bannerTimeoutMs: 10_000 },
      ...api,
    }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const ca = dev.cert;
  const get = (urlPath: string) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port,
          path: urlPath,
          ca: [readFileSync(dev.caCertFile), ca],
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  return { get, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('GET /api/check', () => {
  it('answers the CheckReport as JSON, and serves it again from the cache', async () => {
    const api = await serve({});
    const first = await api.get('/api/check?domain=legacy.mti.test');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['content-security-policy']).toBeDefined();
    const report = JSON.parse(first.body) as CheckReport;
    expect(report.verdict.grade).toBe('warn');
    expect(report.input).toBe('legacy.mti.test');
    const second = JSON.parse(
      (await api.get('/api/check?domain=LEGACY.mti.test')).body,
    ) as CheckReport;
    expect(second.startedAt).toBe(report.startedAt);
    expect(second.input).toBe('LEGACY.mti.test');
    await api.close();
  });

  test.each([
    ['/api/check?domain=not%20a%20domain', 'INVALID_INPUT'],
    ['/api/check', 'INVALID_INPUT'],
    [`/api/check?domain=${'a'.repeat(400)}.example`, 'INVALID_INPUT'],
    ['/api/check?domain=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'INVALID_INPUT'],
  ])('refuses %s with 400 and a reason', async (urlPath, code) => {
    const api = await serve({});
    const reply = await api.get(urlPath);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.code).toBe(code);
    expect(reply.body).not.toContain('<script>');
    await api.close();
  });

  it('rate-limits each client with 429 and Retry-After', async () => {
    const api = await serve({ perClientPerMinute: 2 });
    expect((await api.get('/api/check?domain=implicit.mti.test')).status).toBe(200);
    expect((await api.get('/api/check?domain=implicit.mti.test')).status).toBe(200);
    const limited = await api.get('/api/check?domain=implicit.mti.test');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await api.close();
  });

  it('caps concurrent checks with 503, while the running check still completes', async () => {
    const api = await serve({ maxConcurrent: 1 });
    const slow = api.get('/api/check?domain=slow.mti.test');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busy = await api.get('/api/check?domain=implicit.mti.test');
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('10');
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await slow).status).toBe(200);
    await api.close();
  });
});

describe('GET /api/check/stream', () => {
  it('streams one server-sent event per step, then the report', async () => {
    const api = await serve({});
    const reply = await api.get('/api/check/stream?domain=good.mti.test');
    expect(reply.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const events = reply.body
      .trim()
      .split('\n\n')
      .map((block) => /^event: (\w+)$/m.exec(block)?.[1]);
    expect(events[0]).toBe('mx');
    expect(events).toEqual(
      expect.arrayContaining([
        'connect',
        'banner',
        'ehlo',
        'starttls',
        'tls',
        'certificate',
        'cleartext',
        'policy',
      ]),
    );
    expect(events.at(-1)).toBe('done');
    const done = JSON.parse(
      /data: (.*)$/m.exec(reply.body.trim().split('\n\n').at(-1) as string)?.[1] as string,
    );
    expect(done.report.mx).toHaveLength(2);
    await api.close();
  });
});
