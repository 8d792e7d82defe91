/** The live check's HTTP API over real HTTPS, against the lab's servers. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckReport } from '../../../src/core/check-report';
import { checkApi, type CheckApiOptions } from '../../../src/service/http/check-api';
import { DNS } from '../../lab/lab';
import { startApp } from '../../support/https-app';

const labCa = readFileSync(process.env.MTI_LAB_CA as string, 'utf8');
const root = path.join(__dirname, '../../../dist/addin');

/** The abuse limits are tested without the lab (check-api.test.ts); here, real mail servers. */
async function serve(api: Omit<CheckApiOptions, 'check'>) {
  return startApp({
    root,
    api: checkApi({
      check: { dnsServers: [DNS], allowPrivate: true, extraCa: [labCa], bannerTimeoutMs: 10_000 },
      ...api,
    }),
  });
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
