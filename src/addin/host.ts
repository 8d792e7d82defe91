import type { SignInHint } from '../core/check-report';

/**
 * What the pane needs from the mail client it runs in, as plain types. The Office.js
 * implementation is in ./office; the standalone page runs with no host at all.
 */

/** Stable codes for everything that can stop us from reading a message's headers. */
export type HeaderReadErrorCode =
  /** The client lacks Mailbox 1.8 (Outlook mobile, old Exchange): headers cannot be read. */
  | 'unsupported'
  /** The client answered with no headers, as Outlook does for items in Sent Items and drafts. */
  | 'empty'
  /** Outlook's transient failure (error 9020 and friends): trying again usually works. */
  | 'transient'
  /** Nothing is selected (pinned pane after the selection was cleared). */
  | 'no-item'
  /** The selected item is not a message (a meeting request or calendar item read as one). */
  | 'not-a-message'
  /** Anything else Outlook reported; its own message is kept in `detail`. */
  | 'failed';

export class HeaderReadError extends Error {
  override readonly name = 'HeaderReadError';

  constructor(
    readonly code: HeaderReadErrorCode,
    /** One sentence for the user: what happened and what to do. */
    message: string,
    /** Outlook's own error text or code, shown under the sentence; null when there is none. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }

  /** Whether offering "Try again" makes sense. */
  get retryable(): boolean {
    return this.code === 'transient' || this.code === 'failed';
  }
}

/** Why the pane could not get an access token for a service with the organisation lock. */
export class SignInError extends Error {
  override readonly name = 'SignInError';

  constructor(
    /** unsupported: this Outlook cannot sign add-ins in (no nested app authentication). */
    readonly code: 'unsupported' | 'failed',
    /** One sentence for the user: what happened and what to do. */
    message: string,
  ) {
    super(message);
  }
}

/** A message attached to the one being read: a forwarded .eml file or an attached Outlook item. */
export interface AttachedMessage {
  id: string;
  name: string;
}

export interface CurrentMessage {
  /** Identifies the item, so that a repeated ItemChanged for the same item re-reads nothing. */
  key: string;
  subject: string | null;
  /** The sender's address as Outlook shows it, for the live check's default domain. */
  senderAddress: string | null;
  /** The whole header section as Outlook returns it. */
  headers: string;
  attachedMessages: AttachedMessage[];
}

export type ThemeName = 'light' | 'dark';

export interface MailHost {
  /** Reads the selected message; rejects with HeaderReadError. */
  readCurrentMessage(): Promise<CurrentMessage>;
  /** The key of the selected item, or null when nothing is selected; never fails. */
  currentItemKey(): string | null;
  /** The raw message (.eml) of an attached message; rejects with HeaderReadError. */
  readAttachedMessage(attachment: AttachedMessage): Promise<string | Uint8Array>;
  /** Calls the listener when the pinned pane's selection changes; returns an unsubscribe. */
  onItemChanged(listener: () => void): () => void;
  /** The client's theme, or null when it does not say (then the browser's preference applies). */
  theme(): ThemeName | null;
  onThemeChanged(listener: (theme: ThemeName) => void): () => void;
  /**
   * An access token for the live-check service, signed in as the Outlook user (nested app
   * authentication); rejects with SignInError.
   */
  accessToken(hint: SignInHint): Promise<string>;
}
