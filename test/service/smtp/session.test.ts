import fc from 'fast-check';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TranscriptLine } from '../../../src/core/check-report';
import { SmtpError, SmtpSession, type SmtpReply } from '../../../src/service/smtp/session';

/** A fake SMTP server on loopback that plays a script for each connection. */
async function fakeServer(
  script: (socket: Socket) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    // The client hangs up on bad servers; that reset is expected here.
    socket.on('error', () => undefined);
    script(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function session(script: (socket: Socket) => void) {
  const { server, port } = await fakeServer(script);
  const transcript: TranscriptLine[] = [];
  const smtp = await SmtpSession.connect('127.0.0.1', port, 1000, transcript, performance.now());
  return { smtp, transcript, close: () => server.close() };
}

describe('SmtpSession', () => {
  it('reads multi-line replies and records both directions', async () => {
    const { smtp, transcript, close } = await session((socket) => {
      socket.write('220 mx.example ESMTP\r\n');
      socket.on('data', () => socket.write('250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n'));
    });
    expect((await smtp.read(1000)).code).toBe(220);
    const ehlo = await smtp.command('EHLO probe', 1000);
    expect(ehlo).toEqual({
      code: 250,
      lines: ['mx.example', 'PIPELINING', 'STARTTLS'],
      raw: '250-mx.example\n250-PIPELINING\n250 STARTTLS',
    });
    expect(transcript.map((l) => `${l.direction} ${l.text}`)).toEqual([
      'received 220 mx.example ESMTP',
      'sent EHLO probe',
      'received 250-mx.example',
      'received 250-PIPELINING',
      'received 250 STARTTLS',
    ]);
    smtp.destroy();
    close();
  });

  it('handles a reply split across packets', async () => {
    const { smtp, close } = await session((socket) => {
      socket.write('22');
      setTimeout(() => socket.write('0 slow\r'), 10);
      setTimeout(() => socket.write('\n'), 20);
    });
    expect((await smtp.read(1000)).lines).toEqual(['slow']);
    smtp.destroy();
    close();
  });

  test.each([
    ['no reply at all', () => undefined, 'timeout'],
    ['a 1 MiB line', (s: Socket) => s.write('220 ' + 'a'.repeat(1024 * 1024)), 'protocol'],
    ['binary garbage', (s: Socket) => s.write(Buffer.from([0, 1, 2, 0xff, 0x0a])), 'protocol'],
    ['endless continuation lines', (s: Socket) => s.write('220-more\r\n'.repeat(500)), 'protocol'],
    ['a disconnect mid-reply', (s: Socket) => s.end('220-first line\r\n'), 'closed'],
  ])('ends %s with a typed error', async (_name, script, kind) => {
    const { smtp, close } = await session(script as (socket: Socket) => void);
    const error = await smtp.read(300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpError);
    expect((error as SmtpError).kind).toBe(kind);
    smtp.destroy();
    close();
  });

  it('times out a connection that never opens', async () => {
    // 192.0.2.0/24 is documentation space: nothing answers there (RFC 5737).
    await expect(SmtpSession.connect('192.0.2.1', 25, 200, [], 0)).rejects.toMatchObject({
      message: expect.stringMatching(/\S/),
    });
  });
});

describe('SmtpSession on arbitrary bytes (property-based)', () => {
  /** Reply-shaped and random chunks, as a hostile or broken server might send them. */
  const chunk = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc
      .tuple(
        fc.constantFrom('220', '250', '421', '5xx', '99', '2500'),
        fc.constantFrom(' ', '-', '', '\t'),
        fc.string({ maxLength: 60 }),
        fc.constantFrom('\r\n', '\n', '\r', ''),
      )
      .map((parts) => Buffer.from(parts.join(''), 'latin1')),
  );

  it('reads a reply or fails with an SmtpError, within its timeout, whatever arrives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 12 }), fc.boolean(), async (chunks, hangUp) => {
        const { smtp, close } = await session((socket) => {
          for (const piece of chunks) socket.write(piece);
          if (hangUp) socket.end();
        });
        const started = performance.now();
        const outcome: unknown = await smtp.read(300).catch((error: unknown) => error);
        smtp.destroy();
        close();
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(SmtpError);
        else expect((outcome as SmtpReply).raw).toMatch(/^\d{3}/);
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 60 },
    );
  });
});
