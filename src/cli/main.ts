#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { analyzeHeaders } from '../core';
import type { ChainStatus } from '../core';
import { renderAnalysis } from '../core/report';
import { runCheck } from './check';

/** Exit codes (sysexits.h for usage and input errors). */
export const EXIT = {
  encrypted: 0,
  notEncrypted: 1,
  unknown: 2,
  usage: 64,
  noInput: 66,
} as const;

const STATUS_EXIT: Record<ChainStatus, number> = {
  encrypted: EXIT.encrypted,
  'partially-encrypted': EXIT.notEncrypted,
  'not-encrypted': EXIT.notEncrypted,
  unknown: EXIT.unknown,
};

/** Bytes read from standard input; the analyzer reads at most 1 Mi characters anyway. */
const MAX_STDIN_BYTES = 8 * 1024 * 1024;

const USAGE = `Usage: mail-tls-inspector analyze [FILE|-] [--json]
       mail-tls-inspector check DOMAIN|EMAIL [options]   (see "check --help")

Reads the headers of one message (a whole .eml or only its header section) from FILE,
or from standard input when FILE is "-" or missing, and says for every relay hop
whether it was encrypted with TLS.

Options:
  --json     print the full analysis as JSON (the contract is in README.md)
  --help     show this help

Exit codes: 0 encrypted on every hop, 1 partially or not encrypted, 2 unknown,
64 usage error, 66 input could not be read.
`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Uint8Array;
  readStdin: () => Promise<Uint8Array>;
  stdinIsTty: boolean;
}

export async function run(args: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === 'check') return runCheck(rest, io);
  if (command !== 'analyze') {
    io.stderr(
      command === undefined
        ? `mail-tls-inspector: no command given.\n\n${USAGE}`
        : `mail-tls-inspector: unknown command "${command}". The commands are "analyze" and "check".\n\n${USAGE}`,
    );
    return EXIT.usage;
  }
  let json = false;
  const files: string[] = [];
  for (const arg of rest) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE);
      return 0;
    } else if (arg.startsWith('-') && arg !== '-') {
      io.stderr(`mail-tls-inspector: unknown option "${arg}".\n\n${USAGE}`);
      return EXIT.usage;
    } else files.push(arg);
  }
  if (files.length > 1) {
    io.stderr(`mail-tls-inspector: give one FILE at a time (got ${files.length}).\n`);
    return EXIT.usage;
  }
  const file = files[0] ?? '-';
  if (file === '-' && io.stdinIsTty) {
    io.stderr(
      'mail-tls-inspector: no input. Give a FILE, or pipe the headers in, e.g. "mail-tls-inspector analyze - < message.eml".\n',
    );
    return EXIT.usage;
  }

  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? await io.readStdin() : io.readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const what = file === '-' ? 'standard input' : `"${file}"`;
    io.stderr(
      `mail-tls-inspector: cannot read ${what} (${reason}). Check the path and permissions.\n`,
    );
    return EXIT.noInput;
  }

  const analysis = analyzeHeaders(bytes);
  if (analysis.fieldCount === 0) {
    io.stderr(
      'mail-tls-inspector: the input has no header fields. Give the message source or its internet headers.\n',
    );
    return EXIT.noInput;
  }
  io.stdout(json ? `${JSON.stringify(analysis, null, 2)}\n` : renderAnalysis(analysis));
  return STATUS_EXIT[analysis.verdict.status];
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    if (total < MAX_STDIN_BYTES) chunks.push(buffer.subarray(0, MAX_STDIN_BYTES - total));
    total += buffer.length;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

if (require.main === module) {
  run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => new Uint8Array(readFileSync(path)),
    readStdin,
    stdinIsTty: Boolean(process.stdin.isTTY),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`mail-tls-inspector: unexpected error: ${String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
