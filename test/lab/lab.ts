/**
 * The live-check lab: real servers on loopback addresses, built from scratch in a temporary
 * folder and torn down after the tests.
 *
 *   - Postfix, one smtpd listener per 127.0.0.x address, each a scenario (valid chain, Force TLS,
 *     self-signed, expired, wrong host, no STARTTLS, legacy TLS, slow greeting, busy);
 *   - Unbound serving and validating a DNSSEC-signed zone mti.test. (signed with ldns), with MX,
 *     A, TLSA (matching, not matching, bogus), null MX, MTA-STS and TLS-RPT records;
 *   - an HTTPS MTA-STS policy host (Node) with policies in enforce and testing mode, a policy
 *     whose MX does not match, one with the wrong Content-Type and one too large.
 *
 * Needs root (port 25 and 53) and the Debian packages postfix, unbound and ldnsutils.
 * Run by the live suite's global setup; `tsx test/lab/lab.ts` starts it by hand until Ctrl+C.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { createTestCa, issue, type Issued } from './certificates';

export const ZONE = 'mti.test';
export const DNS = { address: '127.0.0.2', port: 53 };
const POLICY_HOST = '127.0.0.30';

/** One Postfix listener per scenario: its address, host name and smtpd overrides. */
interface Listener {
  ip: string;
  host: string;
  certificate: 'valid' | 'self-signed' | 'expired' | 'wrong-host' | 'none';
  overrides: string[];
}

const MODERN = ['smtpd_tls_protocols=>=TLSv1.2', 'smtpd_tls_mandatory_protocols=>=TLSv1.2'];

export const LISTENERS: Listener[] = [
  { ip: '127.0.0.10', host: `mx1.good.${ZONE}`, certificate: 'valid', overrides: MODERN },
  {
    ip: '127.0.0.11',
    host: `mx2.good.${ZONE}`,
    certificate: 'valid',
    overrides: [...MODERN, 'smtpd_tls_security_level=encrypt'],
  },
  {
    ip: '127.0.0.12',
    host: `mx.selfsigned.${ZONE}`,
    certificate: 'self-signed',
    overrides: MODERN,
  },
  { ip: '127.0.0.13', host: `mx.expired.${ZONE}`, certificate: 'expired', overrides: MODERN },
  { ip: '127.0.0.14', host: `mx.wronghost.${ZONE}`, certificate: 'wrong-host', overrides: MODERN },
  {
    ip: '127.0.0.15',
    host: `mx.nostarttls.${ZONE}`,
    certificate: 'none',
    overrides: ['smtpd_tls_security_level=none'],
  },
  {
    ip: '127.0.0.16',
    host: `mx.legacy.${ZONE}`,
    certificate: 'valid',
    // TLS 1.0 and 1.1 need OpenSSL security level 0 on Debian 12, as they did on old servers.
    overrides: [
      'smtpd_tls_protocols=>=TLSv1',
      'smtpd_tls_mandatory_protocols=>=TLSv1',
      'tls_medium_cipherlist=DEFAULT:@SECLEVEL=0',
    ],
  },
  {
    ip: '127.0.0.17',
    host: `mx.slow.${ZONE}`,
    certificate: 'valid',
    overrides: [...MODERN, 'smtpd_delay_reject=no', 'smtpd_client_restrictions=sleep,2,permit'],
  },
  {
    ip: '127.0.0.18',
    host: `mx.busy.${ZONE}`,
    certificate: 'valid',
    overrides: [
      ...MODERN,
      'smtpd_client_connection_count_limit=1',
      'smtpd_client_event_limit_exceptions=',
    ],
  },
  { ip: '127.0.0.19', host: `mx.bogus.${ZONE}`, certificate: 'valid', overrides: MODERN },
  // Dual stack: the same host on IPv4 and on IPv6 loopback (A and AAAA records).
  { ip: '127.0.0.20', host: `mx.dual.${ZONE}`, certificate: 'valid', overrides: MODERN },
  { ip: '::1', host: `mx.dual.${ZONE}`, certificate: 'valid', overrides: MODERN },
];

