import {
  connect as tlsConnect,
  createSecureContext,
  rootCertificates,
  type SecureContext,
  type DetailedPeerCertificate,
  type TLSSocket,
} from 'node:tls';
import type {
  AddressReport,
  CheckError,
  LegacyAcceptance,
  TranscriptLine,
} from '../../core/check-report';
import { certificateFacts } from '../tls/certificate';
import { checkError } from '../errors';
import { SmtpError, SmtpSession, type SmtpReply } from './session';

export interface ProbeOptions {
  port: number;
  heloName: string;
  connectTimeoutMs: number;
  /** Greetings of 2–15 s are common (postscreen, tarpits): at least 30 s by default. */
  bannerTimeoutMs: number;
  commandTimeoutMs: number;
  /**
   * Time for everything at one address (all its connections); a server that drags every step
   * out to its timeout ends with BUDGET_EXCEEDED instead of holding the check for minutes.
   */
  budgetMs: number;
  /** Only the STARTTLS session: no cleartext MAIL FROM test, no TLS 1.0/1.1 probes. */
  starttlsOnly?: boolean;
  /** The whole check's deadline (performance.now() time): no address's budget runs past it. */
  checkDeadline?: number;
  /** When the budget runs out (performance.now() time); set by probeAddress. */
  deadline?: number;
  /** Extra trusted CAs (PEM), added to Node's root store: private CAs, the test lab. */
  extraCa: string[];
  transcript: TranscriptLine[];
  startedAt: number;
  now: () => Date;
  onStep: (
    type: 'connect' | 'banner' | 'ehlo' | 'starttls' | 'tls' | 'certificate' | 'cleartext',
    message: string,
  ) => void;
}

/**
 * Everything the check learns from one MX address, over separate connections made one after
 * another (one connection at a time per server IP): the STARTTLS session with certificate and
 * post-TLS EHLO, the cleartext MAIL FROM test, then the TLS 1.0 and 1.1 probes.
 */
export async function probeAddress(
  ip: string,
  host: string,
  options: ProbeOptions,
): Promise<{ report: AddressReport; chainDer: Buffer[] }> {
  const report = untestedAddress(ip, null);
  const chainDer: Buffer[] = [];
  const started = performance.now();
  options = withinBudget(
    options,
    Math.min(started + options.budgetMs, options.checkDeadline ?? Infinity),
  );
  report.error = await starttlsSession(ip, host, options, report, chainDer);
  // A server that could not be tested now (4xx, timeouts) is not asked again.
  if (report.error?.temporary || options.starttlsOnly) return { report, chainDer };
  if (report.banner !== null) {
    report.cleartextMail = await cleartextMail(ip, options);
    if (report.starttls.offered) {
      report.legacyTls.TLSv1 = await legacyAccepted(ip, host, 'TLSv1', options);
      report.legacyTls['TLSv1.1'] = await legacyAccepted(ip, host, 'TLSv1.1', options);
    }
  }
  return { report, chainDer };
}

/** The report of an address before (or instead of) any probe: nothing known yet. */
export function untestedAddress(ip: string, error: CheckError | null): AddressReport {
  return {
    ip,
    family: ip.includes(':') ? 6 : 4,
    banner: null,
    starttls: { offered: null, injected: null },
    tls: null,
    certificate: null,
    legacyTls: { TLSv1: 'untested', 'TLSv1.1': 'untested' },
    cleartextMail: 'untested',
    requireTls: null,
    timings: { connectMs: null, bannerMs: null, tlsMs: null },
    error,
  };
}

/** Connects, reads the banner and says EHLO; the session is left open after the EHLO reply. */
async function greet(
  ip: string,
  options: ProbeOptions,
  timings?: AddressReport['timings'],
): Promise<{ session: SmtpSession; banner: SmtpReply; ehlo: SmtpReply }> {
  const started = performance.now();
  const session = await SmtpSession.connect(
    ip,
    options.port,
    options.connectTimeoutMs,
    options.transcript,
    options.startedAt,
  );
  if (timings) timings.connectMs = Math.round(performance.now() - started);
  try {
    const banner = await session.read(options.bannerTimeoutMs).catch((error: unknown) => {
      throw error instanceof SmtpError && error.kind === 'timeout' ? new BannerTimeout() : error;
    });
    if (timings) timings.bannerMs = Math.round(performance.now() - started);
    if (banner.code !== 220) return { session, banner, ehlo: banner };
    const ehlo = await session.command(`EHLO ${options.heloName}`, options.commandTimeoutMs);
    return { session, banner, ehlo };
  } catch (error) {
    session.destroy();
    throw error;
  }
}

