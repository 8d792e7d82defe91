/**
 * A fake of the slice of Office.js the add-in uses, written by us from the Office.js reference:
 * Office.onReady, requirement sets, the read-mode item (headers, attachments, notification
 * messages), mailbox events and Office.actions. Component tests install it on jsdom's window;
 * the end-to-end run bundles this file and serves it in place of office.js from Microsoft's CDN.
 *
 * Items are plain data so that a browser test can describe them through page.evaluate.
 */

export interface FakeAttachment {
  id: string;
  name: string;
  attachmentType: 'file' | 'item' | 'cloud';
  contentType: string;
  /** What getAttachmentContentAsync returns; an error object makes it fail. */
  content: { format: 'eml' | 'base64' | 'url'; content: string } | { error: FakeError };
}

export interface FakeError {
  code: number;
  name: string;
  message: string;
}

export interface FakeItem {
  itemId: string;
  itemType?: 'message' | 'appointment';
  subject: string;
  from: string;
  /** The string getAllInternetHeadersAsync returns (may be '' as for Sent Items). */
  headers: string;
  /** Makes the next N header reads fail with this error, then succeed. */
  headerFailures?: { error: FakeError; times: number };
  attachments?: FakeAttachment[];
}

export interface FakeOfficeOptions {
  /** Highest Mailbox requirement set the fake client supports (Outlook mobile: "1.5"). */
  mailboxVersion?: string;
  host?: 'Outlook' | 'Word' | null;
  item?: FakeItem | null;
  /** Office theme body background; null leaves officeTheme undefined. */
  themeBackground?: string | null;
}

export interface FakeNotification {
  key: string;
  type: string;
  message: string;
  icon?: string;
}

export interface FakeOfficeController {
  setItem(item: FakeItem | null): void;
  /** Selects an item and fires ItemChanged, as a pinned pane sees it. */
  selectItem(item: FakeItem | null): void;
  fireItemChanged(): void;
  setTheme(background: string): void;
  /** Runs a function command the way the ribbon does; resolves when it calls completed(). */
  runFunctionCommand(name: string): Promise<void>;
  registeredFunctions(): string[];
  notifications: FakeNotification[];
  headerReads: number;
}

