import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { SignInHint } from '../../core/check-report';

/**
 * The organisation lock: when configured, the live-check API answers only requests that carry
 * an Entra ID access token of this tenant, for this API, with the check scope. jose verifies
 * the token (RS256 signature against the tenant's published keys, issuer, audience, expiry);
 * the keys are fetched here, so that their transport is bounded and can trust a private CA.
 */

export interface OrgLockOptions {
  /** The Entra ID tenant (directory) id, a GUID. */
  tenantId: string;
  /** Accepted `aud` values: the API's application ID URI and/or its client id. */
  audiences: string[];
  /** The delegated permission a token must carry in `scp`, e.g. "Check.Run". */
  scope: string;
  /** The add-in's own app registration, which the pane signs in with (nested app auth). */
  clientId: string;
  /** Default https://login.microsoftonline.com; sovereign clouds have their own. */
  authorityHost?: string;
  /** Default `${authorityHost}/${tenantId}/discovery/v2.0/keys`. */
  jwksUrl?: string;
  /** Extra CAs for fetching the keys (a private PKI, the tests). */
  extraCa?: string[];
  now?: () => number;
}

export type Admission =
  | { ok: true; user: string }
  | {
      ok: false;
      status: 401 | 403 | 503;
      code: 'AUTH_REQUIRED' | 'AUTH_INVALID' | 'AUTH_SCOPE' | 'AUTH_UNAVAILABLE';
      message: string;
      /** RFC 6750 §3 challenge for the WWW-Authenticate header. */
      challenge: string | null;
    };