/** Injected cleartext kept in the report: enough to recognise it, never a flood. */
const MAX_INJECTED_SHOWN = 200;

class BannerTimeout extends Error {}
class BudgetExceeded extends Error {
  /** Cut by the whole check's deadline rather than the address's own budget. */
  constructor(readonly checkWide = false) {
    super();
  }
}

/** Options with the address's deadline applied: every wait is cut to the time that is left. */
function withinBudget(options: ProbeOptions, deadline: number): ProbeOptions {
  const left = (ms: number) => {
    const remaining = Math.floor(deadline - performance.now());
    if (remaining <= 0) throw new BudgetExceeded();
    return Math.min(ms, remaining);
  };
  return {
    ...options,
    deadline,
    get connectTimeoutMs() {
      return left(options.connectTimeoutMs);
    },
    get bannerTimeoutMs() {
      return left(options.bannerTimeoutMs);
    },
    get commandTimeoutMs() {
      return left(options.commandTimeoutMs);
    },
  };
}

async function starttlsSession(
  ip: string,
  host: string,
  options: ProbeOptions,
  report: AddressReport,
  chainDer: Buffer[],
): Promise<CheckError | null> {
  let session: SmtpSession | null = null;
  try {
    options.onStep('connect', `Connecting to ${ip} port ${options.port}`);
    const greeting = await greet(ip, options, report.timings);
    session = greeting.session;
    report.banner = greeting.banner.raw;
    options.onStep('banner', greeting.banner.raw);
    if (greeting.banner.code !== 220) return replyError(greeting.banner, 'greeted with');
    if (greeting.ehlo.code !== 250) return replyError(greeting.ehlo, 'answered EHLO with');
    const capabilities = greeting.ehlo.lines.map((line) => line.toUpperCase());
    report.starttls.offered = capabilities.some((line) => /^STARTTLS\b/.test(line));
    options.onStep('ehlo', report.starttls.offered ? 'STARTTLS offered' : 'STARTTLS not offered');
    if (!report.starttls.offered) {
      return checkError(
        'STARTTLS_NOT_OFFERED',
        `${host} (${ip}) does not offer STARTTLS: mail to it travels unencrypted.`,
        greeting.ehlo.raw,
      );
    }
    const starttls = await session.command('STARTTLS', options.commandTimeoutMs);
    if (starttls.code !== 220) {
      return starttls.code >= 400 && starttls.code < 500
        ? checkError(
            'STARTTLS_REFUSED',
            `${host} (${ip}) offered STARTTLS but refused it for now (${starttls.code}). Try again later.`,
            starttls.raw,
          )
        : {
            ...checkError(
              'STARTTLS_REFUSED',
              `${host} (${ip}) offered STARTTLS but refused it (${starttls.code}).`,
              starttls.raw,
            ),
            temporary: false,
          };
    }
    options.onStep('starttls', '220 ready to start TLS');
    const tlsStarted = performance.now();
    const { socket, leftover } = session.releaseForTls();
    if (leftover !== '') {
      report.starttls.injected = leftover.slice(0, MAX_INJECTED_SHOWN);
      session.note(
        `${leftover.length} bytes arrived in cleartext after the STARTTLS 220 and before the handshake (STARTTLS injection); they were discarded, never read as part of the TLS session: ${leftover.slice(0, MAX_INJECTED_SHOWN)}`,
      );
    }
    const secure = await handshake(socket, host, options, {});
    report.timings.tlsMs = Math.round(performance.now() - tlsStarted);
    session.resumeOver(secure);
    const cipher = secure.getCipher();
    const ephemeral = secure.getEphemeralKeyInfo() as { name?: string; type?: string } | null;
    report.tls = {
      version: secure.getProtocol() ?? 'unknown',
      cipher: (cipher as { standardName?: string }).standardName ?? cipher.name,
      group: ephemeral?.name ?? ephemeral?.type ?? null,
    };
    session.note(
      `TLS established: ${report.tls.version}, ${report.tls.cipher}${report.tls.group ? `, ${report.tls.group}` : ''}`,
    );
    options.onStep('tls', `${report.tls.version} ${report.tls.cipher}`);
    const peer = secure.getPeerCertificate(true);
    chainDer.push(...presentedChain(peer));
    const authorizationError = secure.authorized
      ? null
      : String(secure.authorizationError ?? 'UNKNOWN');
    report.certificate = certificateFacts(peer, host, authorizationError, options.now());
    options.onStep(
      'certificate',
      `${report.certificate.subject} — ${report.certificate.trusted ? 'trusted' : 'not trusted'}, ${report.certificate.nameMatches ? 'names' : 'does not name'} ${host}`,
    );
    const ehlo = await session.command(`EHLO ${options.heloName}`, options.commandTimeoutMs);
    report.requireTls =
      ehlo.code === 250 ? ehlo.lines.some((line) => /^REQUIRETLS\b/i.test(line)) : null;
    await session.quit();
    return certificateError(report, host, ip);
  } catch (error) {
    session?.destroy();
    // A wait cut short by the budget is the budget's doing, whatever step it was.
    const outOfTime = options.deadline !== undefined && performance.now() >= options.deadline - 1;
    const checkWide = options.deadline === options.checkDeadline;
    return asCheckError(outOfTime ? new BudgetExceeded(checkWide) : error, host, ip, report);
  }
}

