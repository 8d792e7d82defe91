import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DnsServer } from '../../src/service/dns/resolver';

/**
 * A recursive resolver stand-in on loopback, in-process: it answers from a record list the way
 * Unbound would (following CNAMEs into the answer section, NXDOMAIN for unknown names, TC over
 * UDP when the answer does not fit), and misbehaves on purpose for the names a test picks.
 */

export type Misbehaviour =
  /** Rcode SERVFAIL, as for a broken zone or failed DNSSEC validation. */
  | 'servfail'
  /** Never answers, over UDP or TCP. */
  | 'silent'
  /** A forged answer with the wrong query id first, then the real one. */
  | 'wrong-id-first'
  /** A forged answer from another address first (same port), then the real one. */
  | 'stranger-first'
  /** Every UDP answer truncated (TC, no records): only TCP gets the records. */
  | 'truncate'
  /** Truncated over UDP, and over TCP the answer dripped one byte every 100 ms. */
  | 'truncate-and-drip';

export interface FakeDnsOptions {
  /** Loopback address to serve on (UDP and TCP, one port). */
  address: string;
  records: dnsPacket.Answer[];
  misbehave?: Record<string, Misbehaviour>;
  /** Answers for address lookups that change per query: name → the list, used in turn. */
  rebind?: Record<string, string[]>;
  /** Where 'stranger-first' forges from; another loopback address. */
  strangerAddress?: string;
}

export interface FakeDns {
  server: DnsServer;
  /** Every question asked, as "transport name type". */
  queries: string[];
  close(): Promise<void>;
}

/** The forged answers point here; a test asserts nothing ever used them. */
export const FORGED_HOST = 'forged.hostile.test';
export const FORGED_ADDRESS = '127.0.0.66';

const UDP_PAYLOAD = 1232;
const MAX_CHASE = 16;

