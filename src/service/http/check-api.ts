import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckEvent, CheckReport } from '../../core/check-report';
import { checkDomain, type CheckOptions } from '../check';
import { domainOfInput } from '../dns/lookups';

export interface CheckApiOptions {
  check: CheckOptions;
  /** Checks one client may start per minute (token bucket; default 10, bursts of 5). */
  perClientPerMinute?: number;
  /** Checks running at once across all clients (default 8); more get 503 + Retry-After. */
  maxConcurrent?: number;
  /** How long a finished report is served again for the same domain (default 60 s). */
  cacheSeconds?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** Longest domain input accepted in a query string: an e-mail address (RFC 5321 §4.5.3.1). */
const MAX_INPUT = 320;
/** Buckets for this many clients are kept; the oldest are forgotten first. */
const MAX_CLIENTS = 10_000;

/**
 * The live check over HTTP, on the origin that serves the add-in (no CORS needed):
 *   GET /api/check?domain=…         → the CheckReport as JSON
 *   GET /api/check/stream?domain=…  → server-sent events, one per finished step, then "done"
 * Abuse limits: a token bucket per client address, a global concurrency cap, and a short
 * per-domain cache that also joins identical checks already running.
 */
export function checkApi(options: CheckApiOptions) {
  const perMinute = options.perClientPerMinute ?? 10;
  const burst = Math.max(1, Math.min(5, perMinute));
  const maxConcurrent = options.maxConcurrent ?? 8;
  const cacheMs = (options.cacheSeconds ?? 60) * 1000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();
  const cache = new Map<string, { report: CheckReport; until: number }>();
  const running = new Map<
    string,
    { promise: Promise<CheckReport>; listeners: Set<(event: CheckEvent) => void> }
  >();

  /** Takes a token for this client; returns the seconds to wait when there is none. */
  function rateLimited(client: string): number {
    const time = now();
    const bucket = buckets.get(client) ?? { tokens: burst, updated: time };
    bucket.tokens = Math.min(burst, bucket.tokens + ((time - bucket.updated) / 60_000) * perMinute);
    bucket.updated = time;
    buckets.delete(client);
    buckets.set(client, bucket);
    if (buckets.size > MAX_CLIENTS) buckets.delete(buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perMinute) * 60);
  }

  function start(domain: string, onEvent: (event: CheckEvent) => void): Promise<CheckReport> {
    const cached = cache.get(domain);
    if (cached && cached.until > now()) {
      onEvent({ type: 'done', report: cached.report });
      return Promise.resolve(cached.report);
    }
    const joined = running.get(domain);
    if (joined) {
      joined.listeners.add(onEvent);
      return joined.promise;
    }
    const listeners = new Set([onEvent]);
    const promise = checkDomain(domain, options.check, (event) => {
      for (const listener of listeners) listener(event);
    }).then((report) => {
      running.delete(domain);
      cache.set(domain, { report, until: now() + cacheMs });
      for (const [key, entry] of cache) if (entry.until <= now()) cache.delete(key);
      return report;
    });
    running.set(domain, { promise, listeners });
    return promise;
  }

  /** Handles /api/check and /api/check/stream; returns the status sent, or null for other paths. */
  return async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<number | null> {
    if (url.pathname !== '/api/check' && url.pathname !== '/api/check/stream') return null;
    const input = url.searchParams.get('domain') ?? '';
    if (input.length > MAX_INPUT) {
      return sendJson(response, 400, {
        error: {
          code: 'INVALID_INPUT',
          message: `The domain is longer than ${MAX_INPUT} characters.`,
        },
      });
    }
    const parsed = domainOfInput(input);
    if ('error' in parsed) return sendJson(response, 400, { error: parsed.error });
    const wait = rateLimited(request.socket.remoteAddress ?? 'unknown');
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      return sendJson(response, 429, {
        error: {
          code: 'RATE_LIMITED',
          message: `Too many checks from your address. Try again in ${wait} s.`,
        },
      });
    }
    const alreadyRunning =
      running.has(parsed.domain) || (cache.get(parsed.domain)?.until ?? 0) > now();
    if (!alreadyRunning && running.size >= maxConcurrent) {
      response.setHeader('Retry-After', '10');
      return sendJson(response, 503, {
        error: {
          code: 'BUSY',
          message:
            'The service is running as many checks as it allows. Try again in a few seconds.',
        },
      });
    }

    if (url.pathname === '/api/check') {
      const report = await start(parsed.domain, () => undefined);
      return sendJson(response, 200, { ...report, input });
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    const send = (event: CheckEvent) => {
      if (response.writableEnded) return;
      const data = event.type === 'done' ? { ...event, report: { ...event.report, input } } : event;
      response.write(`event: ${event.type}\ndata: ${safeJson(data)}\n\n`);
    };
    await start(parsed.domain, send);
    response.end();
    return 200;
  };
}

/**
 * JSON with <, > and & escaped (\u003c …): the same data, but a reply that echoes hostile input
 * can never be read as markup, whatever a client does with it.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

function sendJson(response: ServerResponse, status: number, body: unknown): number {
  const text = safeJson(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
  return status;
}