function handshake(
  socket: SmtpSession['rawSocket'],
  host: string,
  options: ProbeOptions,
  versions: { min?: 'TLSv1' | 'TLSv1.1'; max?: 'TLSv1' | 'TLSv1.1' },
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tlsConnect({
      socket,
      servername: host,
      // Judged, not enforced: the check must see and report a bad certificate, not hang up on it.
      rejectUnauthorized: false,
      ...(versions.min
        ? {}
        : options.extraCa.length > 0
          ? { secureContext: trustContext(options.extraCa) }
          : {}),
      ...(versions.min
        ? {
            minVersion: versions.min,
            maxVersion: versions.max,
            // Node 20's default security level refuses TLS 1.0/1.1 suites before asking.
            ciphers: 'DEFAULT:@SECLEVEL=0',
          }
        : {}),
    });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(
        new SmtpError(
          'timeout',
          `The TLS handshake did not finish within ${options.commandTimeoutMs / 1000} s.`,
        ),
      );
    }, options.commandTimeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.removeAllListeners('error');
      resolve(secure);
    });
    secure.once('error', (error) => {
      clearTimeout(timer);
      secure.destroy();
      reject(new HandshakeError(error.message));
    });
  });
}

class HandshakeError extends Error {}

/**
 * A secure context trusting Node's roots plus the extra CAs, built once per CA list: parsing
 * some 140 root certificates for every handshake would cost more than the handshake itself.
 */
const trustContexts = new Map<string, SecureContext>();

function trustContext(extraCa: readonly string[]): SecureContext {
  const key = extraCa.join('\n');
  let context = trustContexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ...extraCa] });
    // Operators configure a handful of CA lists; never let the cache grow without bound.
    if (trustContexts.size >= 16) trustContexts.clear();
    trustContexts.set(key, context);
  }
  return context;
}

/** DER of the chain as linked by getPeerCertificate(true), leaf first, without repeats. */
function presentedChain(peer: DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw && !seen.has(current.fingerprint256) && chain.length < 10) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    current = current.issuerCertificate;
  }
  return chain;
}

function certificateError(report: AddressReport, host: string, ip: string): CheckError | null {
  const cert = report.certificate;
  if (!cert) return null;
  if (!cert.trusted) {
    return checkError(
      'CERT_UNTRUSTED',
      `The certificate of ${host} (${ip}) does not chain to a trusted root (${cert.trustError}); Exchange Online's Force TLS rejects it with "UntrustedRoot".`,
      cert.trustError,
    );
  }
  if (cert.daysLeft < 0) {
    return checkError(
      'CERT_EXPIRED',
      `The certificate of ${host} (${ip}) expired on ${cert.notAfter.slice(0, 10)}; senders that validate certificates (Exchange Online Force TLS: "454 4.7.5 … certificate validation failure") refuse it.`,
      cert.trustError,
    );
  }
  if (new Date(cert.notBefore).getTime() > Date.now()) {
    return checkError(
      'CERT_NOT_YET_VALID',
      `The certificate of ${host} (${ip}) is not valid before ${cert.notBefore.slice(0, 10)}.`,
      null,
    );
  }
  if (!cert.nameMatches) {
    return checkError(
      'CERT_NAME_MISMATCH',
      `The certificate of ${host} (${ip}) is for ${cert.altNames.join(', ') || cert.subject}, not for ${host}; senders that check the name (Exchange Online connectors with a TLS domain, MTA-STS) refuse it.`,
      null,
    );
  }
  return null;
}

