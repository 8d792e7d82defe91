import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RequestLogEntry } from '../../../src/service/http/server';
import { safeRelativePath } from '../../../src/service/http/static-files';
import { startApp } from '../../support/https-app';

const work = mkdtempSync(path.join(tmpdir(), 'mti-server-'));
const root = path.join(work, 'addin');
mkdirSync(path.join(root, 'assets'), { recursive: true });
writeFileSync(path.join(root, 'taskpane.html'), '<!doctype html><title>pane</title>');
writeFileSync(path.join(root, 'taskpane.0123abcd.js'), 'console.log("pane");'.repeat(50));
writeFileSync(path.join(root, 'assets/icon-16.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
writeFileSync(path.join(root, 'notes.exe'), 'MZ');
writeFileSync(path.join(work, 'secret.txt'), 'outside the root');
symlinkSync(path.join(work, 'secret.txt'), path.join(root, 'escape.txt'));

const logs: RequestLogEntry[] = [];
const app = startApp({ root, log: (entry) => logs.push(entry) });

afterAll(async () => (await app).close());

/** A real HTTPS request that verifies the server against its development CA. */
async function get(urlPath: string, options: { method?: string; gzip?: boolean } = {}) {
  const server = await app;
  const reply = await server.get(urlPath, {
    method: options.method,
    headers: options.gzip ? { 'Accept-Encoding': 'gzip' } : {},
  });
  return { ...reply, body: reply.bytes };
}

describe('the add-in server', () => {
  it('serves pages over HTTPS with security headers and no caching of HTML', async () => {
    const reply = await get('/taskpane.html');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toContain(
      "script-src 'self' https://appsforoffice.microsoft.com",
    );
    expect(reply.headers['x-frame-options']).toBeUndefined();
    expect(reply.body.toString()).toContain('<title>pane</title>');
  });

  it('compresses scripts for clients that accept gzip and lets caches keep hashed names', async () => {
    const reply = await get('/taskpane.0123abcd.js', { gzip: true });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(reply.body).toString()).toMatch(/^console\.log\("pane"\);/);
    expect(reply.body.length).toBeLessThan(200);
  });

  it('answers HEAD without a body', async () => {
    const reply = await get('/taskpane.html', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(0);
  });

  test.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/escape.txt',
    '/notes.exe',
    '/assets',
    '/missing.html',
    '/taskpane.html%00.png',
    '/%E0%A4%A',
    '/assets//icon-16.png',
  ])('refuses %s with 404', async (urlPath) => {
    const reply = await get(urlPath);
    expect(reply.status).toBe(404);
    expect(reply.body.toString()).not.toContain('outside the root');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const reply = await get('/taskpane.html', { method: 'POST' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
  });

  it('sends / to the standalone page and answers /healthz', async () => {
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/standalone.html');
    expect((await get('/healthz')).body.toString()).toBe('ok\n');
  });

  it('logs one JSON line per request', async () => {
    await get('/missing.html');
    expect(logs.at(-1)).toMatchObject({ method: 'GET', path: '/missing.html', status: 404 });
  });
});

describe('safeRelativePath', () => {
  test.each([
    ['/taskpane.html', 'taskpane.html'],
    ['/assets/icon-16.png', path.join('assets', 'icon-16.png')],
    ['/a%20b.html', 'a b.html'],
    ['/', null],
    ['/a/../b', null],
    ['/a\\b', null],
    ['relative', null],
  ])('%s → %s', (input, expected) => {
    expect(safeRelativePath(input)).toBe(expected);
  });
});
