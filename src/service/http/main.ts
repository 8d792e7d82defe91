#!/usr/bin/env node
/**
 * `npm start`: serves the built add-in (dist/addin) over HTTPS.
 *
 *   PORT            port to listen on (default 3000; the development manifest says 3000)
 *   HOST            address to bind (default localhost)
 *   TLS_CERT_FILE   PEM certificate chain and key for a real host name; without them a local
 *   TLS_KEY_FILE    development certificate is created (see dev-certificate.ts)
 *   DEV_CERT_DIR    where the development CA and certificate live (default ~/.mail-tls-inspector)
 *
 * The live check (GET /api/check, /api/check/stream):
 *   CHECK_DNS_SERVERS      resolvers, comma-separated ADDR[:PORT] (default: the system's)
 *   CHECK_ALLOW_PRIVATE    "1" lets the check connect to private and loopback addresses (labs)
 *   CHECK_CA_FILE          extra trusted CA certificates (PEM), e.g. a private or lab CA
 *   CHECK_ALLOW_NETWORKS   private networks the check may connect to, comma-separated CIDR
 *   CHECK_SMTP_PORT        port probed instead of 25 (labs; needs CHECK_ALLOW_PRIVATE=1)
 *   API_RATE_PER_MINUTE    checks one client address may start per minute (default 10)
 *   API_DOMAIN_RATE_PER_MINUTE  fresh checks of one domain per minute, all clients (default 4)
 *   API_MAX_CONCURRENT     checks running at once (default 8)
 *   API_MAX_OPEN_PER_CLIENT  requests one client address may hold open (default 4)
 *   API_TRUSTED_PROXIES    reverse proxies in front that append to X-Forwarded-For (default 0)
 *   CHECK_CACHE_SECONDS    how long a report is reused for the same domain (default 60)
 *
 * The organisation lock (off unless AUTH_TENANT_ID is set; then the live check needs a sign-in):
 *   AUTH_TENANT_ID         the Entra ID tenant id (GUID)
 *   AUTH_CLIENT_ID         the add-in's app registration (GUID), used by the pane to sign in
 *   AUTH_AUDIENCE          the API's application ID URI(s) and/or client id, comma-separated
 *   AUTH_SCOPE             the delegated permission required (default Check.Run)
 *   AUTH_AUTHORITY_HOST    default https://login.microsoftonline.com (sovereign clouds differ)
 *   AUTH_JWKS_URL          the signing keys (default: the tenant's v2.0 discovery keys)
 *   AUTH_CA_FILE           extra CA certificates (PEM) for fetching the keys
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseDnsServer } from '../dns/resolver';
import { parseNetwork } from '../targets';
import { checkApi } from './check-api';
import { ensureDevCertificate, type DevCertificate } from './dev-certificate';
import { orgLock } from './org-lock';
import { createAppServer } from './server';

const root = path.join(__dirname, '../../addin');

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'taskpane.html'))) {
    console.error(`The add-in is not built (${root} is missing). Run "npm run build" first.`);
    process.exit(66);
  }
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? 'localhost';
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`PORT must be a number from 1 to 65535, not "${process.env.PORT}".`);
    process.exit(64);
  }

  const certFile = process.env.TLS_CERT_FILE;
  const keyFile = process.env.TLS_KEY_FILE;
  let dev: DevCertificate | null = null;
  let tls: { cert: string; key: string };
  if (certFile && keyFile) {
    tls = { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } else {
    const directory =
      process.env.DEV_CERT_DIR ?? path.join(homedir(), '.mail-tls-inspector', 'dev-certs');
    dev = await ensureDevCertificate(directory);
    tls = { cert: dev.cert, key: dev.key };
  }

  const api = await apiOptions();
  const server = createAppServer({ root, tls, api: checkApi(api) });
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${port} is in use. Stop the other server or set PORT (the manifest expects 3000).`
        : `The server could not start: ${error.message}`,
    );
    process.exit(69);
  });
  server.listen(port, host, () => {
    const origin = `https://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
    console.log(startMessage(origin, dev, api.lock !== undefined));
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The live check's settings from the environment; a bad value stops the start with a reason. */
async function apiOptions(): Promise<Parameters<typeof checkApi>[0]> {
  const env = process.env;
  const number = (name: string, fallback: number) => {
    const value = env[name] === undefined ? fallback : Number(env[name]);
    if (!Number.isFinite(value) || value < 0) {
      console.error(`${name} must be a non-negative number, not "${env[name]}".`);
      process.exit(64);
    }
    return value;
  };
  const dnsServers = env.CHECK_DNS_SERVERS?.split(',').map((text) => {
    const server = parseDnsServer(text.trim());
    if (server === null) {
      console.error(`CHECK_DNS_SERVERS: "${text}" is not an IP address with an optional port.`);
      process.exit(64);
    }
    return server;
  });
  const allowedNetworks = env.CHECK_ALLOW_NETWORKS?.split(',').map((text) => {
    if (parseNetwork(text) === null) {
      console.error(`CHECK_ALLOW_NETWORKS: "${text}" is not a network such as 10.1.0.0/16.`);
      process.exit(64);
    }
    return text.trim();
  });
  const allowPrivate = env.CHECK_ALLOW_PRIVATE === '1';
  const port = number('CHECK_SMTP_PORT', 25);
  if (port !== 25 && !allowPrivate) {
    console.error('CHECK_SMTP_PORT is for labs and needs CHECK_ALLOW_PRIVATE=1.');
    process.exit(64);
  }
  return {
    check: {
      dnsServers,
      allowPrivate,
      allowedNetworks,
      extraCa: env.CHECK_CA_FILE ? [await readFile(env.CHECK_CA_FILE, 'utf8')] : [],
      port,
    },
    lock: await lockOptions(),
    perClientPerMinute: number('API_RATE_PER_MINUTE', 10),
    perDomainPerMinute: number('API_DOMAIN_RATE_PER_MINUTE', 4),
    maxConcurrent: number('API_MAX_CONCURRENT', 8),
    maxOpenPerClient: number('API_MAX_OPEN_PER_CLIENT', 4),
    trustedProxyHops: number('API_TRUSTED_PROXIES', 0),
    cacheSeconds: number('CHECK_CACHE_SECONDS', 60),
  };
}

