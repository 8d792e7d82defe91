import { SignInError } from '../../../src/addin/host';
import type * as LiveCheckStream from '../../../src/addin/taskpane/live-check-stream';

/** A fresh copy of the module for each test: it remembers the last sign-in it was asked for. */
let streamCheck: typeof LiveCheckStream.streamCheck;
beforeEach(() => {
  jest.isolateModules(() => {
    ({ streamCheck } = jest.requireActual<typeof LiveCheckStream>(
      '../../../src/addin/taskpane/live-check-stream',
    ));
  });
});

/**
 * Signing in to a service with the organisation lock: the 401 names what to ask for, the pane
 * asks its host for a token and tries once more with it. (The streaming itself runs in real
 * Chromium against the real service: test/e2e/live-check.live.ts.)
 */

const HINT = {
  clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  authority: 'https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555',
  scopes: ['api://inspector.example.com/Check.Run'],
};

/** A fetch that answers with these JSON replies in turn, and records each request's headers. */
function fakeFetch(replies: { status: number; body: unknown }[]) {
  const sent: Record<string, string>[] = [];
  const fetch = jest.fn(async (_url: string, init: { headers: Record<string, string> }) => {
    sent.push(init.headers);
    const reply = replies.shift() ?? { status: 500, body: null };
    return {
      status: reply.status,
      ok: reply.status === 200,
      headers: { get: () => null },
      json: async () => reply.body,
    };
  });
  Object.assign(globalThis, { fetch });
  return sent;
}

const refusal = (code: string, message: string) => ({ error: { code, message }, signIn: HINT });

describe('streamCheck behind the organisation lock', () => {
  it('asks the host for a token with the hint, and retries once with it', async () => {
    const sent = fakeFetch([
      { status: 401, body: refusal('AUTH_REQUIRED', 'Sign in.') },
      { status: 403, body: refusal('AUTH_SCOPE', 'Your sign-in does not grant the live check.') },
    ]);
    const accessToken = jest.fn(async () => 'token-123');
    await expect(
      streamCheck('example.com', () => undefined, new AbortController().signal, accessToken),
    ).rejects.toThrow('Your sign-in does not grant the live check.');
    expect(accessToken).toHaveBeenCalledWith(HINT);
    expect(sent.map((headers) => headers.Authorization)).toEqual([undefined, 'Bearer token-123']);
  });

  it('sends a token with the first request once the service has asked for one', async () => {
    const sent = fakeFetch([
      { status: 401, body: refusal('AUTH_REQUIRED', 'Sign in.') },
      { status: 429, body: { error: { code: 'BUSY', message: 'Busy.' } } },
      { status: 429, body: { error: { code: 'BUSY', message: 'Busy again.' } } },
    ]);
    const accessToken = jest.fn(async () => 'token-456');
    const signal = new AbortController().signal;
    await expect(streamCheck('a.example', () => undefined, signal, accessToken)).rejects.toThrow(
      'Busy.',
    );
    await expect(streamCheck('b.example', () => undefined, signal, accessToken)).rejects.toThrow(
      'Busy again.',
    );
    expect(sent.map((headers) => headers.Authorization)).toEqual([
      undefined,
      'Bearer token-456',
      'Bearer token-456',
    ]);
  });

  it('tells the standalone page to use the add-in, where the user is signed in', async () => {
    fakeFetch([{ status: 401, body: refusal('AUTH_REQUIRED', 'Sign in.') }]);
    await expect(
      streamCheck('example.com', () => undefined, new AbortController().signal, null),
    ).rejects.toThrow(/run the live check from the add-in in Outlook/);
  });

  it('passes on the host’s own explanation when it cannot sign in', async () => {
    fakeFetch([{ status: 401, body: refusal('AUTH_REQUIRED', 'Sign in.') }]);
    const unsupported = new SignInError('unsupported', 'This version of Outlook cannot.');
    await expect(
      streamCheck(
        'example.com',
        () => undefined,
        new AbortController().signal,
        () => Promise.reject(unsupported),
      ),
    ).rejects.toBe(unsupported);
  });
});
