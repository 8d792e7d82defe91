import { analyzeHeaders } from '../../core';
import { HeaderReadError } from '../host';
import { registerFunctionCommand } from '../office/function-commands';
import { showItemNotification } from '../office/notifications';
import { outlookHost } from '../office/outlook-host';
import { FUNCTION_COMMANDS } from './function-names';

/**
 * Quick verdict: the chain verdict sentence in the message's info bar, without opening the pane.
 * This page loads no React: it must stay small, since Outlook loads it for every click.
 */
export async function showQuickVerdict(): Promise<void> {
  try {
    const message = await outlookHost().readCurrentMessage();
    const { verdict } = analyzeHeaders(message.headers);
    const cleartext =
      verdict.status === 'partially-encrypted' || verdict.status === 'not-encrypted';
    await showItemNotification(cleartext ? 'error' : 'info', verdict.sentence);
  } catch (error) {
    const sentence =
      error instanceof HeaderReadError
        ? error.message
        : 'The Quick verdict failed; open Check TLS for details.';
    await showItemNotification('error', sentence).catch(() => undefined);
  }
}

registerFunctionCommand(FUNCTION_COMMANDS.quickVerdict, showQuickVerdict);
