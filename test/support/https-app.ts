import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDevCertificate } from '../../src/service/http/dev-certificate';
import { createAppServer, type AppServerOptions } from '../../src/service/http/server';

/**
 * The real HTTPS app server on a loopback port with a throw-away development CA, and a client
 * that verifies it against that CA (never with verification off).
 */

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as UTF-8 text; `bytes` as received (gzip stays gzip). */
  body: string;
  bytes: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The client's own loopback address: another "client" for per-client limits. */
  from?: string;
}

export interface RunningApp {
  port: number;
  /** The development CA the server's certificate chains to. */
  ca: Buffer;
  get(urlPath: string, options?: RequestOptions): Promise<Reply>;
  close(): Promise<void>;
}

/** A minimal built add-in (one page), for tests that do not need the real build. */
export function fakeAddinRoot(): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'mti-root-')), 'addin');
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'taskpane.html'), '<!doctype html><title>pane</title>');
  return root;
}

export async function startApp(
  options: Omit<AppServerOptions, 'tls' | 'log'> & Partial<Pick<AppServerOptions, 'log'>>,
): Promise<RunningApp> {
  const dev = await ensureDevCertificate(mkdtempSync(path.join(tmpdir(), 'mti-certs-')));
  const ca = readFileSync(dev.caCertFile);
  const server: Server = createAppServer({ log: () => undefined, ...options, tls: dev });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const get = (urlPath: string, request_: RequestOptions = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port,
          path: urlPath,
          method: request_.method ?? 'GET',
          headers: request_.headers,
          localAddress: request_.from,
          ca,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: bytes.toString('utf8'),
              bytes,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(request_.body);
    });
  return {
    port,
    ca,
    get,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
