import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { CheckError } from '../../core/check-report';
import { checkError } from '../errors';
import { DnsTimeoutError, type DnsResponse, type Resolver } from './resolver';

/** What the user may type: a domain, an IDN, or an e-mail address (its domain is checked). */
export function domainOfInput(input: string): { domain: string } | { error: CheckError } {
  const trimmed = input.trim();
  const refuse = (why: string) => ({
    error: checkError(
      'INVALID_INPUT',
      `"${trimmed.slice(0, 100)}" is not a mail domain: ${why}. Type a domain such as example.com, or an e-mail address.`,
      null,
    ),
  });
  if (trimmed === '') return refuse('it is empty');
  if (trimmed.length > 320) return refuse('it is too long');
  const at = trimmed.lastIndexOf('@');
  const name = (at >= 0 ? trimmed.slice(at + 1) : trimmed).replace(/\.$/, '');
  if (isIP(name.replace(/^\[|\]$/g, '').replace(/^ipv6:/i, '')) !== 0) {
    return refuse('an address literal has no MX records to check');
  }
  const ascii = domainToASCII(name.toLowerCase());
  if (ascii === '') return refuse('it has characters a domain name cannot have');
  // RFC 1035 §2.3.4 (253 characters), RFC 1123 §2.1 (LDH labels of 1–63).
  if (ascii.length > 253) return refuse('it is longer than 253 characters');
  const labels = ascii.split('.');
  if (labels.length < 2) return refuse('it needs at least two labels, as in example.com');
  for (const label of labels) {
    if (!/^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label))
      return refuse(`the label "${label.slice(0, 63)}" is not a valid host name label`);
  }
  return { domain: ascii };
}

export interface MxTarget {
  host: string;
  preference: number;
  implicit: boolean;
}

/** Most domains publish 1–5 MX hosts; more are checked only up to this many, and the report says so. */
export const MAX_MX_HOSTS = 10;

/**
 * MX hosts in preference order (RFC 5321 §5.1): a null MX (RFC 7505) means the domain accepts
 * no mail; no MX at all means the domain's own address records act as an implicit MX.
 */
export async function mxTargets(
  resolver: Resolver,
  domain: string,
): Promise<{ mx: MxTarget[]; found: number } | { error: CheckError }> {
  const response = await lookup(resolver, domain, 'MX');
  if ('error' in response) return response;
  const records = response.answers
    .filter((answer) => answer.type === 'MX')
    .map((answer) => answer.data as { preference: number; exchange: string })
    .map((data) => ({
      preference: data.preference,
      host: data.exchange.replace(/\.$/, '').toLowerCase(),
    }));
  if (records.length === 1 && records[0]?.host === '') {
    return {
      error: checkError(
        'NULL_MX',
        `${domain} publishes a null MX (RFC 7505): it accepts no mail, so there is no server to check.`,
        'MX 0 .',
      ),
    };
  }
  if (records.length === 0) {
    const addresses = await addressesOf(resolver, domain);
    if ('error' in addresses || addresses.ips.length === 0) {
      return {
        error: checkError(
          'NO_MX',
          `${domain} has no MX records and no address records, so no server receives mail for it.`,
          null,
        ),
      };
    }
    return { mx: [{ host: domain, preference: 0, implicit: true }], found: 1 };
  }
  records.sort((a, b) => a.preference - b.preference || a.host.localeCompare(b.host));
  const hosts = records.filter((record) => record.host !== '');
  return {
    mx: hosts.slice(0, MAX_MX_HOSTS).map((record) => ({ ...record, implicit: false })),
    found: hosts.length,
  };
}

export async function addressesOf(
  resolver: Resolver,
  host: string,
): Promise<{ ips: string[] } | { error: CheckError }> {
  const [a, aaaa] = await Promise.all([
    lookup(resolver, host, 'A'),
    lookup(resolver, host, 'AAAA'),
  ]);
  const ips: string[] = [];
  for (const response of [a, aaaa]) {
    if ('error' in response) continue;
    for (const answer of response.answers) {
      if (answer.type === 'A' || answer.type === 'AAAA') ips.push(answer.data as string);
    }
  }
  if (ips.length === 0) {
    const error = 'error' in a ? a.error : 'error' in aaaa ? aaaa.error : null;
    return {
      error:
        error ?? checkError('NO_ADDRESS', `The MX host ${host} has no IPv4 or IPv6 address.`, null),
    };
  }
  return { ips: [...new Set(ips)] };
}