export async function startFakeDns(options: FakeDnsOptions): Promise<FakeDns> {
  const queries: string[] = [];
  const rebindTurns = new Map<string, number>();
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, options.address, resolve));
  const port = (udp.address() as AddressInfo).port;
  let stranger: UdpSocket | null = null;
  if (options.strangerAddress) {
    stranger = createSocket('udp4');
    const socket = stranger;
    await new Promise<void>((resolve) => socket.bind(port, options.strangerAddress, resolve));
  }

  const question = (query: dnsPacket.DecodedPacket) => {
    const q = query.questions?.[0];
    return { name: (q?.name ?? '').toLowerCase(), type: q?.type ?? 'A' };
  };

  const answer = (query: dnsPacket.DecodedPacket): dnsPacket.Packet => {
    const { name, type } = question(query);
    const misbehaviour = options.misbehave?.[name];
    const base = {
      type: 'response' as const,
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions,
    };
    if (misbehaviour === 'servfail') return { ...base, flags: base.flags | 2, answers: [] };
    const rebind = options.rebind?.[name];
    if (rebind && (type === 'A' || type === 'AAAA')) {
      const turn = rebindTurns.get(name) ?? 0;
      rebindTurns.set(name, turn + 1);
      const ip = rebind[Math.min(turn, rebind.length - 1)] as string;
      const family = ip.includes(':') ? 'AAAA' : 'A';
      return {
        ...base,
        answers: family === type ? [{ type, name, ttl: 0, data: ip } as dnsPacket.Answer] : [],
      };
    }
    const answers: dnsPacket.Answer[] = [];
    let owner = name;
    for (let step = 0; step < MAX_CHASE; step++) {
      const alias = options.records.find(
        (r) => r.type === 'CNAME' && r.name.toLowerCase() === owner && type !== 'CNAME',
      );
      if (!alias) break;
      answers.push(alias);
      owner = String((alias as { data: string }).data).toLowerCase();
    }
    // A wildcard owner "*.zone" answers for names below the zone that have no records of their
    // own (RFC 4592, simplified: one level of lookup, which is all the tests need).
    const wildcard = `*.${owner.split('.').slice(1).join('.')}`;
    const own = options.records.some((r) => r.name.toLowerCase() === owner);
    const ownerOrWildcard = own ? owner : wildcard;
    answers.push(
      ...options.records
        .filter((r) => r.type === type && r.name.toLowerCase() === ownerOrWildcard)
        .map((r) => ({ ...r, name: owner })),
    );
    const known =
      own || options.records.some((r) => r.name.toLowerCase() === wildcard) || answers.length;
    return { ...base, flags: base.flags | (known ? 0 : 3), answers };
  };

  const forged = (query: dnsPacket.DecodedPacket): dnsPacket.Packet => {
    const { name, type } = question(query);
    const data =
      type === 'MX'
        ? { preference: 0, exchange: FORGED_HOST }
        : type === 'A'
          ? FORGED_ADDRESS
          : type === 'TXT'
            ? 'v=STSv1; id=forged'
            : null;
    return {
      type: 'response',
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions,
      answers: data === null ? [] : [{ type, name, ttl: 60, data } as dnsPacket.Answer],
    };
  };

  udp.on('message', (message, from) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const { name, type } = question(query);
    queries.push(`udp ${name} ${type}`);
    const misbehaviour = options.misbehave?.[name];
    if (misbehaviour === 'silent') return;
    const send = (packet: dnsPacket.Packet, socket: UdpSocket = udp) =>
      socket.send(dnsPacket.encode(packet), from.port, from.address);
    let reply = answer(query);
    if (
      misbehaviour === 'truncate' ||
      misbehaviour === 'truncate-and-drip' ||
      dnsPacket.encode(reply).length > UDP_PAYLOAD
    ) {
      reply = { ...reply, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [] };
    }
    if (misbehaviour === 'wrong-id-first') {
      send({ ...forged(query), id: ((query.id ?? 0) + 1) % 65_536 });
      setTimeout(() => send(reply), 20);
    } else if (misbehaviour === 'stranger-first' && stranger) {
      send(forged(query), stranger);
      setTimeout(() => send(reply), 20);
    } else send(reply);
  });

  const open = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < buffered.readUInt16BE(0) + 2) return;
      const query = dnsPacket.streamDecode(buffered) as dnsPacket.DecodedPacket;
      const { name, type } = question(query);
      queries.push(`tcp ${name} ${type}`);
      if (options.misbehave?.[name] === 'silent') return;
      const encoded = dnsPacket.streamEncode(answer(query));
      if (options.misbehave?.[name] !== 'truncate-and-drip') return void socket.end(encoded);
      let sent = 0;
      const drip = setInterval(() => {
        if (socket.destroyed || sent >= encoded.length) return clearInterval(drip);
        socket.write(encoded.subarray(sent, ++sent));
      }, 100);
    });
  });
  await new Promise<void>((resolve) => tcp.listen(port, options.address, resolve));

  return {
    server: { address: options.address, port },
    queries,
    close: async () => {
      udp.close();
      stranger?.close();
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** Shorthands for zone records. */
export const rr = {
  mx: (name: string, exchange: string, preference = 10): dnsPacket.Answer => ({
    type: 'MX',
    name,
    ttl: 60,
    data: { preference, exchange },
  }),
  a: (name: string, ip: string): dnsPacket.Answer => ({ type: 'A', name, ttl: 60, data: ip }),
  aaaa: (name: string, ip: string): dnsPacket.Answer => ({
    type: 'AAAA',
    name,
    ttl: 60,
    data: ip,
  }),
  cname: (name: string, target: string): dnsPacket.Answer => ({
    type: 'CNAME',
    name,
    ttl: 60,
    data: target,
  }),
  txt: (name: string, text: string): dnsPacket.Answer => ({
    type: 'TXT',
    name,
    ttl: 60,
    // DNS character-strings hold 255 bytes each (RFC 1035 §3.3); longer texts are split.
    data: text.match(/[\s\S]{1,255}/g) ?? [''],
  }),
};
