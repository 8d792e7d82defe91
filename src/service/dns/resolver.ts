import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { isIP, isIPv6, connect as tcpConnect } from 'node:net';
import * as dnsPacket from 'dns-packet';

/**
 * One DNS client for every lookup of the live check (MX, A, AAAA, TXT, TLSA). It speaks DNS
 * itself because node:dns hides the AD bit and has no TLSA before Node 22.15: queries go out
 * with RD, AD and an EDNS0 OPT record with DO (RFC 4035 §3.2.1, RFC 6840 §5.7), over UDP, and
 * again over TCP when the answer is truncated (RFC 7766). Answers with the wrong id, the wrong
 * question or from the wrong address are ignored, not believed.
 */

export interface DnsServer {
  address: string;
  port: number;
}

export interface ResolverOptions {
  /** Defaults to the system's name servers (/etc/resolv.conf). */
  servers?: DnsServer[];
  /** Per try; defaults to 3 s. */
  timeoutMs?: number;
  /** Tries per server; defaults to 2. */
  tries?: number;
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | string;

export interface DnsResponse {
  rcode: Rcode;
  /** AD: the resolver validated the answer with DNSSEC. Only meaningful from a trusted resolver. */
  authenticated: boolean;
  answers: dnsPacket.Answer[];
  /** Which server answered. */
  server: DnsServer;
}

export class DnsTimeoutError extends Error {
  override readonly name = 'DnsTimeoutError';
}

export interface Resolver {
  query(name: string, type: dnsPacket.RecordType): Promise<DnsResponse>;
  servers: readonly DnsServer[];
}

/** UDP answers larger than this are truncated by the server, which sends TC (RFC 6891 §6.2.5). */
const UDP_PAYLOAD = 1232;
/** A DNS message over TCP is at most 65535 bytes (RFC 1035 §4.2.2). */
const MAX_TCP_MESSAGE = 65_535;

export function createResolver(options: ResolverOptions = {}): Resolver {
  const servers = options.servers ?? systemServers();
  const timeoutMs = options.timeoutMs ?? 3000;
  const tries = options.tries ?? 2;

  async function query(name: string, type: dnsPacket.RecordType): Promise<DnsResponse> {
    let lastError: Error = new DnsTimeoutError(`No DNS server answered for ${name} ${type}.`);
    for (const server of servers) {
      for (let attempt = 0; attempt < tries; attempt++) {
        try {
          const packet = await queryUdp(server, name, type, timeoutMs);
          const full = packet.flag_tc ? await queryTcp(server, name, type, timeoutMs) : packet;
          return toResponse(full, server);
        } catch (error) {
          lastError = error as Error;
        }
      }
    }
    throw lastError;
  }

  return { query, servers };
}

/** "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or "[2001:db8::53]:5353"; null when not one. */
export function parseDnsServer(text: string): DnsServer | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const [address, portText] = bracketed
    ? [bracketed[1] as string, bracketed[2]]
    : isIPv6(text)
      ? [text, undefined]
      : (text.split(':') as [string, string | undefined]);
  const port = portText === undefined ? 53 : Number(portText);
  if (!isIP(address) || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { address, port };
}

function systemServers(): DnsServer[] {
  return getServers().map((entry) => {
    // getServers() writes "1.2.3.4", "1.2.3.4:5353", "[::1]:5353" or "::1".
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) return { address: bracketed[1] as string, port: Number(bracketed[2] ?? 53) };
    if (isIPv6(entry)) return { address: entry, port: 53 };
    const [address = entry, port = '53'] = entry.split(':');
    return { address, port: Number(port) };
  });
}

function queryPacket(name: string, type: dnsPacket.RecordType): dnsPacket.Packet {
  return {
    type: 'query',
    id: randomInt(0, 65_536),
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA,
    questions: [{ type, name, class: 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: UDP_PAYLOAD,
        flags: dnsPacket.DNSSEC_OK,
      } as unknown as dnsPacket.Answer,
    ],
  };
}

/** The response answers our question: same id, one question with our name, type and class. */
function answersQuestion(
  response: dnsPacket.DecodedPacket,
  sent: dnsPacket.Packet,
  name: string,
  type: dnsPacket.RecordType,
): boolean {
  const question = response.questions?.[0];
  return (
    response.type === 'response' &&
    response.id === sent.id &&
    response.questions?.length === 1 &&
    question !== undefined &&
    question.type === type &&
    question.name.toLowerCase().replace(/\.$/, '') === name.toLowerCase().replace(/\.$/, '')
  );
}

function queryUdp(
  server: DnsServer,
  name: string,
  type: dnsPacket.RecordType,
  timeoutMs: number,
): Promise<dnsPacket.DecodedPacket> {
  const sent = queryPacket(name, type);
  const socket = createSocket(isIPv6(server.address) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(
        new DnsTimeoutError(
          `${server.address} did not answer ${name} ${type} within ${timeoutMs} ms.`,
        ),
      );
    }, timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (message, from) => {
      // Spoofed or stray datagrams are dropped; the real answer may still come (RFC 5452 §9.1).
      if (from.address !== server.address || from.port !== server.port) return;
      let response: dnsPacket.DecodedPacket;
      try {
        response = dnsPacket.decode(message);
      } catch {
        return;
      }
      if (!answersQuestion(response, sent, name, type)) return;
      clearTimeout(timer);
      socket.close();
      resolve(response);
    });
    socket.send(dnsPacket.encode(sent), server.port, server.address);
  });
}

function queryTcp(
  server: DnsServer,
  name: string,
  type: dnsPacket.RecordType,
  timeoutMs: number,
): Promise<dnsPacket.DecodedPacket> {
  const sent = queryPacket(name, type);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: server.address, port: server.port });
    let buffered = Buffer.alloc(0);
    // The whole answer within the time, not just some byte now and then: a resolver that drips
    // its answer must not hold the check.
    const timer = setTimeout(
      () =>
        fail(
          new DnsTimeoutError(
            `${server.address} did not answer ${name} ${type} over TCP within ${timeoutMs} ms.`,
          ),
        ),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.on('error', fail);
    socket.on('connect', () => socket.write(dnsPacket.streamEncode(sent)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > MAX_TCP_MESSAGE + 2)
        return fail(new Error('DNS answer over TCP is too long.'));
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length < length + 2) return;
      clearTimeout(timer);
      socket.end();
      try {
        const response = dnsPacket.decode(buffered.subarray(2, length + 2));
        if (!answersQuestion(response, sent, name, type))
          return fail(new Error('DNS answer over TCP does not match the question.'));
        resolve(response);
      } catch (error) {
        fail(error as Error);
      }
    });
  });
}

function toResponse(packet: dnsPacket.DecodedPacket, server: DnsServer): DnsResponse {
  return {
    rcode: (packet as unknown as { rcode: string }).rcode ?? 'NOERROR',
    authenticated: packet.flag_ad,
    answers: packet.answers ?? [],
    server,
  };
}
