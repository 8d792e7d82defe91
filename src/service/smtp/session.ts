import { connect as tcpConnect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TranscriptLine } from '../../core/check-report';

/**
 * A minimal SMTP client for probing (RFC 5321): it reads replies and sends commands, and
 * records every line with its time into the shared transcript. It never sends RCPT or DATA.
 */

export interface SmtpReply {
  code: number;
  /** Text of every line without the code, in order. */
  lines: string[];
  /** The reply as received, lines joined with newlines. */
  raw: string;
}

export class SmtpError extends Error {
  override readonly name = 'SmtpError';
  constructor(
    readonly kind: 'timeout' | 'closed' | 'protocol',
    message: string,
    /** The command whose reply was awaited when the connection closed, or null (greeting). */
    readonly during: string | null = null,
  ) {
    super(message);
  }
}

/** RFC 5321 §4.5.3.1.5 sets 512 octets per reply line; real servers stay far below this. */
const MAX_LINE = 4096;
/** Replies longer than this are not SMTP (RFC 5321 limits nothing, real ones have < 50 lines). */
const MAX_REPLY_LINES = 200;
/**
 * Bytes held that no read has asked for yet: a server may pipeline a few lines, but one that
 * floods us between commands is not speaking SMTP, and its bytes must not pile up in memory.
 */
const MAX_UNREAD = 64 * 1024;
/**
 * Characters of server text one check keeps: in the transcript, and in a reply's raw text (the
 * banner, an error's cause). Limits above still let a server send 200 lines of 4 KB per reply;
 * reports are cached and returned to clients, so what they keep of it is bounded too.
 */
const MAX_TRANSCRIPT_CHARS = 256 * 1024;
const MAX_RAW_CHARS = 8 * 1024;
/**
 * Characters recorded so far per check, keyed by its transcript (shared by its sessions);
 * Infinity once the limit was reached and said.
 */
const recorded = new WeakMap<TranscriptLine[], number>();

export class SmtpSession {
  private buffer = '';
  private pending: {
    resolve: (reply: SmtpReply) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  } | null = null;
  private lines: string[] = [];
  private closed: Error | null = null;
  private lastSent: string | null = null;

  constructor(
    private socket: Socket | TLSSocket,
    private readonly ip: string,
    private readonly transcript: TranscriptLine[],
    private readonly startedAt: number,
  ) {
    this.attach(socket);
  }

  /** Connects to ip:port; rejects with SmtpError('timeout') when the connection does not open. */
  static connect(
    ip: string,
    port: number,
    timeoutMs: number,
    transcript: TranscriptLine[],
    startedAt: number,
  ): Promise<SmtpSession> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: ip, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new SmtpError('timeout', `No connection to ${ip}:${port} within ${timeoutMs / 1000} s.`),
        );
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        // SMTP is a dialogue of small writes: Nagle's algorithm would hold each one back.
        socket.setNoDelay(true);
        socket.removeAllListeners('error');
        resolve(new SmtpSession(socket, ip, transcript, startedAt));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get rawSocket(): Socket | TLSSocket {
    return this.socket;
  }

  /** The verb of the last command sent ("EHLO", "STARTTLS"), or null before the first. */
  get lastCommand(): string | null {
    return this.lastSent;
  }

  /**
   * Hands the plain socket over for a TLS handshake: our listeners leave it, so that the
   * handshake bytes are not read as SMTP. Bytes the server sent after its 220 and before the
   * handshake are returned (a STARTTLS injection, CVE-2011-0411 style), not silently dropped.
   */
  releaseForTls(): { socket: Socket | TLSSocket; leftover: string } {
    for (const event of ['data', 'close', 'error']) this.socket.removeAllListeners(event);
    const leftover = this.buffer;
    this.buffer = '';
    return { socket: this.socket, leftover };
  }

  /** Continues the session over the TLS socket that wraps the released one. */
  resumeOver(socket: TLSSocket): void {
    this.socket = socket;
    this.attach(socket);
  }

  note(text: string): void {
    this.record('note', text);
  }

  /** Reads one (possibly multi-line) reply. */
  read(timeoutMs: number): Promise<SmtpReply> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(new SmtpError('timeout', `No reply within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      this.pending = { resolve, reject, timer };
      this.drain();
    });
  }

  async command(text: string, timeoutMs: number): Promise<SmtpReply> {
    this.record('sent', text);
    this.lastSent = text.split(' ')[0] ?? text;
    this.socket.write(`${text}\r\n`);
    return this.read(timeoutMs);
  }

  /** Says QUIT (without waiting long) and closes. */
  async quit(): Promise<void> {
    if (!this.closed) {
      await this.command('QUIT', 2000).catch(() => undefined);
    }
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.drain();
      if (this.closed) return;
      // The line still being received; lastIndexOf scans back only as far as its start.
      const partial = this.buffer.length - this.buffer.lastIndexOf('\n') - 1;
      if (partial > MAX_LINE + 2) {
        this.fail(new SmtpError('protocol', `A reply line is longer than ${MAX_LINE} bytes.`));
      } else if (this.buffer.length > MAX_UNREAD) {
        this.fail(
          new SmtpError(
            'protocol',
            `The server sent more than ${MAX_UNREAD / 1024} KiB that no command asked for.`,
          ),
        );
      }
    });
    socket.on('close', () =>
      this.fail(new SmtpError('closed', 'The server closed the connection.', this.lastSent)),
    );
    socket.on('error', (error) =>
      this.fail(new SmtpError('closed', `The connection failed: ${error.message}.`, this.lastSent)),
    );
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = error;
    this.buffer = '';
    this.socket.destroy();
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.reject(error);
      this.pending = null;
    }
  }

  /** Moves complete lines out of the buffer and finishes the pending reply when its last line came. */
  private drain(): void {
    let newline: number;
    while (this.pending && (newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (line.length > MAX_LINE)
        return this.fail(
          new SmtpError('protocol', `A reply line is longer than ${MAX_LINE} bytes.`),
        );
      this.record('received', line);
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!match)
        return this.fail(new SmtpError('protocol', `Not an SMTP reply: "${line.slice(0, 80)}".`));
      this.lines.push(line);
      if (this.lines.length > MAX_REPLY_LINES)
        return this.fail(
          new SmtpError('protocol', `A reply has more than ${MAX_REPLY_LINES} lines.`),
        );
      if (match[2] !== '-') {
        const lines = this.lines;
        this.lines = [];
        const pending = this.pending;
        this.pending = null;
        clearTimeout(pending.timer);
        pending.resolve({
          code: Number(match[1]),
          lines: lines.map((l) => l.slice(4)),
          raw: clip(lines.join('\n'), MAX_RAW_CHARS),
        });
      }
    }
  }

  private record(direction: TranscriptLine['direction'], text: string): void {
    const used = recorded.get(this.transcript) ?? 0;
    if (used === Infinity) return;
    const full = used + text.length > MAX_TRANSCRIPT_CHARS;
    recorded.set(this.transcript, full ? Infinity : used + text.length);
    this.transcript.push({
      ms: Math.round(performance.now() - this.startedAt),
      ip: this.ip,
      direction: full ? 'note' : direction,
      // Kept as received; whoever prints it escapes control characters (printable()).
      text: full
        ? `The transcript reached ${MAX_TRANSCRIPT_CHARS / 1024} KiB: later lines are not kept.`
        : text,
    });
  }
}

function clip(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
