import { createServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { checkApi } from './check-api';
import { staticFiles } from './static-files';

export interface AppServerOptions {
  /** The built add-in (dist/addin). */
  root: string;
  tls: Pick<ServerOptions, 'key' | 'cert'>;
  /** One JSON object per request; defaults to stdout. */
  log?: (entry: RequestLogEntry) => void;
  /** The live check's API (/api/check); without it those paths are 404. */
  api?: ReturnType<typeof checkApi>;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/**
 * Pages the add-in frame loads. Office.js comes from Microsoft's CDN (and loads its host
 * scripts from there); Fluent UI's CSS-in-JS writes <style> elements, hence 'unsafe-inline'
 * for styles only. No frame-ancestors: Outlook on the web frames the pane from several hosts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' https://appsforoffice.microsoft.com https://ajax.aspnetcdn.com",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000',
};

/** The one HTTPS server: the add-in's pages and assets, and the live check's API. */
export function createAppServer(options: AppServerOptions): Server {
  const resolveStatic = staticFiles(options.root);
  const log = options.log ?? ((entry) => process.stdout.write(`${JSON.stringify(entry)}\n`));

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<number> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'https://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return sendText(response, 405, 'Only GET and HEAD are served here.');
    }
    if (url.pathname === '/healthz') return sendText(response, 200, 'ok');
    if (options.api) {
      const status = await options.api(request, response, url);
      if (status !== null) return status;
    }
    if (url.pathname === '/') {
      response.setHeader('Location', '/standalone.html');
      return sendText(response, 302, 'See /standalone.html');
    }
    const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const result = await resolveStatic(url.pathname, acceptsGzip);
    if (result.kind === 'not-found') return sendText(response, 404, 'Not found.');
    response.statusCode = 200;
    response.setHeader('Content-Type', result.contentType);
    response.setHeader('Cache-Control', result.cacheControl);
    response.setHeader('Vary', 'Accept-Encoding');
    if (result.encoding) response.setHeader('Content-Encoding', result.encoding);
    response.setHeader('Content-Length', result.body.length);
    response.end(request.method === 'HEAD' ? undefined : result.body);
    return 200;
  };

  return createServer({ ...options.tls }, (request, response) => {
    const started = performance.now();
    handle(request, response)
      .catch(() => (response.headersSent ? 500 : sendText(response, 500, 'Internal error.')))
      .then((status) =>
        log({
          time: new Date().toISOString(),
          method: request.method ?? '',
          path: (request.url ?? '').slice(0, 200),
          status,
          ms: Math.round(performance.now() - started),
        }),
      );
  });
}

function sendText(response: ServerResponse, status: number, text: string): number {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(`${text}\n`);
  return status;
}
