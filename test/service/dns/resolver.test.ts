import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { createResolver, DnsTimeoutError } from '../../../src/service/dns/resolver';

/** A fake DNS server on loopback: UDP and TCP on the same port, answering by a script. */
async function fakeDns(
  answerUdp: (
    query: dnsPacket.DecodedPacket,
    reply: (packet: dnsPacket.Packet) => void,
    socket: Socket,
  ) => void,
  answerTcp?: (query: dnsPacket.Packet) => dnsPacket.Packet,
): Promise<{ port: number; close: () => void; queries: string[] }> {
  const queries: string[] = [];
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = (udp.address() as AddressInfo).port;
  udp.on('message', (message, from) => {
    const query = dnsPacket.decode(message);
    queries.push('udp');
    answerUdp(query, (packet) => udp.send(dnsPacket.encode(packet), from.port, from.address), udp);
  });
  let tcp: Server | null = null;
  if (answerTcp) {
    tcp = createServer((socket) => {
      socket.on('data', (data) => {
        queries.push('tcp');
        const query = dnsPacket.streamDecode(data);
        socket.end(dnsPacket.streamEncode(answerTcp(query)));
      });
    });
    await new Promise<void>((resolve) => tcp?.listen(port, '127.0.0.1', resolve));
  }
  return { port, queries, close: () => (udp.close(), tcp?.close()) };
}

const mx = (query: dnsPacket.Packet, flags = 0): dnsPacket.Packet => ({
  type: 'response',
  id: query.id,
  flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | flags,
  questions: query.questions,
  answers: [
    {
      type: 'MX',
      name: 'example.test',
      ttl: 60,
      data: { preference: 10, exchange: 'mx.example.test' },
    },
  ],
});

describe('the DNS client', () => {
  it('sends RD, AD and DO, and reads the AD bit of the answer', async () => {
    let seen: dnsPacket.DecodedPacket | null = null;
    const dns = await fakeDns((query, reply) => {
      seen = query;
      reply(mx(query, dnsPacket.AUTHENTIC_DATA));
    });
    const response = await createResolver({
      servers: [{ address: '127.0.0.1', port: dns.port }],
    }).query('example.test', 'MX');
    expect(response.authenticated).toBe(true);
    expect(response.answers).toHaveLength(1);
    const query = seen as unknown as dnsPacket.DecodedPacket;
    expect(query.flag_rd && query.flag_ad).toBe(true);
    expect((query.additionals?.[0] as dnsPacket.OptAnswer).flag_do).toBe(true);
    dns.close();
  });

  it('ignores answers with the wrong id, the wrong question or from another port', async () => {
    const dns = await fakeDns((query, reply) => {
      reply({ ...mx(query), id: ((query.id ?? 0) + 1) % 65536 });
      reply({ ...mx(query), questions: [{ type: 'MX', name: 'evil.test' }] });
      const stranger = createSocket('udp4');
      stranger.send(dnsPacket.encode(mx(query)), 1, '127.0.0.1', () => stranger.close());
      setTimeout(() => reply(mx(query)), 30);
    });
    const response = await createResolver({
      servers: [{ address: '127.0.0.1', port: dns.port }],
    }).query('example.test', 'MX');
    expect((response.answers[0] as dnsPacket.MxAnswer).data).toEqual({
      preference: 10,
      exchange: 'mx.example.test',
    });
    dns.close();
  });

  it('retries over TCP when the UDP answer is truncated (TC)', async () => {
    const dns = await fakeDns(
      (query, reply) => reply({ ...mx(query, dnsPacket.TRUNCATED_RESPONSE), answers: [] }),
      (query) => mx(query),
    );
    const response = await createResolver({
      servers: [{ address: '127.0.0.1', port: dns.port }],
    }).query('example.test', 'MX');
    expect(response.answers).toHaveLength(1);
    expect(dns.queries).toEqual(['udp', 'tcp']);
    dns.close();
  });

  it('reports NXDOMAIN and SERVFAIL as rcodes, and times out on silence', async () => {
    const dns = await fakeDns((query, reply) => {
      const name = query.questions?.[0]?.name;
      if (name === 'silent.test') return;
      reply({ ...mx(query), flags: name === 'gone.test' ? 3 : 2, answers: [] });
    });
    const resolver = createResolver({
      servers: [{ address: '127.0.0.1', port: dns.port }],
      timeoutMs: 100,
      tries: 2,
    });
    expect((await resolver.query('gone.test', 'MX')).rcode).toBe('NXDOMAIN');
    expect((await resolver.query('broken.test', 'MX')).rcode).toBe('SERVFAIL');
    await expect(resolver.query('silent.test', 'MX')).rejects.toBeInstanceOf(DnsTimeoutError);
    dns.close();
  });
});
