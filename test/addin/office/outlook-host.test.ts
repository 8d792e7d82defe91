import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HeaderReadError, SignInError } from '../../../src/addin/host';
import { isDarkColour, outlookHost } from '../../../src/addin/office/outlook-host';
import { fitNotification, NOTIFICATION_MAX_CHARS } from '../../../src/addin/office/notifications';
import { whenOfficeReady } from '../../../src/addin/office/ready';
import { installFakeOffice, type FakeAttachment, type FakeItem } from '../../support/fake-office';

const HEADERS = readFileSync(
  path.join(__dirname, '../../../assets/samples/exchange-online-8-hops.eml'),
  'utf8',
);
const item = (overrides: Partial<FakeItem> = {}): FakeItem => ({
  itemId: 'AAMkAGI2',
  subject: 'Hello',
  from: 'a@example.com',
  headers: HEADERS,
  ...overrides,
});
const win = window as unknown as Record<string, unknown>;

afterEach(() => {
  delete win.Office;
});

async function readError(promise: Promise<unknown>): Promise<HeaderReadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HeaderReadError);
  return error as HeaderReadError;
}

describe('readCurrentMessage', () => {
  it('returns the headers, key, subject and sender of the selected message', async () => {
    installFakeOffice(win, { item: item() });
    const message = await outlookHost().readCurrentMessage();
    expect(message).toMatchObject({
      key: 'AAMkAGI2',
      subject: 'Hello',
      senderAddress: 'a@example.com',
      attachedMessages: [],
    });
    expect(message.headers).toBe(HEADERS);
  });

  test.each([
    [9020, 'transient', true],
    [5001, 'transient', true],
    [9018, 'transient', true],
    [9041, 'failed', true],
  ])('maps Office error %d to %s (retryable: %s)', async (code, expected, retryable) => {
    installFakeOffice(win, {
      item: item({ headerFailures: { error: { code, name: 'E', message: 'boom' }, times: 1 } }),
    });
    const error = await readError(outlookHost().readCurrentMessage());
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.detail).toBe(`Outlook error ${code}: boom`);
  });

  test.each([
    ['unsupported', { item: item(), mailboxVersion: '1.7' }],
    ['empty', { item: item({ headers: '  \r\n' }) }],
    ['no-item', { item: null }],
    ['not-a-message', { item: item({ itemType: 'appointment' as const }) }],
  ])('rejects with %s', async (code, options) => {
    installFakeOffice(win, options);
    const error = await readError(outlookHost().readCurrentMessage());
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/\.$/);
  });

  it('lists attached messages (item attachments and .eml files) but not other files', async () => {
    installFakeOffice(win, {
      item: item({
        attachments: [
          {
            id: '1',
            name: 'a.EML',
            attachmentType: 'file',
            contentType: 'application/octet-stream',
            content: { format: 'base64', content: '' },
          },
          {
            id: '2',
            name: 'fwd',
            attachmentType: 'item',
            contentType: '',
            content: { format: 'eml', content: '' },
          },
          {
            id: '3',
            name: 'x',
            attachmentType: 'file',
            contentType: 'message/rfc822',
            content: { format: 'base64', content: '' },
          },
          {
            id: '4',
            name: 'report.pdf',
            attachmentType: 'file',
            contentType: 'application/pdf',
            content: { format: 'base64', content: '' },
          },
          {
            id: '5',
            name: 'link.eml',
            attachmentType: 'cloud',
            contentType: 'message/rfc822',
            content: { format: 'url', content: 'https://x' },
          },
        ],
      }),
    });
    const message = await outlookHost().readCurrentMessage();
    expect(message.attachedMessages.map((a) => a.id)).toEqual(['1', '2', '3']);
  });
});

