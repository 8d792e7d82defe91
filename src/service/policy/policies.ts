import { X509Certificate, createHash } from 'node:crypto';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { DaneResult, MtaStsReport, TlsRptReport } from '../../core/check-report';
import { lookup, txtRecords } from '../dns/lookups';
import type { Resolver } from '../dns/resolver';

/**
 * Domain policies that say how senders must use TLS: MTA-STS (RFC 8461), TLS-RPT (RFC 8460)
 * and DANE for SMTP (RFC 7672).
 */

/** RFC 8461 §3.2: senders should not accept policies larger than 64 KiB. */
const MAX_POLICY_BYTES = 64 * 1024;

export async function mtaSts(
  resolver: Resolver,
  domain: string,
  options: {
    extraCa: string[];
    /** The one address to fetch the policy from, or why there is none the check may use. */
    policyAddress?: (host: string) => Promise<{ address: string } | { refused: string }>;
    timeoutMs: number;
  },
): Promise<MtaStsReport | null> {
  const txt = await txtRecords(resolver, `_mta-sts.${domain}`);
  if ('error' in txt) return { record: null, policy: null, error: txt.error.message };
  const records = txt.filter((record) => /^v=STSv1\s*(;|$)/.test(record));
  if (records.length === 0) return null;
  if (records.length > 1) {
    return {
      record: records.join(' | '),
      policy: null,
      error: 'More than one MTA-STS record: senders must ignore them all (RFC 8461 §3.1).',
    };
  }
  const record = records[0] as string;
  if (!/(?:^|;)\s*id=[A-Za-z0-9]{1,32}\s*(;|$)/.test(record)) {
    return {
      record,
      policy: null,
      error: 'The MTA-STS record has no valid id (1–32 letters and digits).',
    };
  }
  const host = `mta-sts.${domain}`;
  try {
    const target = options.policyAddress ? await options.policyAddress(host) : null;
    if (target && 'refused' in target) return { record, policy: null, error: target.refused };
    const address = target?.address ?? null;
    const { status, contentType, body } = await fetchPolicy(host, address, options);
    if (status !== 200)
      return { record, policy: null, error: `The policy host answered HTTP ${status}.` };
    if (!/^text\/plain\b/i.test(contentType)) {
      return {
        record,
        policy: null,
        error: `The policy is served as "${contentType}", but RFC 8461 §3.2 requires text/plain.`,
      };
    }
    return { record, policy: parsePolicy(body), error: null };
  } catch (error) {
    return {
      record,
      policy: null,
      error: `The policy could not be fetched from https://${host}/.well-known/mta-sts.txt: ${(error as Error).message}`,
    };
  }
}

function fetchPolicy(
  host: string,
  address: string | null,
  options: { extraCa: string[]; timeoutMs: number },
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address ?? host,
        port: 443,
        servername: host,
        headers: { host },
        path: '/.well-known/mta-sts.txt',
        // The policy is trusted only over a certificate valid for the policy host (RFC 8461 §3.3).
        ca: options.extraCa.length > 0 ? [...rootCertificates, ...options.extraCa] : undefined,
      },
      (response) => {
        let size = 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_POLICY_BYTES) {
            response.destroy();
            reject(
              new Error(`the policy is larger than ${MAX_POLICY_BYTES / 1024} KiB (RFC 8461 §3.2)`),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    // The whole policy within the time, not just a byte now and then (a host that drips it).
    const timer = setTimeout(() => {
      reject(
        new Error(`the policy host did not send the policy within ${options.timeoutMs / 1000} s`),
      );
      req.destroy();
    }, options.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end();
  });
}

/** RFC 8461 §3.2: "key: value" lines; mx may repeat. */
export function parsePolicy(body: string): { mode: string; mx: string[]; maxAge: number | null } {
  const mx: string[] = [];
  let mode = '';
  let maxAge: number | null = null;
  for (const line of body.split(/\r?\n/)) {
    const match = /^([a-z_]+):\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, key, value = ''] = match;
    if (key === 'mode') mode = value;
    else if (key === 'mx') mx.push(value.toLowerCase());
    else if (key === 'max_age' && /^\d{1,10}$/.test(value)) maxAge = Number(value);
  }
  return { mode, mx, maxAge };
}

/** RFC 8461 §4.1: exact match, or "*." matching exactly one leftmost label. */
export function mxMatchesPolicy(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase().replace(/\.$/, '');
    if (!p.startsWith('*.')) return p === name;
    const dot = name.indexOf('.');
    return dot > 0 && name.slice(dot + 1) === p.slice(2);
  });
}

export async function tlsRpt(resolver: Resolver, domain: string): Promise<TlsRptReport | null> {
  const txt = await txtRecords(resolver, `_smtp._tls.${domain}`);
  if ('error' in txt) return null;
  const record = txt.find((r) => /^v=TLSRPTv1\s*;/.test(r));
  if (!record) return null;
  const rua = /(?:^|;)\s*rua=([^;]*)/.exec(record)?.[1] ?? '';
  return {
    record,
    rua: rua
      .split(',')
      .map((uri) => uri.trim())
      .filter(Boolean),
  };
}

/**
 * DANE for SMTP (RFC 7672): TLSA records at _25._tcp.<mx>, believed only when the resolver
 * validated them (AD). Usages 3 (DANE-EE) and 2 (DANE-TA) count; selector 0 = whole
 * certificate, 1 = SubjectPublicKeyInfo; matching 0 = exact, 1 = SHA-256, 2 = SHA-512.
 */
export async function daneRecords(
  resolver: Resolver,
  host: string,
): Promise<{
  records: { usage: number; selector: number; matchingType: number; data: Buffer }[];
  dnssec: DaneResult['dnssec'];
} | null> {
  const response = await lookup(resolver, `_25._tcp.${host}`, 'TLSA');
  if ('error' in response) {
    if (response.error.code === 'DNS_SERVFAIL') return { records: [], dnssec: 'bogus' };
    return null;
  }
  const records = response.answers
    .filter((answer) => answer.type === 'TLSA')
    .map(
      (answer) =>
        answer.data as {
          usage: number;
          selector: number;
          matchingType: number;
          certificate: Buffer;
        },
    )
    .map((data) => ({
      usage: data.usage,
      selector: data.selector,
      matchingType: data.matchingType,
      data: data.certificate,
    }));
  if (records.length === 0) return null;
  return { records, dnssec: response.authenticated ? 'secure' : 'insecure' };
}

export function matchDane(
  records: { usage: number; selector: number; matchingType: number; data: Buffer }[],
  chainDer: Buffer[],
): boolean {
  return records.some((record) => {
    if (record.usage !== 3 && record.usage !== 2) return false;
    // DANE-EE matches the leaf; DANE-TA any certificate above it.
    const candidates = record.usage === 3 ? chainDer.slice(0, 1) : chainDer.slice(1);
    return candidates.some((der) => {
      const selected =
        record.selector === 1
          ? new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })
          : der;
      const digest =
        record.matchingType === 1
          ? createHash('sha256').update(selected).digest()
          : record.matchingType === 2
            ? createHash('sha512').update(selected).digest()
            : selected;
      return digest.equals(record.data);
    });
  });
}
