import path from 'node:path';
import type { Page } from 'playwright-core';
import type { FakeItem, FakeNotification, FakeOfficeOptions } from '../support/fake-office';
import { sample, SCREENSHOTS, seriousViolations, startHarness, type Harness } from './harness';

const ENCRYPTED = sample('assets/samples/exchange-online-8-hops.eml');
const CLEARTEXT = sample('test/fixtures/headers/postfix-loopback-cleartext.eml');
const WEAK = sample('test/fixtures/headers/proofpoint-weak-tls10.eml');

const message = (overrides: Partial<FakeItem> = {}): FakeItem => ({
  itemId: 'item-1',
  subject: 'Rapport trimestriel',
  from: 'renee@example.com',
  headers: ENCRYPTED,
  ...overrides,
});

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

afterEach(() => {
  // Headers never leave the page: nothing but our origin (and office.js) may be requested.
  expect(harness.leaks).toEqual([]);
});

const taskpane = (office: FakeOfficeOptions, colorScheme: 'light' | 'dark' = 'light') =>
  harness.open('taskpane.html', { office, colorScheme });

async function verdictText(page: Page): Promise<string> {
  return (await page.getByTestId('verdict').textContent()) ?? '';
}

async function hopBadges(page: Page): Promise<string[]> {
  return page.getByTestId('hop-tls').allTextContents();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('task pane in Outlook (fake Office, real Chromium)', () => {
  it('shows the verdict and 8 hops for the Exchange Online sample', async () => {
    const page = await taskpane({ item: message() });
    await page.getByTestId('verdict').waitFor();
    expect(await verdictText(page)).toMatch(
      /^Encrypted on every hop\s*Encrypted on all 7 relay hops \(TLS 1\.2–1\.3\)\./,
    );
    expect(await hopBadges(page)).toEqual([
      'Internal',
      'TLS 1.2',
      'TLS 1.2',
      'TLS 1.3',
      'TLS 1.3',
      'TLS 1.3',
      'TLS 1.3',
      'TLS 1.2',
    ]);
    const shownAt = await page.evaluate(
      () => performance.getEntriesByName('mti-verdict-shown')[0]?.startTime ?? null,
    );
    expect(shownAt).not.toBeNull();
    await screenshot(page, 'taskpane-encrypted');
    await page.close();
  });

  test.each([
    [
      'cleartext',
      CLEARTEXT,
      /^Not encrypted on every hop\s*Not encrypted on hop 3 \(localhost → relay\.example\.org\)/,
      ['Internal', 'TLS 1.3', 'Not encrypted', 'TLS 1.3', 'Internal'],
    ],
    [
      'weak',
      WEAK,
      /^Encrypted, but weakly on some hops\s*Encrypted on all 3 relay hops .*TLS 1\.0 is deprecated/,
      ['TLS', 'Weak TLS 1.0', 'TLS'],
    ],
  ])('shows the %s sample', async (name, headers, verdict, badges) => {
    const page = await taskpane({ item: message({ headers }) });
    await page.getByTestId('verdict').waitFor();
    expect(await verdictText(page)).toMatch(verdict);
    expect(await hopBadges(page)).toEqual(badges);
    await screenshot(page, `taskpane-${name}`);
    await page.close();
  });

  it('names the cleartext hop, and shows its evidence when opened', async () => {
    const page = await taskpane({ item: message({ headers: CLEARTEXT }) });
    await page.getByTestId('verdict').waitFor();
    expect(await verdictText(page)).toMatch(/^Not encrypted/);
    const hops = page.getByTestId('hop');
    const cleartext = hops.filter({ hasText: 'Not encrypted' }).first();
    await cleartext.getByRole('button').click();
    const evidence = cleartext.locator('mark');
    await expect(evidence.textContent()).resolves.toMatch(/with E?SMTP/);
    await screenshot(page, 'taskpane-cleartext-hop-open');
    await page.close();
  });

  it('follows ItemChanged in a pinned pane, and re-reads nothing for the same item', async () => {
    const page = await taskpane({ item: message() });
    await page.getByTestId('verdict').waitFor();
    await page.evaluate(
      ([headers]) => {
        const office = (window as unknown as { fakeOutlook: { selectItem(i: unknown): void } })
          .fakeOutlook;
        office.selectItem({ itemId: 'item-2', subject: 's', from: 'f@example.net', headers });
      },
      [CLEARTEXT],
    );
    await page
      .getByTestId('verdict')
      .filter({ hasText: /^Not encrypted/ })
      .waitFor();
    const reads = await page.evaluate(() => {
      const office = (
        window as unknown as { fakeOutlook: { fireItemChanged(): void; headerReads: number } }
      ).fakeOutlook;
      office.fireItemChanged();
      return new Promise<number>((resolve) => setTimeout(() => resolve(office.headerReads), 100));
    });
    expect(reads).toBe(2);
    await page.close();
  });

  it('copies the report to the clipboard and checks pasted headers from inside the pane', async () => {
    const page = await taskpane({ item: message() });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: harness.origin,
    });
    await page.getByRole('button', { name: 'Copy report' }).click();
    await page.getByText('The report is on the clipboard.').waitFor();
    const report = await page.evaluate(() => navigator.clipboard.readText());
    expect(report).toMatch(/^Subject: Rapport trimestriel – révision finale\n/);
    expect(report).toContain('Encrypted on all 7 relay hops (TLS 1.2–1.3).');

    await page.getByRole('button', { name: 'Check other headers' }).click();
    await page.getByRole('textbox', { name: /Paste the message headers/ }).fill(CLEARTEXT);
    await page.getByRole('button', { name: 'Analyze' }).click();
    await page
      .getByTestId('verdict')
      .filter({ hasText: /^Not encrypted/ })
      .waitFor();
    expect(await page.getByTestId('origin').textContent()).toMatch(/^Headers you pasted\./);
    await page.getByRole('button', { name: 'Back to the selected message' }).click();
    await page
      .getByTestId('verdict')
      .filter({ hasText: /^Encrypted on every hop/ })
      .waitFor();
    await page.close();
  });

  const errorStates: [string, FakeOfficeOptions, RegExp][] = [
    [
      'unsupported',
      { item: message(), mailboxVersion: '1.5' },
      /cannot give add-ins the message headers/,
    ],
    ['empty', { item: message({ headers: '' }) }, /Sent Items/],
    ['no-item', { item: null }, /No message is selected/],
    [
      'transient',
      {
        item: message({
          headerFailures: {
            error: {
              code: 9020,
              name: 'GenericResponseError',
              message: 'An internal error occurred.',
            },
            times: 1,
          },
        }),
      },
      /temporary problem/,
    ],
  ];

  test.each(errorStates)(
    'explains the %s state and offers the paste box',
    async (code, office, text) => {
      const page = await taskpane(office);
      const error = page.getByTestId('read-error');
      await error.waitFor();
      expect(await error.getAttribute('data-code')).toBe(code);
      expect(await error.textContent()).toMatch(text);
      await page.getByTestId('paste').waitFor({ state: 'visible' });
      await screenshot(page, `taskpane-error-${code}`);
      if (code === 'transient') {
        await page.getByRole('button', { name: 'Try again' }).click();
        await page
          .getByTestId('verdict')
          .filter({ hasText: /^Encrypted on every hop/ })
          .waitFor();
      }
      await page.close();
    },
  );

  it('falls back to the paste box when office.js cannot load', async () => {
    const page = await harness.open('taskpane.html');
    await page
      .getByRole('textbox', { name: /Paste the message headers/ })
      .waitFor({ timeout: 15_000 });
    await page.close();
  });
});

