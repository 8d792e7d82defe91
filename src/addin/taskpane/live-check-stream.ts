import type { CheckEvent, CheckReport, SignInHint } from '../../core/check-report';

/**
 * The sign-in a locked service asked for last: later checks send a token with their first
 * request (MSAL answers from its cache) instead of being refused once each time.
 */
let knownSignIn: SignInHint | null = null;

/**
 * Runs a live check through the service on the pane's own origin and reads its server-sent
 * events as they arrive (fetch + stream rather than EventSource, so that a refusal — 400,
 * 401, 429 — arrives with its reason, and a token can be sent). Resolves with the report;
 * rejects with a sentence for people.
 */
export async function streamCheck(
  domain: string,
  onEvent: (event: CheckEvent) => void,
  signal: AbortSignal,
  /** Signs in for a service with the organisation lock; null where nothing can (standalone). */
  accessToken: ((hint: SignInHint) => Promise<string>) | null = null,
): Promise<CheckReport> {
  const ask = async (token: string | null) => {
    try {
      return await fetch(`/api/check/stream?domain=${encodeURIComponent(domain)}`, {
        headers: {
          Accept: 'text/event-stream',
          ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
        },
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new Error(
        'The live check service could not be reached. Check your connection and try again.',
      );
    }
  };
  const presigned = knownSignIn && accessToken ? await accessToken(knownSignIn) : null;
  let response = await ask(presigned);
  if (response.status === 401) {
    const body = (await response.json().catch(() => null)) as { signIn?: SignInHint } | null;
    if (!body?.signIn) throw new Error('The live check service asks for a sign-in it cannot name.');
    if (accessToken === null) {
      throw new Error(
        'This check service admits only signed-in members of its organisation: run the live check from the add-in in Outlook, where you are signed in.',
      );
    }
    knownSignIn = body.signIn;
    // A token sent first and refused (expired, revoked) is not asked for again in this check.
    if (presigned === null) response = await ask(await accessToken(body.signIn));
  }
  if (!response.ok) throw new Error(await refusalReason(response));
  if (!response.body) throw new Error('The live check service sent an empty answer.');

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data === undefined) continue;
      const event = JSON.parse(data) as CheckEvent;
      if (event.type === 'done') return event.report;
      onEvent(event);
    }
  }
  throw new Error('The live check stopped before it finished. Try again.');
}

async function refusalReason(response: Response): Promise<string> {
  if (response.status === 404) {
    return 'This copy of Mail TLS Inspector serves the pages only: the live check needs its service (node dist/service/http/main.js) on the same site.';
  }
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  const retry = response.headers.get('Retry-After');
  const message =
    body?.error?.message ?? `The live check service answered HTTP ${response.status}.`;
  return retry && !message.includes(retry) ? `${message} (try again in ${retry} s)` : message;
}
