import { useCallback, useEffect, useRef, useState } from 'react';
import { analyzeHeaders, type Analysis } from '../../core';
import { HeaderReadError, type AttachedMessage, type CurrentMessage, type MailHost } from '../host';

/** Where the headers on screen came from. */
export type Origin =
  | { kind: 'selected-message' }
  | { kind: 'attached-message'; name: string }
  | { kind: 'pasted'; fileName: string | null };

export type PaneState =
  /** Standalone page before anything was pasted. */
  | { kind: 'idle' }
  | { kind: 'loading'; what: string }
  | { kind: 'failed'; error: HeaderReadError }
  | { kind: 'ready'; analysis: Analysis; origin: Origin };

export interface PaneActions {
  /** Re-reads the selected message even when it was read already (Refresh, Try again). */
  reload(): void;
  analyzePasted(raw: string | Uint8Array, fileName: string | null): void;
  analyzeAttachment(attachment: AttachedMessage): void;
}

/**
 * The pane's state machine. With a host, the selected message is read on start and again on
 * every ItemChanged — unless the selection is the item already read (Outlook fires ItemChanged
 * more than once per selection). Only the newest read may update the screen, so a slow read
 * of a message the user already left can never overwrite the one they are looking at.
 */
export function usePaneState(
  host: MailHost | null,
  /** A read of the selected message already under way (started before React), used once. */
  initialRead?: Promise<CurrentMessage>,
): {
  state: PaneState;
  message: CurrentMessage | null;
  actions: PaneActions;
} {
  const [state, setState] = useState<PaneState>(() =>
    host ? { kind: 'loading', what: 'Reading the message headers…' } : { kind: 'idle' },
  );
  const [message, setMessage] = useState<CurrentMessage | null>(null);
  const latestRequest = useRef(0);
  /** Key of the selected item whose headers were last read successfully or attempted. */
  const shownKey = useRef<string | null>(null);

  const pendingInitialRead = useRef(initialRead);

  const readSelected = useCallback(
    (force: boolean) => {
      if (host === null) return;
      const key = host.currentItemKey();
      if (!force && key !== null && key === shownKey.current) return;
      shownKey.current = key;
      const request = ++latestRequest.current;
      setState({ kind: 'loading', what: 'Reading the message headers…' });
      const read = pendingInitialRead.current ?? host.readCurrentMessage();
      pendingInitialRead.current = undefined;
      read.then(
        (read) => {
          if (request !== latestRequest.current) return;
          setMessage(read);
          setState({
            kind: 'ready',
            analysis: analyzeHeaders(read.headers),
            origin: { kind: 'selected-message' },
          });
        },
        (error: unknown) => {
          if (request !== latestRequest.current) return;
          setMessage(null);
          setState({ kind: 'failed', error: asHeaderReadError(error) });
        },
      );
    },
    [host],
  );

  useEffect(() => {
    if (host === null) return;
    readSelected(false);
    return host.onItemChanged(() => readSelected(false));
  }, [host, readSelected]);

  const analyzePasted = useCallback((raw: string | Uint8Array, fileName: string | null) => {
    latestRequest.current++;
    setState({
      kind: 'ready',
      analysis: analyzeHeaders(raw),
      origin: { kind: 'pasted', fileName },
    });
  }, []);

  const analyzeAttachment = useCallback(
    (attachment: AttachedMessage) => {
      if (host === null) return;
      const request = ++latestRequest.current;
      setState({ kind: 'loading', what: `Reading the attached message "${attachment.name}"…` });
      host.readAttachedMessage(attachment).then(
        (raw) => {
          if (request !== latestRequest.current) return;
          setState({
            kind: 'ready',
            analysis: analyzeHeaders(raw),
            origin: { kind: 'attached-message', name: attachment.name },
          });
        },
        (error: unknown) => {
          if (request !== latestRequest.current) return;
          setState({ kind: 'failed', error: asHeaderReadError(error) });
        },
      );
    },
    [host],
  );

  const reload = useCallback(() => readSelected(true), [readSelected]);

  return { state, message, actions: { reload, analyzePasted, analyzeAttachment } };
}

function asHeaderReadError(error: unknown): HeaderReadError {
  if (error instanceof HeaderReadError) return error;
  return new HeaderReadError(
    'failed',
    'Something went wrong while reading the message. Try again, or paste the headers below.',
    error instanceof Error ? error.message : String(error),
  );
}
