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
  /** Time for a client to send its request head (default 10 s); later ones get 408. */
  headersTimeoutMs?: number;
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
  // The pane needs none of these; a script that got in anyway could not use them either.
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** The longest request target served: our URLs are short, a domain query is at most ~1 KB. */
const MAX_URL = 2048;
/** A client has this long to send its request head, and the whole request (slowloris). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** The one HTTPS server: the add-in's pages and assets, and the live check's API. */
export function createAppServer(options: AppServerOptions): Server {
  const resolveStatic = staticFiles(options.root);
  const log = options.log ?? ((entry) => process.stdout.write(`${JSON.stringify(entry)}\n`));

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<number> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      response.setHeader('Connection', 'close');
      return sendText(response, 405, 'Only GET and HEAD are served here.');
    }
    if ((request.url ?? '').length > MAX_URL)
      return sendText(response, 414, `Addresses here are shorter than ${MAX_URL} characters.`);
    const length = request.headers['content-length'];
    if ((length !== undefined && length !== '0') || request.headers['transfer-encoding']) {
      // Nothing here reads a body; closing the connection discards it unread.
      response.setHeader('Connection', 'close');
      return sendText(response, 413, 'Requests here carry no body.');
    }
    const url = new URL(request.url ?? '/', 'https://localhost');
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

  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const timeouts = {
    headersTimeout,
    requestTimeout: Math.max(headersTimeout, REQUEST_TIMEOUT_MS),
    // How often Node looks for requests past those limits (default 30 s: too coarse).
    connectionsCheckingInterval: Math.min(1000, headersTimeout / 2),
  };
  return createServer({ ...options.tls, ...timeouts }, (request, response) => {
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
