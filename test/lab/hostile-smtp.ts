import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TLSSocket, createSecureContext, type SecureContext } from 'node:tls';

/**
 * Misbehaving SMTP servers on loopback, one per behaviour, each written to break a client that
 * trusts its peer: silence, slowness, floods, garbage, hang-ups at every step, cleartext after
 * the STARTTLS 220, TLS alerts and oversized certificate chains. 'well-behaved' is the control:
 * STARTTLS with TLS 1.2+, cleartext MAIL refused (Force TLS), as a good MX answers.
 */

export type HostileBehaviour =
  | 'well-behaved'
  | 'silent'
  | 'trickle-banner'
  | 'endless-multiline'
  | 'wide-multiline'
  | 'megabyte-line'
  | 'garbage'
  | 'close-mid-ehlo'
  | 'close-mid-starttls'
  | 'close-mid-handshake'
  | 'inject-after-starttls'
  | 'tls-alert'
  | 'huge-chain'
  | 'busy-421'
  | 'starttls-454';

export interface HostilePeer {
  address: string;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** Fatal handshake_failure (40), TLS 1.2 record: what a server sends when no suite is shared. */
const HANDSHAKE_FAILURE_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);

const EHLO_REPLY = '250-hostile.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n';

export async function startHostilePeer(
  behaviour: HostileBehaviour,
  address: string,
  tls: { key: string; cert: string },
  /** A fixed port, so that peers on several addresses serve one check; default: any free one. */
  port = 0,
): Promise<HostilePeer> {
  const context = createSecureContext(tls);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((socket) => {
    peer.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // The client hangs up on purpose in most of these; that is not the peer's error.
    socket.on('error', () => undefined);
    behave(behaviour, socket, context, timers);
  });
  await new Promise<void>((resolve) => server.listen(port, address, resolve));
  const peer: HostilePeer = {
    address,
    port: (server.address() as AddressInfo).port,
    connections: 0,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return peer;
}

function behave(
  behaviour: HostileBehaviour,
  socket: Socket,
  context: SecureContext,
  timers: Set<NodeJS.Timeout>,
): void {
  switch (behaviour) {
    case 'silent':
      return;
    case 'trickle-banner': {
      const banner = Buffer.from(`220 ${'slow '.repeat(100)}\r\n`);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || sent >= banner.length) return clearInterval(timer);
        socket.write(banner.subarray(sent, ++sent));
      }, 1000);
      timers.add(timer);
      return;
    }
    case 'megabyte-line':
      socket.write(`220 ${'A'.repeat(1024 * 1024)}\r\n`);
      return;
    case 'garbage':
      socket.write(garbage(64 * 1024));
      return;
    case 'busy-421':
      socket.end('421 4.3.2 Service not available, closing transmission channel\r\n');
      return;
  }
  // Within every limit and still huge: 199 lines of 4000 characters, then the last line.
  if (behaviour === 'wide-multiline') socket.write(`220-${'w'.repeat(4000)}\r\n`.repeat(199));
  socket.write('220 hostile.test ESMTP\r\n');
  commands(socket, (command) => {
    const verb = command.split(' ')[0]?.toUpperCase();
    if (verb === 'EHLO') {
      if (behaviour === 'endless-multiline') return flood(socket);
      if (behaviour === 'close-mid-ehlo') {
        socket.write('250-hostile.test\r\n');
        socket.destroy();
        return;
      }
      socket.write(EHLO_REPLY);
    } else if (verb === 'STARTTLS') {
      if (behaviour === 'close-mid-starttls') return void socket.destroy();
      if (behaviour === 'starttls-454')
        return void socket.write('454 4.7.0 TLS not available due to temporary reason\r\n');
      if (behaviour === 'inject-after-starttls') {
        // One write: the injected reply travels in the same segment as the 220 (CVE-2011-0411).
        socket.write('220 2.0.0 Ready to start TLS\r\n250-injected.hostile.test\r\n250 OK\r\n');
      } else socket.write('220 2.0.0 Ready to start TLS\r\n');
      socket.removeAllListeners('data');
      if (behaviour === 'tls-alert')
        return void socket.once('data', () => socket.end(HANDSHAKE_FAILURE_ALERT));
      if (behaviour === 'close-mid-handshake')
        return void socket.once('data', () => socket.destroy());
      const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
      secure.on('error', () => undefined);
      commands(secure, (inner) => {
        const innerVerb = inner.split(' ')[0]?.toUpperCase();
        if (innerVerb === 'EHLO') secure.write('250-hostile.test\r\n250 8BITMIME\r\n');
        else if (innerVerb === 'QUIT') secure.end('221 2.0.0 Bye\r\n');
        else secure.write('502 5.5.1 Not here\r\n');
      });
    } else if (verb === 'MAIL') {
      socket.write('530 5.7.0 Must issue a STARTTLS command first\r\n');
    } else if (verb === 'QUIT') {
      socket.end('221 2.0.0 Bye\r\n');
    } else socket.write('250 2.0.0 OK\r\n');
  });
}

/** Calls onCommand for each CRLF-terminated line the client sends. */
function commands(socket: Socket | TLSSocket, onCommand: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      onCommand(line);
    }
  });
}

/** "250-…" lines for as long as the client reads them, never the last line. */
function flood(socket: Socket): void {
  const chunk = '250-still going\r\n'.repeat(256);
  const write = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on('drain', write);
  write();
}

/** Deterministic bytes of every value, newlines included: a line-based reader must cope. */
function garbage(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 0x2545f491;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}
