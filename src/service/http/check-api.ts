import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckEvent, CheckReport } from '../../core/check-report';
import { checkDomain, type CheckOptions } from '../check';
import { isIP } from 'node:net';
import { domainOfInput } from '../dns/lookups';
import { ipv6Words } from '../targets';
import type { orgLock } from './org-lock';

export interface CheckApiOptions {
  check: CheckOptions;
  /** Checks one client may start per minute (token bucket; default 10, bursts of 5). */
  perClientPerMinute?: number;
  /** Fresh checks of one domain per minute, whoever asks (default 4): no amplification. */
  perDomainPerMinute?: number;
  /** Checks running at once across all clients (default 8); more get 429 + Retry-After. */
  maxConcurrent?: number;
  /** Requests one client may have open at once, streams included (default 4). */
  maxOpenPerClient?: number;
  /** How long a finished report is served again for the same domain (default 60 s). */
  cacheSeconds?: number;
  /**
   * Reverse proxies in front of the service that append the client's address to
   * X-Forwarded-For (default 0: the header is ignored, as anyone can write it).
   */
  trustedProxyHops?: number;
  /** The organisation lock: when set, every check needs a valid Entra ID access token. */
  lock?: ReturnType<typeof orgLock>;
  now?: () => number;
}

/** Longest domain input accepted in a query string: an e-mail address (RFC 5321 §4.5.3.1). */
const MAX_INPUT = 320;
/** Buckets for this many clients or domains are kept; the least recently used go first. */
const MAX_BUCKETS = 10_000;
/** Reports kept at most, however many domains were checked within the cache time. */
const MAX_CACHED = 1000;

/**
 * The live check over HTTP, on the origin that serves the add-in (no CORS needed):
 *   GET /api/check?domain=…         → the CheckReport as JSON
 *   GET /api/check/stream?domain=…  → server-sent events, one per finished step, then "done"
 * A report still in the cache, or a check of the same domain already running, is shared and
 * costs nothing. A fresh check must pass, in order: the client's token bucket, the domain's
 * token bucket (so that many clients cannot turn us on one mail server) and the global cap on
 * running checks. Every refusal is 429 with Retry-After, so that clients back off the same way.
 */
export function checkApi(options: CheckApiOptions) {
  const now = options.now ?? Date.now;
  const perClient = tokenBuckets(options.perClientPerMinute ?? 10, now);
  const perDomain = tokenBuckets(options.perDomainPerMinute ?? 4, now);
  const maxConcurrent = options.maxConcurrent ?? 8;
  const maxOpenPerClient = options.maxOpenPerClient ?? 4;
  const cacheMs = (options.cacheSeconds ?? 60) * 1000;
  const cache = new Map<string, { report: CheckReport; until: number }>();
  const running = new Map<
    string,
    { promise: Promise<CheckReport>; listeners: Set<(event: CheckEvent) => void> }
  >();
  const open = new Map<string, number>();

  function cached(domain: string): CheckReport | null {
    const entry = cache.get(domain);
    if (!entry) return null;
    if (entry.until > now()) return entry.report;
    cache.delete(domain);
    return null;
  }

  function start(domain: string, onEvent: (event: CheckEvent) => void): Promise<CheckReport> {
    const listeners = new Set([onEvent]);
    const promise = checkDomain(domain, options.check, (event) => {
      for (const listener of listeners) listener(event);
    }).then((report) => {
      running.delete(domain);
      if (cacheMs > 0) {
        cache.set(domain, { report, until: now() + cacheMs });
        for (const [key, entry] of cache)
          if (entry.until <= now() || cache.size > MAX_CACHED) cache.delete(key);
      }
      return report;
    });
    running.set(domain, { promise, listeners });
    return promise;
  }

  /** The shared report or running check for this domain, or a refusal for a fresh one. */
  function admit(
    domain: string,
    client: string,
    onEvent: (event: CheckEvent) => void,
  ): Promise<CheckReport> | Refusal {
    const report = cached(domain);
    if (report) {
      onEvent({ type: 'done', report });
      return Promise.resolve(report);
    }
    const joined = running.get(domain);
    if (joined) {
      joined.listeners.add(onEvent);
      return joined.promise;
    }
    if (running.size >= maxConcurrent) {
      return {
        code: 'BUSY',
        retryAfter: 10,
        message: 'The service is running as many checks as it allows. Try again in 10 s.',
      };
    }
    // Both limits are looked at before either is spent: a refusal costs the client nothing.
    const clientWait = perClient.wait(client);
    if (clientWait > 0) {
      return {
        code: 'RATE_LIMITED',
        retryAfter: clientWait,
        message: `Too many checks from you. Try again in ${clientWait} s.`,
      };
    }
    const domainWait = perDomain.wait(domain);
    if (domainWait > 0) {
      return {
        code: 'TARGET_RATE_LIMITED',
        retryAfter: domainWait,
        message: `${domain} was checked as often as allowed this minute, to spare its mail servers. Try again in ${domainWait} s.`,
      };
    }
    perClient.take(client);
    perDomain.take(domain);
    return start(domain, onEvent);
  }

  /** Handles /api/check and /api/check/stream; returns the status sent, or null for other paths. */
  return async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<number | null> {
    if (url.pathname !== '/api/check' && url.pathname !== '/api/check/stream') return null;
    let user: string | null = null;
    if (options.lock) {
      const admission = await options.lock.admit(request);
      if (!admission.ok) {
        if (admission.challenge) response.setHeader('WWW-Authenticate', admission.challenge);
        return sendJson(response, admission.status, {
          error: { code: admission.code, message: admission.message },
          signIn: options.lock.hint,
        });
      }
      user = admission.user;
    }
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
    // Signed-in users are counted as themselves, wherever they connect from.
    const client = user ?? clientKey(clientAddress(request, options.trustedProxyHops ?? 0));
    const openNow = open.get(client) ?? 0;
    if (openNow >= maxOpenPerClient) {
      return refuse(response, {
        code: 'TOO_MANY_OPEN',
        retryAfter: 5,
        message: `You already have ${openNow} checks open. Wait for one to finish.`,
      });
    }
    open.set(client, openNow + 1);
    try {
      if (url.pathname === '/api/check') {
        const admitted = admit(parsed.domain, client, () => undefined);
        if (!(admitted instanceof Promise)) return refuse(response, admitted);
        return sendJson(response, 200, { ...(await admitted), input });
      }
      const begin = () => {
        if (response.headersSent) return;
        response.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
          'X-Accel-Buffering': 'no',
        });
        response.flushHeaders();
      };
      const send = (event: CheckEvent) => {
        if (response.writableEnded || response.destroyed) return;
        begin();
        const data =
          event.type === 'done' ? { ...event, report: { ...event.report, input } } : event;
        response.write(`event: ${event.type}\ndata: ${safeJson(data)}\n\n`);
      };
      const admitted = admit(parsed.domain, client, send);
      if (!(admitted instanceof Promise)) return refuse(response, admitted);
      // Headers go out now, so that the client knows the check started before its first step.
      begin();
      await admitted;
      response.end();
      return 200;
    } finally {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    }
  };
}

