import { hostname } from 'node:os';
import type {
  AddressReport,
  CheckEvent,
  CheckReport,
  DaneResult,
  MxReport,
  TranscriptLine,
} from '../core/check-report';
import { addressesOf, domainOfInput, mxTargets, MAX_MX_HOSTS, type MxTarget } from './dns/lookups';
import { createResolver, type DnsServer, type Resolver } from './dns/resolver';
import { checkError } from './errors';
import { daneRecords, matchDane, mtaSts, mxMatchesPolicy, tlsRpt } from './policy/policies';
import { probeAddress, untestedAddress } from './smtp/probe';
import { targetGuard } from './targets';
import { verdictOf } from './verdict';

export interface CheckOptions {
  /** DNS servers; default: the system's. Use a validating resolver for DANE (AD bit). */
  dnsServers?: DnsServer[];
  /** Per DNS try (two tries per server); default 3 s. */
  dnsTimeoutMs?: number;
  /**
   * SMTP port; honoured only with allowPrivate (a lab): a public check connects to port 25
   * and to 443 for MTA-STS, never elsewhere, so it cannot be turned into a port scanner.
   */
  port?: number;
  /** Permit loopback, private and reserved targets (labs and tests only). */
  allowPrivate?: boolean;
  /** Private networks the check may connect to anyway (CIDR), e.g. an internal relay. */
  allowedNetworks?: string[];
  /** Extra trusted CA certificates (PEM) for private CAs and the test lab. */
  extraCa?: string[];
  heloName?: string;
  connectTimeoutMs?: number;
  bannerTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Time allowed for all connections to one address (default 120 s). */
  budgetPerAddressMs?: number;
  /**
   * Time for all the probes of one check (default 180 s): ten MX hosts of tarpits must not hold
   * a check, and a slot of the service, for ten times the per-address budget.
   */
  budgetMs?: number;
  /** Addresses probed at once (different IPs only; one connection at a time per IP). */
  parallelAddresses?: number;
  /** Addresses probed per MX host at most. */
  maxAddressesPerMx?: number;
  now?: () => Date;
}

/** Per MX host, at most this many addresses are probed (IPv4 and IPv6 both count). */
const DEFAULT_MAX_ADDRESSES = 4;
const DEFAULT_CHECK_BUDGET_MS = 180_000;

/**
 * Checks a mail domain's inbound TLS: MX hosts and their addresses, a STARTTLS session per
 * address, certificate trust and name, TLS 1.0/1.1 acceptance, Force TLS (cleartext refused),
 * MTA-STS, TLS-RPT and DANE. Calls onEvent as each step finishes. Whatever the input, DNS and
 * servers do, the result is a report; only options that are not usable (an allowedNetworks
 * entry that is not a network) reject, at once, with a RangeError.
 */
export async function checkDomain(
  input: string,
  options: CheckOptions = {},
  onEvent: (event: CheckEvent) => void = () => undefined,
): Promise<CheckReport> {
  const started = performance.now();
  const startedAt = (options.now ?? (() => new Date()))();
  const transcript: TranscriptLine[] = [];
  const note = (text: string) =>
    transcript.push({
      ms: Math.round(performance.now() - started),
      ip: null,
      direction: 'note',
      text,
    });
  const finish = (
    report: Omit<
      CheckReport,
      'schemaVersion' | 'startedAt' | 'durationMs' | 'transcript' | 'verdict'
    >,
  ): CheckReport => {
    const full: CheckReport = {
      schemaVersion: 1,
      ...report,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      verdict: { grade: 'untestable', sentence: '', reasons: [] },
      transcript,
    };
    full.verdict = verdictOf(full);
    onEvent({ type: 'done', report: full });
    return full;
  };

  const mayConnect = targetGuard(options);
  const parsed = domainOfInput(input);
  if ('error' in parsed) {
    return finish({
      domain: '',
      input,
      mx: [],
      mxHostsFound: 0,
      mtaSts: null,
      tlsRpt: null,
      error: parsed.error,
    });
  }
  const { domain } = parsed;
  const resolver = createResolver({
    servers: options.dnsServers,
    timeoutMs: options.dnsTimeoutMs,
  });
  note(
    `DNS: asking ${resolver.servers.map((s) => `${s.address}:${s.port}`).join(', ')} for the MX of ${domain}`,
  );
  const targets = await mxTargets(resolver, domain);
  if ('error' in targets) {
    note(targets.error.message);
    onEvent({ type: 'dns', message: targets.error.message });
    return finish({
      domain,
      input,
      mx: [],
      mxHostsFound: 0,
      mtaSts: null,
      tlsRpt: null,
      error: targets.error,
    });
  }
  if (targets.found > targets.mx.length)
    note(`${targets.found} MX hosts: only the ${MAX_MX_HOSTS} most preferred are checked.`);
  onEvent({ type: 'mx', mx: targets.mx });

  // One resolution per host: the fetch goes to this address, never to a second answer.
  const policyAddress = async (host: string) => {
    const found = await addressesOf(resolver, host);
    if ('error' in found)
      return { refused: `The policy host has no address: ${found.error.message}` };
    const address = found.ips.find(mayConnect);
    return address !== undefined
      ? { address }
      : {
          refused: `${host} points to ${found.ips.join(', ')}, a private, loopback or reserved address: the check does not connect there (TARGET_NOT_ALLOWED), so the policy was not fetched.`,
        };
  };
  const [stsReport, rptReport, mx] = await Promise.all([
    mtaSts(resolver, domain, {
      extraCa: options.extraCa ?? [],
      policyAddress,
      timeoutMs: options.commandTimeoutMs ?? 10_000,
    }),
    tlsRpt(resolver, domain),
    checkMxHosts(targets.mx, resolver, options, mayConnect, { transcript, note, started }, onEvent),
  ]);
  onEvent({
    type: 'policy',
    message: stsReport
      ? `MTA-STS: ${stsReport.policy?.mode ?? stsReport.error}`
      : 'No MTA-STS policy',
  });
  for (const report of mx) {
    report.mtaStsMatch = stsReport?.policy
      ? mxMatchesPolicy(report.host, stsReport.policy.mx)
      : null;
  }
  return finish({
    domain,
    input,
    mx,
    mxHostsFound: targets.found,
    mtaSts: stsReport,
    tlsRpt: rptReport,
    error: null,
  });
}