function replyError(reply: SmtpReply, what: string): CheckError {
  if (reply.code >= 400 && reply.code < 500) {
    return checkError(
      'SMTP_TEMPORARY',
      `The server ${what} a temporary refusal (${reply.code}): it cannot be tested now, which says nothing about its TLS. Try again later.`,
      reply.raw,
    );
  }
  return checkError('SMTP_REJECTED', `The server ${what} a refusal (${reply.code}).`, reply.raw);
}

function asCheckError(error: unknown, host: string, ip: string, report: AddressReport): CheckError {
  if (error instanceof BudgetExceeded) {
    return checkError(
      'BUDGET_EXCEEDED',
      error.checkWide
        ? `The check ran out of its total time while testing ${host} (${ip}): the domain's servers answer too slowly to test all of them now.`
        : `${host} (${ip}) took longer than the time allowed per server: it answers too slowly to test now.`,
      null,
    );
  }
  if (error instanceof BannerTimeout) {
    return checkError(
      'BANNER_TIMEOUT',
      `${host} (${ip}) accepted the connection but sent no greeting in time.`,
      null,
    );
  }
  if (error instanceof HandshakeError) {
    return checkError(
      'TLS_HANDSHAKE_FAILED',
      `The TLS handshake with ${host} (${ip}) failed: ${error.message}.`,
      error.message,
    );
  }
  if (error instanceof SmtpError) {
    if (error.kind === 'timeout') {
      return report.timings.connectMs === null
        ? checkError(
            'CONNECT_TIMEOUT',
            `${host} (${ip}) did not accept a connection on port 25 in time (a firewall, or our outbound port 25 is blocked).`,
            null,
          )
        : checkError('SMTP_TIMEOUT', `${host} (${ip}) stopped answering: ${error.message}`, null);
    }
    if (error.kind === 'closed') {
      const waitingFor = error.during ? `the reply to ${error.during}` : 'its greeting';
      return checkError(
        'CONNECTION_CLOSED',
        `${host} (${ip}) closed the connection while we waited for ${waitingFor}: it may be overloaded or dropping connections from our address. Try again later.`,
        error.message,
      );
    }
    return checkError('SMTP_PROTOCOL', `${host} (${ip}): ${error.message}`, null);
  }
  const message = error instanceof Error ? error.message : String(error);
  return checkError(
    'CONNECT_FAILED',
    `Could not connect to ${host} (${ip}) on port 25: ${message}.`,
    message,
  );
}

/** MAIL FROM:<> without STARTTLS: 530 means the server enforces TLS (Force TLS). Never RCPT. */
async function cleartextMail(
  ip: string,
  options: ProbeOptions,
): Promise<AddressReport['cleartextMail']> {
  let session: SmtpSession | null = null;
  try {
    const greeting = await greet(ip, options);
    session = greeting.session;
    if (greeting.ehlo.code !== 250) return 'untested';
    const mail = await session.command('MAIL FROM:<>', options.commandTimeoutMs);
    options.onStep('cleartext', `MAIL FROM without TLS: ${mail.code}`);
    await session.command('RSET', options.commandTimeoutMs).catch(() => undefined);
    await session.quit();
    if (mail.code === 250) return 'accepted';
    // 530 5.7.0 "Must issue a STARTTLS command first" (RFC 3207 §4); other 5xx refuse too.
    if (mail.code >= 500) return 'refused';
    return 'untested';
  } catch {
    session?.destroy();
    return 'untested';
  }
}

async function legacyAccepted(
  ip: string,
  host: string,
  version: 'TLSv1' | 'TLSv1.1',
  options: ProbeOptions,
): Promise<LegacyAcceptance> {
  let session: SmtpSession | null = null;
  try {
    const greeting = await greet(ip, options);
    session = greeting.session;
    if (greeting.ehlo.code !== 250) return 'untested';
    const starttls = await session.command('STARTTLS', options.commandTimeoutMs);
    if (starttls.code !== 220) return 'untested';
    const { socket } = session.releaseForTls();
    try {
      const secure = await handshake(socket, host, options, { min: version, max: version });
      session.note(`${version} accepted`);
      secure.destroy();
      return 'accepted';
    } catch (error) {
      if (error instanceof HandshakeError) {
        session.note(`${version} refused: ${error.message}`);
        return 'refused';
      }
      return 'untested';
    }
  } catch {
    return 'untested';
  } finally {
    session?.destroy();
  }
}
