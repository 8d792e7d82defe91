import type { CheckEvent, CheckReport } from '../core/check-report';
import { renderCheckReport } from '../core/check-text';
import { checkDomain, type CheckOptions } from '../service/check';
import { parseDnsServer, type DnsServer } from '../service/dns/resolver';
import { parseNetwork } from '../service/targets';
import type { Io } from './main';

export const CHECK_USAGE = `Usage: mail-tls-inspector check DOMAIN|EMAIL [options]

Checks the TLS of a domain's inbound mail servers: MX hosts, STARTTLS, certificate trust
and name, TLS versions, Force TLS (cleartext refused?), MTA-STS, TLS-RPT and DANE.
Only port 25 of the domain's own MX hosts is contacted; no mail is sent.

Options:
  --json                 print the CheckReport as JSON (the contract is in README.md)
  --transcript           print every line exchanged, with timings
  --dns-server ADDR[:PORT]
                         resolver to use (default: the system's); for DANE use a validating one
  --port N               SMTP port (default 25; labs and tests, needs --allow-private)
  --allow-private        permit loopback, private and reserved addresses (labs and tests)
  --allow-network CIDR   also permit this private network, e.g. 10.1.0.0/16 (repeatable)
  --ca FILE              also trust the CA certificates in FILE (PEM)
  --help                 show this help

Exit codes: 0 passes (possibly with warnings), 1 fails, 2 not testable now,
64 usage error, 69 DNS or network unavailable.
`;

export const CHECK_EXIT = { pass: 0, fail: 1, untestable: 2, usage: 64, unavailable: 69 } as const;

export async function runCheck(args: readonly string[], io: Io): Promise<number> {
  const options: CheckOptions = {};
  let json = false;
  let transcript = false;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value.`);
      return next;
    };
    try {
      if (arg === '--json') json = true;
      else if (arg === '--transcript') transcript = true;
      else if (arg === '--allow-private') options.allowPrivate = true;
      else if (arg === '--dns-server') options.dnsServers = [dnsServer(value())];
      else if (arg === '--port') options.port = port(value());
      else if (arg === '--allow-network') {
        const network = value();
        if (parseNetwork(network) === null)
          throw new UsageError(`"${network}" is not a network such as 10.1.0.0/16.`);
        options.allowedNetworks = [...(options.allowedNetworks ?? []), network];
      } else if (arg === '--ca') {
        const file = value();
        try {
          options.extraCa = [
            ...(options.extraCa ?? []),
            new TextDecoder().decode(io.readFile(file)),
          ];
        } catch {
          throw new UsageError(`cannot read the CA file "${file}".`);
        }
      } else if (arg === '--help' || arg === '-h') {
        io.stdout(CHECK_USAGE);
        return 0;
      } else if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}".`);
      else targets.push(arg);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`mail-tls-inspector check: ${error.message}\n\n${CHECK_USAGE}`);
      return CHECK_EXIT.usage;
    }
  }
  if (options.port !== undefined && options.port !== 25 && !options.allowPrivate) {
    io.stderr(
      `mail-tls-inspector check: --port is for labs and needs --allow-private; public mail servers are checked on port 25.

${CHECK_USAGE}`,
    );
    return CHECK_EXIT.usage;
  }
  if (targets.length !== 1) {
    io.stderr(
      `mail-tls-inspector check: give exactly one domain or e-mail address.\n\n${CHECK_USAGE}`,
    );
    return CHECK_EXIT.usage;
  }

  const report = await checkDomain(targets[0] as string, options, (event) =>
    io.stderr(progressLine(event)),
  );
  io.stdout(
    json ? `${JSON.stringify(report, null, 2)}\n` : renderCheckReport(report, { transcript }),
  );
  return exitCode(report);
}

class UsageError extends Error {}

function dnsServer(text: string): DnsServer {
  const server = parseDnsServer(text);
  if (server === null)
    throw new UsageError(`--dns-server wants an IP address with an optional port, not "${text}".`);
  return server;
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new UsageError(`"${text}" is not a port number.`);
  return value;
}

function progressLine(event: CheckEvent): string {
  switch (event.type) {
    case 'done':
      return '';
    case 'mx':
      return `mx: ${event.mx.map((m) => `${m.preference} ${m.host}${m.implicit ? ' (implicit)' : ''}`).join(', ')}\n`;
    case 'dns':
    case 'policy':
      return `${event.type}: ${event.message}\n`;
    default:
      return `${event.type}: ${event.host} ${event.ip}: ${event.message.split('\n')[0]}\n`;
  }
}

function exitCode(report: CheckReport): number {
  if (report.error?.code === 'INVALID_INPUT') return CHECK_EXIT.usage;
  if (report.error && (report.error.code === 'DNS_TIMEOUT' || report.error.code === 'DNS_ERROR')) {
    return CHECK_EXIT.unavailable;
  }
  return { pass: 0, warn: 0, fail: 1, untestable: 2 }[report.verdict.grade];
}
