/**
 * npm run bench:live — the live check against the lab (needs root and the Debian packages
 * postfix, unbound, ldnsutils; starts and stops the lab itself):
 *   - full check of the lab's 2-MX domain (good.mti.test), median of 15;
 *   - one STARTTLS probe against `openssl s_client -starttls smtp` on the same listener,
 *     median of 15 each — target: ours at most 1.5× openssl's time;
 *   - 50 domain checks at once: wall time and peak memory (RSS).
 */
import { spawnSync } from 'node:child_process';
import { checkDomain, type CheckOptions } from '../../src/service/check';
import { probeAddress } from '../../src/service/smtp/probe';
import { DNS, startLab } from '../lab/lab';

const RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const lab = await startLab();
  let failed = false;
  try {
    const options: CheckOptions = {
      dnsServers: [DNS],
      allowPrivate: true,
      extraCa: [lab.caPem],
      heloName: 'bench.mti.test',
    };

    const full: number[] = [];
    for (let i = 0; i < RUNS; i++)
      full.push(await timed(() => checkDomain('good.mti.test', options)));
    console.log(
      `full check of good.mti.test (2 MX, 8 connections, DNS, MTA-STS, DANE): median ${median(full).toFixed(0)} ms`,
    );

    const transcript: never[] = [];
    const ours: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(
        await timed(() =>
          probeAddress('127.0.0.10', 'mx1.good.mti.test', {
            port: 25,
            heloName: 'bench.mti.test',
            connectTimeoutMs: 5000,
            bannerTimeoutMs: 5000,
            commandTimeoutMs: 5000,
            budgetMs: 30_000,
            extraCa: [lab.caPem],
            transcript,
            startedAt: performance.now(),
            now: () => new Date(),
            onStep: () => undefined,
            starttlsOnly: true,
          }),
        ),
      );
    }
    const openssl: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const result = spawnSync(
        'openssl',
        [
          's_client',
          '-starttls',
          'smtp',
          '-connect',
          '127.0.0.10:25',
          '-servername',
          'mx1.good.mti.test',
          '-brief',
        ],
        { input: '', encoding: 'utf8' },
      );
      openssl.push(performance.now() - start);
      if (!/Protocol version/.test(result.stderr))
        throw new Error(`openssl s_client failed: ${result.stderr}`);
    }
    const ratio = median(ours) / median(openssl);
    const ok = ratio <= 1.5;
    if (!ok) failed = true;
    console.log(
      `one STARTTLS probe: ours median ${median(ours).toFixed(1)} ms, openssl s_client median ${median(openssl).toFixed(1)} ms → ${ratio.toFixed(2)}× (≤ 1.5×) ${ok ? 'ok' : 'MISSED'}`,
    );

    const domains = [
      'good',
      'implicit',
      'legacy',
      'selfsigned',
      'expired',
      'wronghost',
      'nostarttls',
      'bogus',
      'busy',
      'sts-testing',
    ].map((name) => `${name}.mti.test`);
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const before = process.memoryUsage().rss;
    const wall = await timed(() =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          checkDomain(domains[i % domains.length] as string, options),
        ),
      ),
    );
    clearInterval(sampler);
    console.log(
      `50 checks at once (10 lab domains): ${(wall / 1000).toFixed(2)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${((peak - before) / 2 ** 20).toFixed(0)} MiB above idle)`,
    );
  } finally {
    await lab.stop();
  }
  process.exit(failed ? 1 : 0);
}

void main();