/** The organisation lock from AUTH_*, or undefined when AUTH_TENANT_ID is not set. */
async function lockOptions(): Promise<ReturnType<typeof orgLock> | undefined> {
  const env = process.env;
  if (!env.AUTH_TENANT_ID) return undefined;
  for (const name of ['AUTH_CLIENT_ID', 'AUTH_AUDIENCE']) {
    if (!env[name]) {
      console.error(`AUTH_TENANT_ID is set, so ${name} is needed too (see README, Sign-in).`);
      process.exit(64);
    }
  }
  try {
    return orgLock({
      tenantId: env.AUTH_TENANT_ID,
      clientId: env.AUTH_CLIENT_ID as string,
      audiences: (env.AUTH_AUDIENCE as string).split(',').map((text) => text.trim()),
      scope: env.AUTH_SCOPE ?? 'Check.Run',
      authorityHost: env.AUTH_AUTHORITY_HOST,
      jwksUrl: env.AUTH_JWKS_URL,
      extraCa: env.AUTH_CA_FILE ? [await readFile(env.AUTH_CA_FILE, 'utf8')] : [],
    });
  } catch (error) {
    console.error(`The sign-in settings are not usable: ${(error as Error).message}`);
    process.exit(64);
  }
}

function startMessage(origin: string, dev: DevCertificate | null, locked: boolean): string {
  const lines = [
    `Mail TLS Inspector is serving ${root}`,
    `  Standalone page   ${origin}/standalone.html`,
    `  Task pane         ${origin}/taskpane.html`,
    `  Manifest          ${origin}/manifest.xml (or manifest.xml in the project folder)`,
    locked
      ? `  Live check        ${origin}/api/check: signed-in members of tenant ${process.env.AUTH_TENANT_ID} only`
      : `  Live check        ${origin}/api/check: open to anyone who reaches this server (AUTH_TENANT_ID locks it)`,
    '',
  ];
  if (dev) {
    const what =
      dev.created === 'nothing'
        ? 'reused'
        : dev.created === 'certificate'
          ? 'renewed the localhost certificate of'
          : 'created';
    lines.push(
      `Development certificate authority (${what}): ${dev.caCertFile}`,
      '  Outlook and browsers accept https://localhost only once this authority is trusted:',
      `  Windows   certutil -user -addstore Root "${dev.caCertFile}"`,
      `  macOS     security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db "${dev.caCertFile}"`,
      `  Linux     certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Mail TLS Inspector dev" -i "${dev.caCertFile}"`,
      '',
    );
  }
  lines.push(
    'Sideload in Outlook on the web or new Outlook: open https://aka.ms/olksideload,',
    '  then Custom Add-ins › Add a custom add-in › Add from file… and choose manifest.xml.',
    'Classic Outlook on Windows: File › Manage Add-ins opens the same page.',
    '',
    'Requests are logged below as JSON lines. Stop with Ctrl+C.',
  );
  return lines.join('\n');
}

void main();