interface Refusal {
  code: 'BUSY' | 'RATE_LIMITED' | 'TARGET_RATE_LIMITED' | 'TOO_MANY_OPEN';
  retryAfter: number;
  message: string;
}

function refuse(response: ServerResponse, refusal: Refusal): number {
  response.setHeader('Retry-After', String(refusal.retryAfter));
  return sendJson(response, 429, { error: { code: refusal.code, message: refusal.message } });
}

/**
 * Token buckets by key: `perMinute` tokens a minute, bursts of up to 5. `wait` says how many
 * whole seconds until a token is there (0: now); `take` spends one.
 */
function tokenBuckets(perMinute: number, now: () => number) {
  const burst = Math.max(1, Math.min(5, perMinute));
  const buckets = new Map<string, { tokens: number; updated: number }>();
  const refreshed = (key: string) => {
    const time = now();
    const bucket = buckets.get(key) ?? { tokens: burst, updated: time };
    bucket.tokens = Math.min(burst, bucket.tokens + ((time - bucket.updated) / 60_000) * perMinute);
    bucket.updated = time;
    // Re-inserted, so that the Map's order is least recently used first.
    buckets.delete(key);
    buckets.set(key, bucket);
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
    return bucket;
  };
  return {
    wait(key: string): number {
      const { tokens } = refreshed(key);
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / perMinute) * 60);
    },
    take(key: string): void {
      refreshed(key).tokens -= 1;
    },
  };
}

/**
 * The client's address: the socket's, or — behind `hops` trusted proxies — the one the
 * outermost of them saw, counted from the right of X-Forwarded-For (entries further left were
 * written by the client and prove nothing). Too few entries: the socket's (the proxy's).
 */
export function clientAddress(request: IncomingMessage, hops: number): string {
  const socket = request.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return socket;
  const header = request.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - hops];
  return entry !== undefined && isIP(entry) !== 0 ? entry : socket;
}

/**
 * Whom a request is counted against: the IPv4 address, or the /64 of an IPv6 one — one
 * customer's site usually gets a whole /64 (RFC 6177), and could otherwise rotate through it.
 */
export function clientKey(address: string): string {
  const ipv4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (ipv4) return ipv4[1] as string;
  const words = ipv6Words(address);
  return words
    ? `${words
        .slice(0, 4)
        .map((word) => word.toString(16))
        .join(':')}::/64`
    : address;
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