/** Clock skew tolerated on exp and nbf, as Microsoft's own validators allow. */
const CLOCK_TOLERANCE_S = 300;
/** Keys are refetched after this long, or sooner when a token names an unknown key. */
const KEYS_MAX_AGE_MS = 24 * 3_600_000;
/** An unknown kid triggers at most one refetch per this interval (no refetch storm). */
const KEYS_REFETCH_COOLDOWN_MS = 5 * 60_000;
const KEYS_TIMEOUT_MS = 5000;
const MAX_KEYS_BYTES = 256 * 1024;
/** Real access tokens are 1–4 KB; anything far larger is refused before parsing. */
const MAX_TOKEN_CHARS = 16 * 1024;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function orgLock(options: OrgLockOptions) {
  if (!GUID.test(options.tenantId)) throw new RangeError('The tenant id must be a GUID.');
  if (!GUID.test(options.clientId)) throw new RangeError('The client id must be a GUID.');
  if (options.audiences.length === 0) throw new RangeError('At least one audience is needed.');
  if (!/^[\w.-]+$/.test(options.scope)) throw new RangeError('The scope must be one word.');
  const now = options.now ?? Date.now;
  const host = (options.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/$/, '');
  const jwksUrl = new URL(options.jwksUrl ?? `${host}/${options.tenantId}/discovery/v2.0/keys`);
  if (jwksUrl.protocol !== 'https:') throw new RangeError('The keys URL must be https.');
  // v2.0 tokens name the tenant under the authority host; v1.0 tokens under sts.windows.net.
  const issuers = [
    `${host}/${options.tenantId}/v2.0`,
    `https://sts.windows.net/${options.tenantId}/`,
  ];
  const hint: SignInHint = {
    clientId: options.clientId,
    authority: `${host}/${options.tenantId}`,
    scopes: [`${options.audiences[0]}/${options.scope}`],
  };
  const challenge = (error?: string, description?: string) =>
    [
      'Bearer realm="mail-tls-inspector"',
      `scope="${hint.scopes[0]}"`,
      ...(error ? [`error="${error}"`, `error_description="${description}"`] : []),
    ].join(', ');

  let keys: { set: ReturnType<typeof createLocalJWKSet>; fetched: number } | null = null;
  let lastFetch = -Infinity;
  let fetching: Promise<void> | null = null;

  /** Fetches the key set; concurrent callers share one fetch. */
  function refreshKeys(): Promise<void> {
    fetching ??= fetchJson(jwksUrl, options.extraCa ?? [])
      .then((jwks) => {
        keys = { set: createLocalJWKSet(jwks as unknown as JSONWebKeySet), fetched: now() };
      })
      .finally(() => {
        lastFetch = now();
        fetching = null;
      });
    return fetching;
  }

  async function verify(token: string): Promise<JWTPayload> {
    if (!keys) await refreshKeys();
    else if (
      now() - keys.fetched > KEYS_MAX_AGE_MS &&
      now() - lastFetch > KEYS_REFETCH_COOLDOWN_MS
    ) {
      // Day-old keys still verify every token Entra signed with them: an outage of the key
      // endpoint must not lock everyone out, so a failed refresh keeps them.
      await refreshKeys().catch(() => undefined);
    }
    const attempt = () =>
      jwtVerify(token, (keys as NonNullable<typeof keys>).set, {
        issuer: issuers,
        audience: options.audiences,
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now()),
        requiredClaims: ['exp', 'iat', 'tid'],
      });
    try {
      return (await attempt()).payload;
    } catch (error) {
      // Entra rolls its signing keys; a token signed with a new key is verified after a refetch.
      if (
        error instanceof errors.JWKSNoMatchingKey &&
        now() - lastFetch > KEYS_REFETCH_COOLDOWN_MS
      ) {
        await refreshKeys();
        return (await attempt()).payload;
      }
      throw error;
    }
  }

  async function admit(request: IncomingMessage): Promise<Admission> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match) {
      return {
        ok: false,
        status: 401,
        code: 'AUTH_REQUIRED',
        message:
          'This service checks domains only for signed-in members of its organisation. Sign in and try again.',
        challenge: challenge(),
      };
    }
    const token = match[1] as string;
    if (token.length > MAX_TOKEN_CHARS) return invalid('the token is too large');
    let claims: JWTPayload;
    try {
      claims = await verify(token);
    } catch (error) {
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSInvalid)) {
        return invalid(reasonOf(error));
      }
      return {
        ok: false,
        status: 503,
        code: 'AUTH_UNAVAILABLE',
        message:
          'Sign-ins cannot be verified right now (the organisation’s signing keys could not be fetched). Try again in a minute.',
        challenge: null,
      };
    }
    if (claims.tid !== options.tenantId) return invalid('the token is from another organisation');
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (!scopes.includes(options.scope)) {
      return {
        ok: false,
        status: 403,
        code: 'AUTH_SCOPE',
        message: `Your sign-in does not grant the live check (permission ${options.scope}). Ask your administrator to consent to it.`,
        challenge: challenge('insufficient_scope', `the token lacks ${options.scope}`),
      };
    }
    const user = typeof claims.oid === 'string' ? claims.oid : String(claims.sub ?? 'unknown');
    return { ok: true, user: `${options.tenantId}/${user}` };
  }

  function invalid(reason: string): Admission {
    return {
      ok: false,
      status: 401,
      code: 'AUTH_INVALID',
      message: `Your sign-in was not accepted (${reason}). Sign in again.`,
      challenge: challenge('invalid_token', reason),
    };
  }

  return { admit, hint };
}

/** A sentence for the JOSE failure, without echoing token content. */
function reasonOf(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'the token is for another application';
    if (error.claim === 'iss') return 'the token is from another organisation or cloud';
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed with an unknown key';
  return 'the token is malformed';
}

function fetchJson(url: URL, extraCa: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: extraCa.length > 0 ? [...rootCertificates, ...extraCa] : undefined,
        timeout: KEYS_TIMEOUT_MS,
        headers: { accept: 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_KEYS_BYTES) response.destroy(new Error('the key set is too large'));
          else chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new Error('the key set is not JSON'));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('the key set did not arrive in time')));
    req.on('error', reject);
    req.end();
  });
}