async function checkMxHosts(
  targets: MxTarget[],
  resolver: Resolver,
  options: CheckOptions,
  mayConnect: (ip: string) => boolean,
  log: { transcript: TranscriptLine[]; note: (text: string) => void; started: number },
  onEvent: (event: CheckEvent) => void,
): Promise<MxReport[]> {
  const { transcript, note, started } = log;
  const reports: MxReport[] = targets.map((target) => ({
    ...target,
    addresses: [],
    dane: null,
    mtaStsMatch: null,
    addressesFound: 0,
    error: null,
  }));
  const jobs: { report: MxReport; ip: string }[] = [];
  await Promise.all(
    reports.map(async (report) => {
      const found = await addressesOf(resolver, report.host);
      if ('error' in found) {
        report.error = found.error;
        return;
      }
      const limit = options.maxAddressesPerMx ?? DEFAULT_MAX_ADDRESSES;
      report.addressesFound = found.ips.length;
      if (found.ips.length > limit)
        note(
          `${report.host} has ${found.ips.length} addresses: only the first ${limit} are probed.`,
        );
      for (const ip of found.ips.slice(0, limit)) {
        if (!mayConnect(ip)) {
          report.addresses.push(refusedAddress(ip, report.host));
        } else jobs.push({ report, ip });
      }
    }),
  );

  const probeOptions = {
    port: options.allowPrivate ? (options.port ?? 25) : 25,
    heloName: options.heloName ?? hostname(),
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    bannerTimeoutMs: options.bannerTimeoutMs ?? 30_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
    budgetMs: options.budgetPerAddressMs ?? 120_000,
    checkDeadline: started + (options.budgetMs ?? DEFAULT_CHECK_BUDGET_MS),
    extraCa: options.extraCa ?? [],
    transcript,
    startedAt: started,
    now: options.now ?? (() => new Date()),
  };
  const chains = new Map<MxReport, Buffer[]>();
  // The same IP may serve several MX hosts: it is probed once, and its result shared.
  const byIp = new Map<string, Promise<{ report: AddressReport; chainDer: Buffer[] }>>();
  const queue = [...jobs];
  const parallel = Math.max(1, options.parallelAddresses ?? 4);
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { report, ip } = job;
        let probe = byIp.get(ip);
        if (!probe && performance.now() >= probeOptions.checkDeadline) {
          report.addresses.push(
            untestedAddress(
              ip,
              checkError(
                'BUDGET_EXCEEDED',
                `The check ran out of its total time before reaching ${report.host} (${ip}): the domain's other servers answered too slowly.`,
                null,
              ),
            ),
          );
          continue;
        }
        if (!probe) {
          probe = probeAddress(ip, report.host, {
            ...probeOptions,
            onStep: (type, message) => onEvent({ type, host: report.host, ip, message }),
          });
          byIp.set(ip, probe);
        }
        const result = await probe;
        report.addresses.push(result.report);
        if (!chains.has(report) && result.chainDer.length > 0) chains.set(report, result.chainDer);
      }
    }),
  );

  await Promise.all(
    reports.map(async (report) => {
      report.addresses.sort((a, b) => a.family - b.family || a.ip.localeCompare(b.ip));
      report.dane = await daneFor(resolver, report.host, chains.get(report) ?? null);
    }),
  );
  return reports;
}

function refusedAddress(ip: string, host: string): AddressReport {
  return untestedAddress(
    ip,
    checkError(
      'TARGET_NOT_ALLOWED',
      `${host} points to ${ip}, a private, loopback or reserved address: the check does not connect there.`,
      null,
    ),
  );
}

async function daneFor(
  resolver: Resolver,
  host: string,
  chain: Buffer[] | null,
): Promise<DaneResult | null> {
  const found = await daneRecords(resolver, host);
  if (found === null) return null;
  const records = found.records.map(
    (r) => `${r.usage} ${r.selector} ${r.matchingType} ${r.data.toString('hex')}`,
  );
  if (found.dnssec === 'bogus') {
    return {
      records,
      dnssec: 'bogus',
      matched: null,
      message: `The TLSA lookup for ${host} failed DNSSEC validation (bogus): DANE senders will not deliver to it.`,
    };
  }
  if (found.dnssec !== 'secure') {
    return {
      records,
      dnssec: found.dnssec,
      matched: null,
      message: `TLSA records for ${host} are not DNSSEC-validated, so DANE does not apply (RFC 7672 §2.2).`,
    };
  }
  if (chain === null) {
    return {
      records,
      dnssec: 'secure',
      matched: null,
      message: `No certificate was obtained from ${host} to match its TLSA records.`,
    };
  }
  const matched = matchDane(found.records, chain);
  return {
    records,
    dnssec: 'secure',
    matched,
    message: matched
      ? `A DNSSEC-validated TLSA record of ${host} matches its certificate.`
      : `No TLSA record of ${host} matches the certificate it presents: DANE senders will not deliver to it.`,
  };
}
