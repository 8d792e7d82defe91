/**
 * npm run bench:load — a bounded load test of the built service (dist/, `npm run build` first),
 * run as its own process on loopback, with real checks against a well-behaved SMTP peer and a
 * fake resolver in this process.
 *
 *   1. cached:   50 keep-alive clients ask for one domain whose report is in the cache
 *   2. fresh:    8 clients (the default number of checks run at once) ask for new domains:
 *                every answer is a full check (DNS, STARTTLS, certificate, cleartext, TLS 1.0/1.1)
 *   3. overload: 50 clients, each from its own loopback address, ask for fresh domains under
 *                the default limits: far more checks than the service allows
 * During both, a probe asks /healthz every 50 ms. Reported: requests/s, p50/p99 latency, the
 * status mix, /healthz latency and the service's peak memory (VmHWM). Exits 1 when an answer is
 * anything but 200 or 429 (or a connection fails), or /healthz stops answering promptly.
 *
 *   LOAD_SECONDS  length of each phase (default 10)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestCa, issue } from '../lab/certificates';
import { rr, startFakeDns } from '../lab/fake-dns';
import { startHostilePeer } from '../lab/hostile-smtp';

const ROOT = path.join(__dirname, '../..');
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const CLIENTS = 50;
const PEER = '127.0.0.140';
/** /healthz must answer within these, even while the service is saturated (p99, and worst). */
const HEALTH_P99_MS = 250;
const HEALTH_MAX_MS = 1000;

interface Phase {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Map<string, number>;
  healthP99: number;
  healthMax: number;
  peakRssMiB: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startService(env: Record<string, string>): Promise<{
  child: ChildProcess;
  port: number;
  ca: Buffer;
}> {
  const port = await freePort();
  const certs = mkdtempSync(path.join(tmpdir(), 'mti-load-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/service/http/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEV_CERT_DIR: certs, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ca = () => readFileSync(path.join(certs, 'ca.crt'));
  for (let tries = 0; tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      const status = await get(port, ca(), '/healthz', new Agent({ ca: ca() }));
      if (status.status === 200) return { child, port, ca: ca() };
    } catch {
      // Not listening yet.
    }
  }
  child.kill();
  throw new Error('The service did not start (is it built? npm run build).');
}

function get(
  port: number,
  ca: Buffer,
  urlPath: string,
  agent: Agent,
): Promise<{ status: number; ms: number; code: string | null }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', servername: 'localhost', port, path: urlPath, ca, agent },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const code = res.statusCode === 429 ? (/"code":"(\w+)"/.exec(body)?.[1] ?? '') : null;
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, code });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

function peakRssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function phase(
  name: string,
  env: Record<string, string>,
  clients: number,
  pathFor: (client: number, n: number) => string,
  warmUp?: string,
): Promise<Phase> {
  const { child, port, ca } = await startService(env);
  try {
    if (warmUp) await get(port, ca, warmUp, new Agent({ ca }));
    const deadline = performance.now() + SECONDS * 1000;
    const latencies: number[] = [];
    const statuses = new Map<string, number>();
    const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
    const health: number[] = [];
    const healthAgent = new Agent({ ca, keepAlive: true });
    const prober = (async () => {
      while (performance.now() < deadline) {
        const reply = await get(port, ca, '/healthz', healthAgent).catch(() => null);
        health.push(reply?.status === 200 ? reply.ms : Infinity);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        const agent = new Agent({
          ca,
          keepAlive: true,
          maxSockets: 1,
          localAddress: `127.0.1.${client + 1}`,
        });
        for (let n = 0; performance.now() < deadline; n++) {
          try {
            const reply = await get(port, ca, pathFor(client, n), agent);
            latencies.push(reply.ms);
            count(reply.code ? `429 ${reply.code}` : String(reply.status));
          } catch (error) {
            count(`error ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
          }
        }
        agent.destroy();
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    await prober;
    healthAgent.destroy();
    latencies.sort((a, b) => a - b);
    health.sort((a, b) => a - b);
    return {
      name,
      requests: latencies.length,
      perSecond: latencies.length / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      statuses,
      healthP99: percentile(health, 99),
      healthMax: health.at(-1) ?? Infinity,
      peakRssMiB: peakRssMiB(child),
    };
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  const ca = await createTestCa('Load lab CA');
  const peer = await startHostilePeer('well-behaved', PEER, await issue(ca, ['mx.load.test']));
  const dns = await startFakeDns({
    address: '127.0.0.1',
    records: [rr.mx('*.load.test', 'mx.load.test'), rr.a('mx.load.test', PEER)],
  });
  const caFile = path.join(mkdtempSync(path.join(tmpdir(), 'mti-load-ca-')), 'ca.pem');
  writeFileSync(caFile, ca.pem);
  const checkEnv = {
    CHECK_DNS_SERVERS: `${dns.server.address}:${dns.server.port}`,
    CHECK_ALLOW_PRIVATE: '1',
    CHECK_SMTP_PORT: String(peer.port),
    CHECK_CA_FILE: caFile,
  };
  const unlimited = {
    API_RATE_PER_MINUTE: '1000000',
    API_DOMAIN_RATE_PER_MINUTE: '1000000',
    API_MAX_OPEN_PER_CLIENT: '1000',
  };
  const phases = [
    await phase(
      'cached',
      { ...checkEnv, ...unlimited },
      CLIENTS,
      () => '/api/check?domain=cached.load.test',
      '/api/check?domain=cached.load.test',
    ),
    // As many fresh checks as the service runs at once (8): its throughput of real checks.
    await phase(
      'fresh',
      { ...checkEnv, ...unlimited },
      8,
      (client, n) => `/api/check?domain=f${client}-${n}.load.test`,
    ),
    await phase(
      'overload',
      checkEnv,
      CLIENTS,
      (client, n) => `/api/check?domain=c${client}-${n}.load.test`,
    ),
  ];
  await peer.close();
  await dns.close();

  console.log(`Load test, ${SECONDS} s per phase, the service in its own process:`);
  console.log('phase     requests  req/s   p50 ms  p99 ms  /healthz p99/max ms  peak RSS  answers');
  let failed = false;
  for (const p of phases) {
    const mix = [...p.statuses].map(([status, n]) => `${status}: ${n}`).join(', ');
    console.log(
      `${p.name.padEnd(9)} ${String(p.requests).padStart(8)}  ${p.perSecond.toFixed(0).padStart(5)}  ${p.p50.toFixed(1).padStart(6)}  ${p.p99.toFixed(1).padStart(6)}  ${`${p.healthP99.toFixed(1)}/${p.healthMax.toFixed(1)}`.padStart(19)}  ${p.peakRssMiB.toFixed(0).padStart(4)} MiB  ${mix}`,
    );
    const unexpected = [...p.statuses.keys()].filter((s) => s !== '200' && !s.startsWith('429'));
    if (unexpected.length > 0) {
      console.log(`  FAILED: answers other than 200 and 429: ${unexpected.join(', ')}`);
      failed = true;
    }
    if (p.healthP99 > HEALTH_P99_MS || p.healthMax > HEALTH_MAX_MS) {
      console.log(
        `  FAILED: /healthz p99 ${p.healthP99.toFixed(0)} ms, worst ${p.healthMax.toFixed(0)} ms (limits ${HEALTH_P99_MS} and ${HEALTH_MAX_MS})`,
      );
      failed = true;
    }
  }
  const overload = phases[2];
  if (overload && ![...overload.statuses.keys()].some((s) => s.startsWith('429'))) {
    console.log('  FAILED: the overload phase was never refused: the limits did not engage');
    failed = true;
  }
  process.exit(failed ? 1 : 0);
}

void main();
