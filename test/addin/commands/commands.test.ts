import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  installFakeOffice,
  type FakeItem,
  type FakeOfficeOptions,
} from '../../support/fake-office';

const read = (file: string) => readFileSync(path.join(__dirname, '../../..', file), 'utf8');
const ENCRYPTED = read('assets/samples/exchange-online-8-hops.eml');
const CLEARTEXT = read('test/fixtures/headers/postfix-loopback-cleartext.eml');
const item = (headers: string): FakeItem => ({
  itemId: 'i',
  subject: 's',
  from: 'f@example.com',
  headers,
});
const win = window as unknown as Record<string, unknown>;

/** Loads the commands page's script as Outlook does: Office first, then the bundle. */
async function loadCommands(options: FakeOfficeOptions) {
  const office = installFakeOffice(win, options);
  // A fresh module registry: the page's script registers its functions when it loads.
  await jest.isolateModulesAsync(async () => {
    await import('../../../src/addin/commands/commands');
  });
  await new Promise((resolve) => setTimeout(resolve, 5));
  return office;
}

afterEach(() => {
  delete win.Office;
});

describe('Quick verdict', () => {
  it('registers every function the manifest names', async () => {
    const office = await loadCommands({ item: item(ENCRYPTED) });
    const { FUNCTION_COMMANDS } = await import('../../../src/addin/commands/function-names');
    expect(office.registeredFunctions()).toEqual(Object.values(FUNCTION_COMMANDS));
  });

  it('shows the verdict sentence as an informational message with the manifest icon', async () => {
    const office = await loadCommands({ item: item(ENCRYPTED) });
    await office.runFunctionCommand('showQuickVerdict');
    expect(office.notifications).toEqual([
      {
        key: 'mailTlsInspectorVerdict',
        type: 'informationalMessage',
        message: 'Encrypted on all 7 relay hops (TLS 1.2–1.3).',
        icon: 'Icon.16x16',
        persistent: false,
      },
    ]);
  });

  it('shows cleartext as an error message, replacing the earlier one', async () => {
    const office = await loadCommands({ item: item(ENCRYPTED) });
    await office.runFunctionCommand('showQuickVerdict');
    office.setItem(item(CLEARTEXT));
    await office.runFunctionCommand('showQuickVerdict');
    expect(office.notifications).toHaveLength(1);
    expect(office.notifications[0]).toMatchObject({ type: 'errorMessage' });
    expect(office.notifications[0]?.message).toMatch(/^Not encrypted/);
  });

  it('explains why when the headers cannot be read, within Outlook’s 150 characters', async () => {
    const office = await loadCommands({ item: item(ENCRYPTED), mailboxVersion: '1.5' });
    await office.runFunctionCommand('showQuickVerdict');
    const [notification] = office.notifications;
    expect(notification?.type).toBe('errorMessage');
    expect(notification?.message).toMatch(
      /^This version of Outlook cannot give add-ins the message headers/,
    );
    expect(notification?.message.length).toBeLessThanOrEqual(150);
  });

  it('always completes the ribbon event, even when nothing is selected', async () => {
    const office = await loadCommands({ item: null });
    await expect(office.runFunctionCommand('showQuickVerdict')).resolves.toBeUndefined();
  });
});
