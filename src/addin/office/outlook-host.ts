import {
  HeaderReadError,
  type AttachedMessage,
  type CurrentMessage,
  type MailHost,
  type ThemeName,
} from '../host';
import { nestedAccessToken } from './nested-auth';

/**
 * The MailHost of Outlook, through Office.js. This folder is the only code that touches the
 * `Office` global; everything it returns is plain data.
 */
export function outlookHost(): MailHost {
  return {
    readCurrentMessage,
    currentItemKey: () => itemKey(currentItem()),
    readAttachedMessage,
    onItemChanged: eventFanOut(
      () => Office.EventType.ItemChanged,
      () => undefined,
    ),
    theme: currentTheme,
    onThemeChanged: eventFanOut(() => Office.EventType.OfficeThemeChanged, currentTheme),
    accessToken: nestedAccessToken,
  };
}

/** getAllInternetHeadersAsync and getAttachmentContentAsync arrived in Mailbox 1.8. */
const HEADERS_REQUIREMENT = '1.8';

/**
 * Office error codes that mean "try again": 9020 (GenericResponseError, the one Outlook on the
 * web returns when the mailbox server is briefly unavailable), 5001 (internal error) and
 * 9017/9018 (the server was too busy or the request timed out).
 */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([5001, 9017, 9018, 9020]);

function currentItem(): Office.MessageRead | null {
  const item = Office.context.mailbox?.item as Office.MessageRead | null | undefined;
  return item ?? null;
}

function itemKey(item: Office.MessageRead | null): string | null {
  if (item === null) return null;
  // itemId is the EWS id; Outlook on the web can leave it empty for items it is still loading,
  // so fall back to what identifies a message across clients.
  return item.itemId || item.internetMessageId || `${item.subject}|${item.dateTimeCreated}`;
}

async function readCurrentMessage(): Promise<CurrentMessage> {
  const item = currentItem();
  if (item === null) {
    throw new HeaderReadError(
      'no-item',
      'No message is selected. Select a message to check how it travelled.',
    );
  }
  if (item.itemType !== undefined && item.itemType !== Office.MailboxEnums.ItemType.Message) {
    throw new HeaderReadError(
      'not-a-message',
      'The selected item is not an email message, so it has no route to check.',
    );
  }
  if (
    !Office.context.requirements.isSetSupported('Mailbox', HEADERS_REQUIREMENT) ||
    typeof item.getAllInternetHeadersAsync !== 'function'
  ) {
    throw new HeaderReadError(
      'unsupported',
      'This version of Outlook cannot give add-ins the message headers (Outlook on phones and Exchange before 2019 cannot). Paste the headers below instead: in Outlook on a computer, open the message, then File › Properties › Internet headers.',
    );
  }
  const headers = await new Promise<string>((resolve, reject) => {
    item.getAllInternetHeadersAsync((result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value ?? '');
      else reject(asReadError(result.error, 'reading the message headers'));
    });
  });
  if (headers.trim() === '') {
    throw new HeaderReadError(
      'empty',
      'Outlook returned no headers for this message. Messages you sent or drafted (Sent Items, Drafts) have none until they arrive; open a received copy instead.',
    );
  }
  return {
    key: itemKey(item) ?? '',
    subject: item.subject ?? null,
    senderAddress: item.from?.emailAddress ?? item.sender?.emailAddress ?? null,
    headers,
    attachedMessages: attachedMessagesOf(item),
  };
}

/** Attached Outlook items and .eml files: how users forward a suspicious message to a helpdesk. */
function attachedMessagesOf(item: Office.MessageRead): AttachedMessage[] {
  return (item.attachments ?? [])
    .filter(
      (attachment) =>
        attachment.attachmentType === Office.MailboxEnums.AttachmentType.Item ||
        (attachment.attachmentType === Office.MailboxEnums.AttachmentType.File &&
          (/\.eml$/i.test(attachment.name) || /^message\/rfc822\b/i.test(attachment.contentType))),
    )
    .map((attachment) => ({ id: attachment.id, name: attachment.name }));
}

async function readAttachedMessage(attachment: AttachedMessage): Promise<string | Uint8Array> {
  const item = currentItem();
  if (item === null) {
    throw new HeaderReadError('no-item', 'The message with this attachment is no longer selected.');
  }
  if (typeof item.getAttachmentContentAsync !== 'function') {
    throw new HeaderReadError(
      'unsupported',
      'This version of Outlook cannot give add-ins the content of attachments. Save the attachment and drop it on the standalone page instead.',
    );
  }
  const content = await new Promise<Office.AttachmentContent>((resolve, reject) => {
    item.getAttachmentContentAsync(attachment.id, (result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
      else reject(asReadError(result.error, `reading the attachment "${attachment.name}"`));
    });
  });
  switch (content.format) {
    case Office.MailboxEnums.AttachmentContentFormat.Eml:
      return content.content;
    case Office.MailboxEnums.AttachmentContentFormat.Base64:
      return base64Bytes(content.content);
    default:
      throw new HeaderReadError(
        'failed',
        `The attachment "${attachment.name}" is not stored in Outlook (a cloud link), so its headers cannot be read here.`,
        String(content.format),
      );
  }
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function asReadError(error: Office.Error | undefined, what: string): HeaderReadError {
  const code = error?.code;
  const detail = error ? `Outlook error ${error.code}: ${error.message || error.name}` : null;
  if (code !== undefined && TRANSIENT_CODES.has(code)) {
    return new HeaderReadError(
      'transient',
      `Outlook had a temporary problem ${what}. Try again in a moment.`,
      detail,
    );
  }
  return new HeaderReadError(
    'failed',
    `Outlook could not finish ${what}. Try again; if it keeps failing, paste the headers below.`,
    detail,
  );
}

/**
 * Subscribes to a mailbox event: ItemChanged fires in a pinned pane when the user selects
 * another item (Mailbox 1.5); OfficeThemeChanged when the user switches theme. Office.js removes
 * handlers per event type, not per handler, so one handler per host fans out to the listeners.
 * `read` says what to pass them; listeners get nothing when it returns null.
 */
function eventFanOut<T>(
  eventType: () => Office.EventType,
  read: () => T | null,
): (listener: (value: T) => void) => () => void {
  const listeners = new Set<(value: T) => void>();
  let subscribed = false;
  return (listener) => {
    listeners.add(listener);
    const mailbox = Office.context.mailbox;
    if (!subscribed && typeof mailbox?.addHandlerAsync === 'function') {
      subscribed = true;
      mailbox.addHandlerAsync(eventType(), () => {
        const value = read();
        if (value === null) return;
        for (const notify of [...listeners]) notify(value);
      });
    }
    return () => {
      listeners.delete(listener);
    };
  };
}

/** Office reports colours, not a theme name (Mailbox 1.14): a dark body background means dark. */
function currentTheme(): ThemeName | null {
  const theme = (Office.context as { officeTheme?: Office.OfficeTheme }).officeTheme;
  if (!theme?.bodyBackgroundColor) return null;
  return isDarkColour(theme.bodyBackgroundColor) ? 'dark' : 'light';
}

export function isDarkColour(hex: string): boolean {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!match) return false;
  const [r, g, b] = match.slice(1).map((part) => parseInt(part, 16) / 255) as [
    number,
    number,
    number,
  ];
  // Relative luminance (WCAG 2.x, sRGB approximated without the gamma curve): dark below one half.
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5;
}