export interface Lab {
  directory: string;
  caPem: string;
  stop(): Promise<void>;
}

function run(command: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

function requireTools(): void {
  if (userInfo().uid !== 0) throw new Error('The live-check lab needs root (ports 25 and 53).');
  for (const [tool, pkg] of [
    ['/usr/sbin/postfix', 'postfix'],
    ['/usr/sbin/unbound', 'unbound'],
    ['/usr/bin/ldns-signzone', 'ldnsutils'],
  ]) {
    if (!existsSync(tool as string))
      throw new Error(`${tool} is missing: install the Debian package ${pkg}.`);
  }
}

export async function startLab(): Promise<Lab> {
  requireTools();
  const directory = mkdtempSync(path.join(tmpdir(), 'mti-lab-'));
  chmodSync(directory, 0o755);
  const ca = await createTestCa();
  const certificates = new Map<string, Issued>();
  for (const listener of LISTENERS) {
    const names = [listener.host, ...(listener.ip === '127.0.0.10' ? [`implicit.${ZONE}`] : [])];
    const issued =
      listener.certificate === 'self-signed'
        ? await issue('self-signed', names)
        : listener.certificate === 'expired'
          ? await issue(ca, names, { fromDays: -60, toDays: -1 })
          : listener.certificate === 'wrong-host'
            ? await issue(ca, [`other.${ZONE}`])
            : await issue(ca, names);
    certificates.set(listener.ip, issued);
  }

  const postfix = startPostfix(directory, certificates, ca.pem);
  const unbound = startUnbound(directory, certificates);
  const policy = await startPolicyHost(ca);
  return {
    directory,
    caPem: ca.pem,
    async stop() {
      await new Promise((resolve) => policy.close(resolve));
      unbound();
      postfix();
    },
  };
}

function startPostfix(
  directory: string,
  certificates: Map<string, Issued>,
  caPem: string,
): () => void {
  const config = path.join(directory, 'postfix');
  mkdirSync(path.join(config, 'queue'), { recursive: true });
  mkdirSync(path.join(config, 'data'), { recursive: true });
  mkdirSync(path.join(config, 'certs'), { recursive: true });
  const postfixUser = Number(run('id', ['-u', 'postfix']).trim());
  chownSync(path.join(config, 'data'), postfixUser, 0);
  writeFileSync(path.join(config, 'certs/ca.pem'), caPem);
  writeFileSync(
    path.join(config, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${config}/queue`,
      `data_directory = ${config}/data`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      'inet_interfaces = loopback-only',
      'inet_protocols = all',
      `myhostname = lab.${ZONE}`,
      'mydestination =',
      'mynetworks = 127.0.0.0/8',
      `maillog_file = ${config}/maillog`,
      `maillog_file_prefixes = ${directory}`,
      'smtpd_banner = $myhostname ESMTP lab',
      'smtpd_tls_security_level = may',
      'smtpd_tls_received_header = yes',
      // Nothing is ever delivered: the probe never sends RCPT or DATA.
      'smtpd_recipient_restrictions = reject',
      '',
    ].join('\n'),
  );
  const master = readFileSync('/etc/postfix/master.cf', 'utf8')
    .split('\n')
    .filter((line) => !/^smtp\s+inet/.test(line))
    .join('\n');
  const listeners = LISTENERS.map((listener) => {
    const issued = certificates.get(listener.ip);
    const files: string[] = [];
    if (issued && listener.certificate !== 'none') {
      const base = path.join(config, 'certs', listener.ip);
      writeFileSync(`${base}.crt`, issued.cert);
      writeFileSync(`${base}.key`, issued.key, { mode: 0o600 });
      files.push(`smtpd_tls_cert_file=${base}.crt`, `smtpd_tls_key_file=${base}.key`);
    }
    const options = [
      `syslog_name=postfix-${listener.ip}`,
      `myhostname=${listener.host}`,
      ...files,
      ...listener.overrides,
    ];
    const address = listener.ip.includes(':') ? `[${listener.ip}]` : listener.ip;
    return `${address}:smtp inet n - n - - smtpd ${options.map((o) => `-o ${o.replace(/ /g, '')}`).join(' ')}`;
  });
  writeFileSync(path.join(config, 'master.cf'), `${master}\n${listeners.join('\n')}\n`);
  run('postfix', ['-c', config, 'set-permissions']);
  run('postfix', ['-c', config, 'start']);
  return () => {
    spawnSync('postfix', ['-c', config, 'stop']);
  };
}

/** The zone's records; TLSA data comes from the certificates the listeners present. */
function zoneFile(certificates: Map<string, Issued>): string {
  const spki = (ip: string) => certificates.get(ip)?.spkiSha256 ?? '';
  const a = LISTENERS.map((l) => `${l.host}. 300 IN ${l.ip.includes(':') ? 'AAAA' : 'A'} ${l.ip}`);
  const records = [
    `$ORIGIN ${ZONE}.`,
    '$TTL 300',
    `@ IN SOA ns.${ZONE}. hostmaster.${ZONE}. 2024031201 3600 600 86400 300`,
    `@ IN NS ns.${ZONE}.`,
    `ns IN A ${DNS.address}`,
    ...a,
    // good: two MX, MTA-STS enforce, TLS-RPT, DANE matching on mx1 and not matching on mx2.
    'good IN MX 10 mx1.good',
    'good IN MX 20 mx2.good',
    '_mta-sts.good IN TXT "v=STSv1; id=20240312T010000;"',
    `mta-sts.good IN A ${POLICY_HOST}`,
    '_smtp._tls.good IN TXT "v=TLSRPTv1; rua=mailto:tls-reports@good.mti.test"',
    `_25._tcp.mx1.good IN TLSA 3 1 1 ${spki('127.0.0.10')}`,
    `_25._tcp.mx2.good IN TLSA 3 1 1 ${'00'.repeat(32)}`,
    // One scenario per domain.
    ...[
      'selfsigned',
      'expired',
      'wronghost',
      'nostarttls',
      'legacy',
      'slow',
      'busy',
      'bogus',
      'dual',
    ].map((name) => `${name} IN MX 10 mx.${name}`),
    `_25._tcp.mx.bogus IN TLSA 3 1 1 ${spki('127.0.0.19')}`,
    'nullmx IN MX 0 .',
    // Larger than one UDP answer (1232 bytes): the resolver must retry over TCP.
    ...Array.from({ length: 30 }, (_, i) => `bigtxt IN TXT "record ${i} ${'x'.repeat(90)}"`),
    'implicit IN A 127.0.0.10',
    // MTA-STS variants, all pointing at mx1.good.
    ...['sts-testing', 'sts-mismatch', 'sts-ctype', 'sts-big'].flatMap((name) => [
      `${name} IN MX 10 mx1.good`,
      `_mta-sts.${name} IN TXT "v=STSv1; id=1;"`,
      `mta-sts.${name} IN A ${POLICY_HOST}`,
    ]),
    '',
  ];
  return records.join('\n');
}

function startUnbound(directory: string, certificates: Map<string, Issued>): () => void {
  const dns = path.join(directory, 'dns');
  mkdirSync(dns, { recursive: true });
  const zone = path.join(dns, `${ZONE}.zone`);
  writeFileSync(zone, zoneFile(certificates));
  const zsk = run('ldns-keygen', ['-a', 'ECDSAP256SHA256', ZONE], { cwd: dns }).trim();
  const ksk = run('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', ZONE], { cwd: dns }).trim();
  run('ldns-signzone', ['-n', zone, zsk, ksk], { cwd: dns });
  // A bogus answer for DANE: the TLSA record of mx.bogus loses its signature.
  const signedFile = `${zone}.signed`;
  const signed = readFileSync(signedFile, 'utf8')
    .split('\n')
    .filter((line) => !/^_25\._tcp\.mx\.bogus\.mti\.test\.\s+\d+\s+IN\s+RRSIG\s+TLSA\b/.test(line))
    .join('\n');
  writeFileSync(signedFile, signed);
  const anchor = path.join(dns, 'anchor.key');
  writeFileSync(anchor, readFileSync(path.join(dns, `${ksk}.key`), 'utf8'));
  const conf = path.join(dns, 'unbound.conf');
  writeFileSync(
    conf,
    [
      'server:',
      `  interface: ${DNS.address}`,
      `  port: ${DNS.port}`,
      '  do-ip6: no',
      '  do-daemonize: yes',
      '  username: ""',
      '  chroot: ""',
      `  directory: "${dns}"`,
      `  pidfile: "${dns}/unbound.pid"`,
      `  logfile: "${dns}/unbound.log"`,
      '  verbosity: 1',
      '  val-log-level: 2',
      '  access-control: 127.0.0.0/8 allow',
      '  do-not-query-localhost: no',
      '  module-config: "validator iterator"',
      `  trust-anchor-file: "${anchor}"`,
      '  local-zone: "test." nodefault',
      '  qname-minimisation: no',
      'auth-zone:',
      `  name: "${ZONE}."`,
      `  zonefile: "${signedFile}"`,
      '  for-upstream: yes',
      '  for-downstream: no',
      '  fallback-enabled: no',
      'remote-control:',
      '  control-enable: no',
      '',
    ].join('\n'),
  );
  run('unbound-checkconf', [conf]);
  run('unbound', ['-c', conf]);
  return () => {
    const pidFile = path.join(dns, 'unbound.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()));
      } catch {
        // Already gone.
      }
    }
  };
}

/** MTA-STS policies (RFC 8461 §3.2) as the policy host serves them, per host name. */
const POLICIES: Record<string, { body: string; contentType: string }> = {
  good: {
    body: 'version: STSv1\r\nmode: enforce\r\nmx: mx1.good.mti.test\r\nmx: *.good.mti.test\r\nmax_age: 604800\r\n',
    contentType: 'text/plain',
  },
  'sts-testing': {
    body: 'version: STSv1\r\nmode: testing\r\nmx: mx1.good.mti.test\r\nmax_age: 86400\r\n',
    contentType: 'text/plain',
  },
  'sts-mismatch': {
    body: 'version: STSv1\r\nmode: enforce\r\nmx: mx.elsewhere.example\r\nmax_age: 86400\r\n',
    contentType: 'text/plain',
  },
  'sts-ctype': {
    body: 'version: STSv1\r\nmode: enforce\r\nmx: mx1.good.mti.test\r\nmax_age: 86400\r\n',
    contentType: 'text/html',
  },
  'sts-big': {
    body: `version: STSv1\r\nmode: enforce\r\nmx: mx1.good.mti.test\r\nmax_age: 86400\r\n${'# padding\r\n'.repeat(8000)}`,
    contentType: 'text/plain',
  },
};

async function startPolicyHost(ca: Awaited<ReturnType<typeof createTestCa>>): Promise<Server> {
  const names = Object.keys(POLICIES).map((name) => `mta-sts.${name}.${ZONE}`);
  const issued = await issue(ca, names);
  const server = createServer({ cert: issued.cert, key: issued.key }, (request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    const name = host.replace(/^mta-sts\./, '').replace(`.${ZONE}`, '');
    const policy = POLICIES[name];
    if (request.url !== '/.well-known/mta-sts.txt' || !policy) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': policy.contentType }).end(policy.body);
  });
  await new Promise<void>((resolve) => server.listen(443, POLICY_HOST, resolve));
  return server;
}

if (require.main === module) {
  void startLab().then((lab) => {
    console.log(
      `Lab running in ${lab.directory}; DNS ${DNS.address}:${DNS.port}; test CA in ${lab.directory}/postfix/certs/ca.pem. Ctrl+C stops it.`,
    );
    const stop = () => void lab.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
