import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { checkApi } from '../../../src/service/http/check-api';
import { orgLock, type OrgLockOptions } from '../../../src/service/http/org-lock';
import { createTestCa, issue } from '../../lab/certificates';
import { rr, startFakeDns, type FakeDns } from '../../lab/fake-dns';
import { startHostilePeer, type HostilePeer } from '../../lab/hostile-smtp';
import { fakeAddinRoot, startApp } from '../../support/https-app';

/**
 * The organisation lock with Entra ID-shaped tokens: keys made here, the key set served over
 * HTTPS on loopback (verified against a test CA), tokens signed the way Entra signs them.
 */

const TENANT = '11111111-2222-4333-8444-555555555555';
const OTHER_TENANT = '99999999-2222-4333-8444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const AUDIENCE = 'api://inspector.example.com/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const SCOPE = 'Check.Run';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: KeyPair;
let rolled: KeyPair;
let stranger: KeyPair;
let published: JWK[] = [];
let jwksServer: Server;
let jwksRequests = 0;
let jwksDown = false;
let authorityHost = '';
let caPem = '';
let dns: FakeDns;
let peer: HostilePeer;

beforeAll(async () => {
  [signing, rolled, stranger] = await Promise.all([
    generateKeyPair('RS256'),
    generateKeyPair('RS256'),
    generateKeyPair('RS256'),
  ]);
  published = [{ ...(await exportJWK(signing.publicKey)), kid: 'key-1', use: 'sig', alg: 'RS256' }];
  const ca = await createTestCa('Entra lab CA');
  caPem = ca.pem;
  const tls = await issue(ca, ['127.0.0.1']);
  jwksServer = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    jwksRequests++;
    if (jwksDown || request.url !== `/${TENANT}/discovery/v2.0/keys`) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  authorityHost = `https://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  peer = await startHostilePeer('busy-421', '127.0.0.150', await issue(ca, ['mx.lock.test']));
  dns = await startFakeDns({
    address: '127.0.0.1',
    records: [rr.mx('*.lock.test', 'mx.lock.test'), rr.a('mx.lock.test', '127.0.0.150')],
  });
});

afterAll(async () => {
  await new Promise((resolve) => jwksServer?.close(resolve));
  await Promise.all([peer?.close(), dns?.close()]);
});

function lock(extra: Partial<OrgLockOptions> = {}) {
  return orgLock({
    tenantId: TENANT,
    clientId: CLIENT,
    audiences: [AUDIENCE, CLIENT],
    scope: SCOPE,
    authorityHost,
    extraCa: [caPem],
    ...extra,
  });
}

interface TokenShape {
  key?: KeyPair;
  kid?: string;
  tenant?: string;
  audience?: string;
  scope?: string;
  expiresIn?: number;
  issuer?: string;
}

async function token(shape: TokenShape = {}): Promise<string> {
  const tenant = shape.tenant ?? TENANT;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: tenant, scp: shape.scope ?? `${SCOPE} User.Read`, oid: 'user-1' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: shape.kid ?? 'key-1' })
    .setIssuer(shape.issuer ?? `${authorityHost}/${tenant}/v2.0`)
    .setAudience(shape.audience ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (shape.expiresIn ?? 3600))
    .sign((shape.key ?? signing).privateKey);
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const withAuthorization = (value: string | null) =>
  ({ headers: value === null ? {} : { authorization: value } }) as IncomingMessage;

describe('the organisation lock', () => {
  it('admits a valid token of the tenant, for this API, with the scope', async () => {
    const admission = await lock().admit(withAuthorization(`Bearer ${await token()}`));
    expect(admission).toEqual({ ok: true, user: `${TENANT}/user-1` });
  });

  it('admits v1.0 tokens (sts.windows.net issuer, client id audience) too', async () => {
    const v1 = await token({ issuer: `https://sts.windows.net/${TENANT}/`, audience: CLIENT });
    expect((await lock().admit(withAuthorization(`Bearer ${v1}`))).ok).toBe(true);
  });

  test.each<[string, () => Promise<string | null>, number, string, RegExp]>([
    ['no token', async () => null, 401, 'AUTH_REQUIRED', /Sign in/],
    ['not a bearer token', async () => 'Basic dXNlcjpwYXNz', 401, 'AUTH_REQUIRED', /Sign in/],
    [
      'an expired token',
      async () => `Bearer ${await token({ expiresIn: -600 })}`,
      401,
      'AUTH_INVALID',
      /expired/,
    ],
    [
      'a token for another application',
      async () => `Bearer ${await token({ audience: 'api://other' })}`,
      401,
      'AUTH_INVALID',
      /another application/,
    ],
    [
      'a token of another tenant',
      async () => `Bearer ${await token({ tenant: OTHER_TENANT })}`,
      401,
      'AUTH_INVALID',
      /another organisation/,
    ],
    [
      'a token of another tenant under this tenant’s issuer',
      async () =>
        `Bearer ${await new SignJWT({ tid: OTHER_TENANT, scp: SCOPE })
          .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
          .setIssuer(`${authorityHost}/${TENANT}/v2.0`)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(signing.privateKey)}`,
      401,
      'AUTH_INVALID',
      /another organisation/,
    ],
    [
      'a token without the scope',
      async () => `Bearer ${await token({ scope: 'User.Read' })}`,
      403,
      'AUTH_SCOPE',
      /Check\.Run/,
    ],
    [
      'an unsigned token (alg none)',
      async () =>
        `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ tid: TENANT, scp: SCOPE, aud: AUDIENCE, iss: `${authorityHost}/${TENANT}/v2.0`, exp: Math.floor(Date.now() / 1000) + 3600, iat: 1 })}.`,
      401,
      'AUTH_INVALID',
      /not signed with RS256/,
    ],
    [
      'a token signed by a stranger under a published key id',
      async () => `Bearer ${await token({ key: stranger })}`,
      401,
      'AUTH_INVALID',
      /signature does not verify/,
    ],
    ['garbage', async () => 'Bearer not.a.token', 401, 'AUTH_INVALID', /malformed/],
  ])('refuses %s', async (_what, authorization, status, code, message) => {
    const admission = await lock().admit(withAuthorization(await authorization()));
    expect(admission).toEqual(
      expect.objectContaining({ ok: false, status, code, message: expect.stringMatching(message) }),
    );
  });

  it('refetches the key set once for a token signed with a newly rolled key', async () => {
    let clock = Date.now();
    const locked = lock({ now: () => clock });
    expect((await locked.admit(withAuthorization(`Bearer ${await token()}`))).ok).toBe(true);
    const before = jwksRequests;
    // Within minutes of a fetch an unknown key id does not refetch; Entra rolls keys far apart.
    clock += 6 * 60_000;
    published = [
      ...published,
      { ...(await exportJWK(rolled.publicKey)), kid: 'key-2', use: 'sig', alg: 'RS256' },
    ];
    const fresh = await token({ key: rolled, kid: 'key-2' });
    expect((await locked.admit(withAuthorization(`Bearer ${fresh}`))).ok).toBe(true);
    expect(jwksRequests).toBe(before + 1);
    // An unknown key id right after is refused without another fetch (cooldown).
    const unknown = await token({ key: stranger, kid: 'key-9' });
    expect(await locked.admit(withAuthorization(`Bearer ${unknown}`))).toEqual(
      expect.objectContaining({ code: 'AUTH_INVALID' }),
    );
    expect(jwksRequests).toBe(before + 1);
  });

  it('keeps verifying with day-old keys while the key endpoint is down', async () => {
    let clock = Date.now();
    const locked = lock({ now: () => clock });
    expect((await locked.admit(withAuthorization(`Bearer ${await token()}`))).ok).toBe(true);
    jwksDown = true;
    try {
      clock += 25 * 3_600_000;
      const before = jwksRequests;
      const later = await new SignJWT({ tid: TENANT, scp: SCOPE, oid: 'user-1' })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setIssuer(`${authorityHost}/${TENANT}/v2.0`)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(clock / 1000))
        .setExpirationTime(Math.floor(clock / 1000) + 3600)
        .sign(signing.privateKey);
      expect((await locked.admit(withAuthorization(`Bearer ${later}`))).ok).toBe(true);
      // It tried to refresh once, and will not try again for every request.
      expect((await locked.admit(withAuthorization(`Bearer ${later}`))).ok).toBe(true);
      expect(jwksRequests).toBe(before + 1);
    } finally {
      jwksDown = false;
    }
  });

  it('says sign-ins cannot be verified when the key set is unreachable', async () => {
    const admission = await lock({ authorityHost: 'https://127.0.0.1:1' }).admit(
      withAuthorization(`Bearer ${await token()}`),
    );
    expect(admission).toEqual(expect.objectContaining({ status: 503, code: 'AUTH_UNAVAILABLE' }));
  });

  it('refuses a configuration that is not Entra-shaped', () => {
    expect(() => lock({ tenantId: 'contoso' })).toThrow(/GUID/);
    expect(() => lock({ audiences: [] })).toThrow(/audience/);
    expect(() => lock({ jwksUrl: 'http://127.0.0.1/keys' })).toThrow(/https/);
  });
});

describe('the live-check API behind the lock', () => {
  it('answers 401 with a challenge and sign-in hint, then runs the check for a signed-in user', async () => {
    const locked = lock();
    const app = await startApp({
      root: fakeAddinRoot(),
      api: checkApi({
        lock: locked,
        check: { dnsServers: [dns.server], allowPrivate: true, port: peer.port },
      }),
    });
    try {
      const refused = await app.get('/api/check?domain=a.lock.test');
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe(
        `Bearer realm="mail-tls-inspector", scope="${AUDIENCE}/${SCOPE}"`,
      );
      expect(JSON.parse(refused.body)).toEqual({
        error: expect.objectContaining({ code: 'AUTH_REQUIRED' }),
        signIn: {
          clientId: CLIENT,
          authority: `${authorityHost}/${TENANT}`,
          scopes: [`${AUDIENCE}/${SCOPE}`],
        },
      });
      const bearer = { authorization: `Bearer ${await token()}` };
      const checked = await app.get('/api/check?domain=a.lock.test', { headers: bearer });
      expect(checked.status).toBe(200);
      // Pages and the analyzer never need a sign-in.
      expect((await app.get('/taskpane.html')).status).toBe(200);
      expect((await app.get('/healthz')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
