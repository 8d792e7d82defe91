import { readFileSync } from 'node:fs';
import path from 'node:path';
import { run, EXIT, type Io } from '../../src/cli/main';

const SAMPLE = path.join(__dirname, '../../assets/samples/exchange-online-8-hops.eml');
const CLEARTEXT = path.join(__dirname, '../fixtures/headers/postfix-loopback-cleartext.eml');

function fakeIo(overrides: Partial<Io> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => new Uint8Array(readFileSync(p)),
    readStdin: async () => new Uint8Array(),
    stdinIsTty: false,
    ...overrides,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('mail-tls-inspector analyze', () => {
  it('prints the hop table and verdict; exit 0 when encrypted', async () => {
    const t = fakeIo();
    expect(await run(['analyze', SAMPLE], t.io)).toBe(EXIT.encrypted);
    expect(t.out()).toContain('Encrypted on all 7 relay hops (TLS 1.2–1.3).');
    expect(t.out()).toMatch(/^#\s+From → By\s+Protocol\s+TLS\s+Version \/ cipher\s+Delay$/m);
    expect(t.out()).toMatch(/^8 {2}AM0PR02CA0123/m);
    expect(t.err()).toBe('');
  });

  it('exit 1 when a hop is not encrypted', async () => {
    const t = fakeIo();
    expect(await run(['analyze', CLEARTEXT], t.io)).toBe(EXIT.notEncrypted);
    expect(t.out()).toContain('NOT ENCRYPTED');
  });

  it('exit 2 when unknown', async () => {
    const headers =
      'Received: (qmail 1 invoked from network); 12 Mar 2024 09:00:00 -0000\nSubject: x\n';
    const t = fakeIo({ readStdin: async () => new Uint8Array(Buffer.from(headers)) });
    expect(await run(['analyze', '-'], t.io)).toBe(EXIT.unknown);
  });

  it('--json prints the Analysis contract', async () => {
    const t = fakeIo();
    await run(['analyze', '--json', SAMPLE], t.io);
    const json = JSON.parse(t.out());
    expect(json.hops).toHaveLength(8);
    expect(json.hops[0]).toMatchObject({
      index: 0,
      with: 'mapi',
      tls: { status: 'internal', rule: 'exchange-mapi' },
    });
    expect(json.verdict).toMatchObject({
      status: 'encrypted',
      firstCleartextHop: null,
      weakestVersion: 'TLS1.2',
    });
  });

  it('reads standard input when FILE is missing', async () => {
    const t = fakeIo({ readStdin: async () => new Uint8Array(readFileSync(CLEARTEXT)) });
    expect(await run(['analyze'], t.io)).toBe(EXIT.notEncrypted);
  });

  test.each([
    [[], /no command given/],
    [['scan'], /unknown command "scan"/],
    [['analyze', '--yaml'], /unknown option "--yaml"/],
    [['analyze', 'a', 'b'], /one FILE at a time/],
  ])('usage error %j → 64', async (args, message) => {
    const t = fakeIo();
    expect(await run(args, t.io)).toBe(EXIT.usage);
    expect(t.err()).toMatch(message);
  });

  it('refuses to wait on a terminal with no input', async () => {
    const t = fakeIo({ stdinIsTty: true });
    expect(await run(['analyze'], t.io)).toBe(EXIT.usage);
    expect(t.err()).toMatch(/no input/);
  });

  it('exit 66 with the reason when the file cannot be read', async () => {
    const t = fakeIo();
    expect(await run(['analyze', '/nonexistent/message.eml'], t.io)).toBe(EXIT.noInput);
    expect(t.err()).toMatch(/cannot read "\/nonexistent\/message\.eml" \(ENOENT\)/);
  });

  it('exit 66 when the input has no header fields', async () => {
    const t = fakeIo({ readStdin: async () => new Uint8Array(Buffer.from('just some text\n')) });
    expect(await run(['analyze', '-'], t.io)).toBe(EXIT.noInput);
    expect(t.err()).toMatch(/no header fields/);
  });

  it('never writes terminal control sequences from hostile headers', async () => {
    const hostile =
      'Received: from evil\u001b]0;pwned\u0007 (x [192.0.2.1]) by mx\u001b[2J with ESMTP id 1; Tue, 12 Mar 2024 09:00:00 +0000\nSubject: x\n';
    const t = fakeIo({ readStdin: async () => new Uint8Array(Buffer.from(hostile)) });
    await run(['analyze', '-'], t.io);
    // eslint-disable-next-line no-control-regex
    expect(t.out()).not.toMatch(/[\u001b\u0007]/);
  });

  it('--help prints usage and exits 0', async () => {
    const t = fakeIo();
    expect(await run(['--help'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^Usage: mail-tls-inspector analyze/);
  });
});