describe('Quick verdict command', () => {
  async function quickVerdict(office: FakeOfficeOptions): Promise<FakeNotification[]> {
    const page = await harness.open('commands.html', { office });
    const notifications = await page.evaluate(async () => {
      const office = (
        window as unknown as {
          fakeOutlook: {
            runFunctionCommand(name: string): Promise<void>;
            notifications: unknown[];
            registeredFunctions(): string[];
          };
        }
      ).fakeOutlook;
      for (let i = 0; i < 50 && office.registeredFunctions().length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await office.runFunctionCommand('showQuickVerdict');
      return office.notifications;
    });
    await page.close();
    return notifications as FakeNotification[];
  }

  it('puts the verdict sentence in the info bar', async () => {
    expect(await quickVerdict({ item: message() })).toEqual([
      expect.objectContaining({
        type: 'informationalMessage',
        message: 'Encrypted on all 7 relay hops (TLS 1.2–1.3).',
      }),
    ]);
  });

  it('shows cleartext as an error notification', async () => {
    const [notification] = await quickVerdict({ item: message({ headers: CLEARTEXT }) });
    expect(notification?.type).toBe('errorMessage');
    expect(notification?.message).toMatch(/^Not encrypted/);
  });
});

describe('standalone page', () => {
  it('analyzes pasted headers without loading office.js', async () => {
    const page = await harness.open('standalone.html');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.getByRole('textbox', { name: /Paste the message headers/ }).fill(CLEARTEXT);
    await page.getByRole('button', { name: 'Analyze' }).click();
    await page.getByTestId('verdict').waitFor();
    expect(await verdictText(page)).toMatch(/^Not encrypted/);
    expect(requests.filter((url) => url.includes('appsforoffice'))).toEqual([]);
    await screenshot(page, 'standalone-pasted');
    await page.close();
  });

  it('analyzes a dropped .eml file', async () => {
    const page = await harness.open('standalone.html');
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.eml', { type: 'message/rfc822' }));
      return transfer;
    }, WEAK);
    await page.getByTestId('paste').dispatchEvent('drop', { dataTransfer });
    await page.getByTestId('verdict').waitFor();
    expect(await verdictText(page)).toMatch(/^Encrypted, but weakly on some hops/);
    expect(await page.getByTestId('origin').textContent()).toBe(
      'Headers of the file "dropped.eml". ',
    );
    await page.close();
  });

  it('analyzes an opened .eml file', async () => {
    const page = await harness.open('standalone.html');
    await page.locator('input[type=file]').setInputFiles({
      name: 'sample.eml',
      mimeType: 'message/rfc822',
      buffer: Buffer.from(ENCRYPTED),
    });
    await page.getByTestId('verdict').waitFor();
    expect(await verdictText(page)).toMatch(/^Encrypted on every hop/);
    await page.close();
  });
});

describe('accessibility (axe-core, 320 px wide)', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`has no serious or critical violations in the ${theme} theme, with a hop open`, async () => {
      const page = await taskpane(
        {
          item: message({ headers: CLEARTEXT }),
          themeBackground: theme === 'dark' ? '#1f1f1f' : '#ffffff',
        },
        theme,
      );
      await page.getByTestId('verdict').waitFor();
      expect(await page.locator('main').getAttribute('data-theme')).toBe(theme);
      await page.getByTestId('hop').first().getByRole('button').click();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `taskpane-axe-${theme}`);
      await page.close();
    });

    it(`has no serious or critical violations on the standalone page (${theme})`, async () => {
      const page = await harness.open('standalone.html', { colorScheme: theme });
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `standalone-${theme}`);
      await page.close();
    });
  }
});
