/** Outlook cuts notification messages longer than this (NotificationMessageDetails.message). */
export const NOTIFICATION_MAX_CHARS = 150;

/** One key, so a second Quick verdict replaces the first instead of stacking up. */
const NOTIFICATION_KEY = 'mailTlsInspectorVerdict';

/**
 * Shows a line in the info bar of the message being read. Informational messages need an icon
 * declared in the manifest (its resid); errors get Outlook's own icon.
 */
export function showItemNotification(kind: 'info' | 'error', message: string): Promise<void> {
  const item = Office.context.mailbox?.item as Office.MessageRead | null | undefined;
  if (!item) return Promise.reject(new Error('No message is selected.'));
  const details: Office.NotificationMessageDetails =
    kind === 'info'
      ? {
          type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
          message: fitNotification(message),
          icon: 'Icon.16x16',
          persistent: false,
        }
      : {
          type: Office.MailboxEnums.ItemNotificationMessageType.ErrorMessage,
          message: fitNotification(message),
        };
  return new Promise((resolve, reject) => {
    item.notificationMessages.replaceAsync(NOTIFICATION_KEY, details, (result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) resolve();
      else reject(new Error(result.error?.message ?? 'The notification could not be shown.'));
    });
  });
}

/** Shortens a message to Outlook's limit at a word boundary, marking the cut with "…". */
export function fitNotification(message: string): string {
  if (message.length <= NOTIFICATION_MAX_CHARS) return message;
  const room = message.slice(0, NOTIFICATION_MAX_CHARS - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > NOTIFICATION_MAX_CHARS / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}