export function installFakeOffice(
  target: Record<string, unknown>,
  options: FakeOfficeOptions = {},
): FakeOfficeController {
  const mailboxVersion = options.mailboxVersion ?? '1.14';
  let item: FakeItem | null = options.item ?? null;
  let themeBackground = options.themeBackground ?? null;
  const handlers = new Map<string, (() => void)[]>();
  const actions = new Map<string, (event: { completed: () => void }) => void>();
  const notifications: FakeNotification[] = [];

  const succeeded = <T>(value: T) => ({ status: 'succeeded', value });
  const failed = (error: FakeError) => ({ status: 'failed', error, value: undefined });
  const later = (callback: () => void) => setTimeout(callback, 0);

  const controller: FakeOfficeController = {
    setItem: (next) => {
      item = next;
    },
    selectItem: (next) => {
      item = next;
      controller.fireItemChanged();
    },
    fireItemChanged: () => {
      for (const handler of handlers.get('olkItemSelectedChanged') ?? []) later(handler);
    },
    setTheme: (background) => {
      themeBackground = background;
      for (const handler of handlers.get('officeThemeChanged') ?? []) later(handler);
    },
    runFunctionCommand: (name) =>
      new Promise((resolve, reject) => {
        const action = actions.get(name);
        if (!action) reject(new Error(`No function named ${name} was associated.`));
        else action({ completed: () => resolve() });
      }),
    registeredFunctions: () => [...actions.keys()],
    notifications,
    headerReads: 0,
  };

  /** The read-mode item as Office.js shapes it, built fresh for the current fake item. */
  const officeItem = () => {
    const current = item;
    if (current === null) return null;
    const hasHeaders = compareVersions(mailboxVersion, '1.8') >= 0;
    return {
      itemId: current.itemId,
      itemType: current.itemType ?? 'message',
      subject: current.subject,
      internetMessageId: `<${current.itemId}@fake>`,
      dateTimeCreated: new Date(0),
      from: { emailAddress: current.from, displayName: current.from },
      sender: { emailAddress: current.from, displayName: current.from },
      attachments: (current.attachments ?? []).map((attachment) => ({
        id: attachment.id,
        name: attachment.name,
        attachmentType: attachment.attachmentType,
        contentType: attachment.contentType,
        size: 1,
        isInline: false,
      })),
      getAllInternetHeadersAsync: hasHeaders
        ? (callback: (result: unknown) => void) => {
            controller.headerReads++;
            const failures = current.headerFailures;
            if (failures && failures.times > 0) {
              failures.times--;
              later(() => callback(failed(failures.error)));
            } else later(() => callback(succeeded(current.headers)));
          }
        : undefined,
      getAttachmentContentAsync: hasHeaders
        ? (id: string, callback: (result: unknown) => void) => {
            const attachment = current.attachments?.find((a) => a.id === id);
            if (!attachment) {
              later(() =>
                callback(
                  failed({
                    code: 9002,
                    name: 'InvalidAttachmentId',
                    message: 'No such attachment.',
                  }),
                ),
              );
            } else if ('error' in attachment.content) {
              const error = attachment.content.error;
              later(() => callback(failed(error)));
            } else {
              const content = attachment.content;
              later(() => callback(succeeded(content)));
            }
          }
        : undefined,
      notificationMessages: {
        replaceAsync: (
          key: string,
          details: { type: string; message: string; icon?: string },
          callback?: (result: unknown) => void,
        ) => {
          if (details.message.length > 150) {
            later(() =>
              callback?.(
                failed({
                  code: 9041,
                  name: 'DataExceedsMaximumSize',
                  message: 'Message too long.',
                }),
              ),
            );
            return;
          }
          const index = notifications.findIndex((n) => n.key === key);
          const entry = { key, ...details };
          if (index >= 0) notifications[index] = entry;
          else notifications.push(entry);
          later(() => callback?.(succeeded(undefined)));
        },
      },
    };
  };

  const context = {
    requirements: {
      isSetSupported: (name: string, version?: string) =>
        name === 'Mailbox' && compareVersions(mailboxVersion, version ?? '1.1') >= 0,
    },
    mailbox: {
      get item() {
        return officeItem();
      },
      addHandlerAsync: (
        type: string,
        handler: () => void,
        callback?: (result: unknown) => void,
      ) => {
        handlers.set(type, [...(handlers.get(type) ?? []), handler]);
        later(() => callback?.(succeeded(undefined)));
      },
    },
    get officeTheme() {
      return themeBackground === null
        ? undefined
        : { bodyBackgroundColor: themeBackground, bodyForegroundColor: '#000000' };
    },
  };

  target.Office = {
    onReady: (callback?: (info: unknown) => void) => {
      const info = {
        host: options.host === undefined ? 'Outlook' : options.host,
        platform: 'OfficeOnline',
      };
      return new Promise((resolve) =>
        later(() => {
          callback?.(info);
          resolve(info);
        }),
      );
    },
    HostType: { Outlook: 'Outlook', Word: 'Word' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { ItemChanged: 'olkItemSelectedChanged', OfficeThemeChanged: 'officeThemeChanged' },
    MailboxEnums: {
      ItemType: { Message: 'message', Appointment: 'appointment' },
      AttachmentType: { File: 'file', Item: 'item', Cloud: 'cloud' },
      AttachmentContentFormat: { Base64: 'base64', Url: 'url', Eml: 'eml', ICalendar: 'iCalendar' },
      ItemNotificationMessageType: {
        ProgressIndicator: 'progressIndicator',
        InformationalMessage: 'informationalMessage',
        ErrorMessage: 'errorMessage',
        InsightMessage: 'insightMessage',
      },
    },
    context,
    actions: {
      associate: (name: string, action: (event: { completed: () => void }) => void) => {
        actions.set(name, action);
      },
    },
  };
  return controller;
}

function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