export async function txtRecords(
  resolver: Resolver,
  name: string,
): Promise<string[] | { error: CheckError }> {
  const response = await lookup(resolver, name, 'TXT');
  if ('error' in response) return response.error.code === 'DNS_NXDOMAIN' ? [] : response;
  return response.answers
    .filter((answer) => answer.type === 'TXT')
    .map((answer) =>
      ([] as (string | Buffer)[])
        .concat(answer.data as string | Buffer | (string | Buffer)[])
        .map(String)
        .join(''),
    );
}

/** A response, or the error its rcode means; NXDOMAIN is an error only for the name asked. */
export async function lookup(
  resolver: Resolver,
  name: string,
  type: 'MX' | 'A' | 'AAAA' | 'TXT' | 'TLSA',
): Promise<DnsResponse | { error: CheckError }> {
  let response: DnsResponse;
  try {
    response = await resolver.query(name, type);
  } catch (error) {
    return {
      error:
        error instanceof DnsTimeoutError
          ? checkError(
              'DNS_TIMEOUT',
              `No DNS answer for ${name} (${type}): the resolver did not respond in time. Try again later.`,
              error.message,
            )
          : checkError(
              'DNS_ERROR',
              `The DNS lookup of ${name} (${type}) failed.`,
              error instanceof Error ? error.message : String(error),
            ),
    };
  }
  if (response.rcode === 'NXDOMAIN') {
    return {
      error: checkError(
        'DNS_NXDOMAIN',
        `${name} does not exist in DNS (NXDOMAIN). Check the spelling.`,
        'NXDOMAIN',
      ),
    };
  }
  if (response.rcode === 'SERVFAIL') {
    return {
      error: checkError(
        'DNS_SERVFAIL',
        `The DNS lookup of ${name} (${type}) failed at the resolver (SERVFAIL): the zone is broken or its DNSSEC does not validate.`,
        'SERVFAIL',
      ),
    };
  }
  if (response.rcode !== 'NOERROR') {
    return {
      error: checkError(
        'DNS_ERROR',
        `The DNS lookup of ${name} (${type}) was answered with ${response.rcode}.`,
        response.rcode,
      ),
    };
  }
  const chased = followCnames(response.answers, name);
  if ('loop' in chased) {
    return {
      error: checkError(
        'DNS_ERROR',
        `${name} (${type}) leads into a CNAME ${chased.loop ? 'loop' : `chain longer than ${MAX_CNAMES}`}, so it has no usable answer. Its DNS zone needs fixing.`,
        chased.chain.join(' → '),
      ),
    };
  }
  return {
    ...response,
    answers: response.answers.filter(
      (answer) => answer.type === type && canonical(answer.name) === chased.owner,
    ),
  };
}

/** Resolvers follow CNAMEs for us; more links than this is a misconfiguration, not a zone. */
const MAX_CNAMES = 8;

/**
 * The name the answers must belong to: the question, or the end of its CNAME chain in the
 * answer section (RFC 1034 §3.6.2). Records owned by other names are not ours to believe.
 */
function followCnames(
  answers: readonly DnsResponse['answers'][number][],
  name: string,
): { owner: string } | { loop: boolean; chain: string[] } {
  const chain = [canonical(name)];
  for (;;) {
    const owner = chain[chain.length - 1] as string;
    const alias = answers.find(
      (answer) => answer.type === 'CNAME' && canonical(answer.name) === owner,
    );
    if (!alias) return { owner };
    const target = canonical(String((alias as { data: unknown }).data));
    const loop = chain.includes(target);
    chain.push(target);
    if (loop || chain.length > MAX_CNAMES + 1) return { loop, chain };
  }
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