describe('readAttachedMessage', () => {
  const attachment = (content: FakeAttachment['content']) =>
    item({
      attachments: [
        { id: 'a', name: 'm.eml', attachmentType: 'file', contentType: 'message/rfc822', content },
      ],
    });

  it('decodes base64 file content to bytes', async () => {
    installFakeOffice(win, {
      item: attachment({
        format: 'base64',
        content: Buffer.from('Subject: é\r\n').toString('base64'),
      }),
    });
    const raw = await outlookHost().readAttachedMessage({ id: 'a', name: 'm.eml' });
    expect(Buffer.from(raw as Uint8Array).toString('utf8')).toBe('Subject: é\r\n');
  });

  it('returns .eml text for attached items', async () => {
    installFakeOffice(win, { item: attachment({ format: 'eml', content: 'Subject: x\r\n' }) });
    expect(await outlookHost().readAttachedMessage({ id: 'a', name: 'm.eml' })).toBe(
      'Subject: x\r\n',
    );
  });

  it('refuses cloud attachments with a reason', async () => {
    installFakeOffice(win, {
      item: attachment({ format: 'url', content: 'https://contoso.sharepoint.com/x' }),
    });
    const error = await readError(outlookHost().readAttachedMessage({ id: 'a', name: 'm.eml' }));
    expect(error.message).toMatch(/cloud link/);
  });

  it('passes on Outlook failures as typed errors', async () => {
    installFakeOffice(win, {
      item: attachment({ error: { code: 9020, name: 'GenericResponseError', message: 'x' } }),
    });
    const error = await readError(outlookHost().readAttachedMessage({ id: 'a', name: 'm.eml' }));
    expect(error.code).toBe('transient');
  });
});

describe('events and theme', () => {
  it('fans ItemChanged out to every listener and stops after unsubscribe', async () => {
    const office = installFakeOffice(win, { item: item() });
    const host = outlookHost();
    const first = jest.fn();
    const second = jest.fn();
    const stopFirst = host.onItemChanged(first);
    host.onItemChanged(second);
    office.fireItemChanged();
    await new Promise((resolve) => setTimeout(resolve, 5));
    stopFirst();
    office.fireItemChanged();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('keys items by id, and reports null when nothing is selected', () => {
    const office = installFakeOffice(win, { item: item() });
    const host = outlookHost();
    expect(host.currentItemKey()).toBe('AAMkAGI2');
    office.setItem(null);
    expect(host.currentItemKey()).toBeNull();
  });

  test.each([
    ['#ffffff', false],
    ['#1F1F1F', true],
    ['292929', true],
    ['#0F6CBD', true],
    ['#f3f2f1', false],
    ['not a colour', false],
  ])('isDarkColour(%s) = %s', (colour, dark) => {
    expect(isDarkColour(colour)).toBe(dark);
  });

  it('says nothing about the theme when Office does not', () => {
    installFakeOffice(win, { item: item(), themeBackground: null });
    expect(outlookHost().theme()).toBeNull();
  });
});

describe('whenOfficeReady', () => {
  it('is "outlook" inside Outlook', async () => {
    installFakeOffice(win, { host: 'Outlook' });
    await expect(whenOfficeReady(1000)).resolves.toBe('outlook');
  });

  it('is "other-office" in another Office application', async () => {
    installFakeOffice(win, { host: 'Word' });
    await expect(whenOfficeReady(1000)).resolves.toBe('other-office');
  });

  it('is "outside-office" without office.js, at once', async () => {
    await expect(whenOfficeReady(60_000)).resolves.toBe('outside-office');
  });

  it('gives up waiting when Office.onReady never fires (office.js failed to start)', async () => {
    win.Office = { onReady: () => new Promise(() => undefined) };
    await expect(whenOfficeReady(10)).resolves.toBe('outside-office');
  });
});

describe('fitNotification', () => {
  it('keeps short messages as they are', () => {
    expect(fitNotification('Encrypted on all 4 relay hops.')).toBe(
      'Encrypted on all 4 relay hops.',
    );
  });

  it(`cuts long ones at a word to at most ${NOTIFICATION_MAX_CHARS} characters`, () => {
    const long = `Not encrypted on hop 3 (${'a'.repeat(40)}.example.com → mx.example.net) and 2 other hops; 4 of 7 relay hops used TLS (TLS 1.2–1.3).`;
    const fitted = fitNotification(long);
    expect(fitted.length).toBeLessThanOrEqual(NOTIFICATION_MAX_CHARS);
    expect(fitted.endsWith('…')).toBe(true);
    expect(long.startsWith(fitted.slice(0, -1))).toBe(true);
    expect(fitNotification('x'.repeat(400))).toHaveLength(NOTIFICATION_MAX_CHARS);
  });
});

describe('accessToken', () => {
  const hint = {
    clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    authority: 'https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555',
    scopes: ['api://inspector.example.com/Check.Run'],
  };

  it('explains that this Outlook cannot sign add-ins in without nested app authentication', async () => {
    installFakeOffice(win, { item: item() });
    const error = await outlookHost()
      .accessToken(hint)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect(error).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/cannot sign add-ins in\. Use new Outlook/),
    });
  });
});
