import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Pane } from '../../../src/addin/taskpane/Pane';
import { outlookHost } from '../../../src/addin/office/outlook-host';
import {
  installFakeOffice,
  type FakeItem,
  type FakeOfficeOptions,
} from '../../support/fake-office';

const ENCRYPTED = readFileSync(
  path.join(__dirname, '../../../assets/samples/exchange-online-8-hops.eml'),
  'utf8',
);
const CLEARTEXT = readFileSync(
  path.join(__dirname, '../../fixtures/headers/postfix-loopback-cleartext.eml'),
  'utf8',
);

const message = (overrides: Partial<FakeItem> = {}): FakeItem => ({
  itemId: 'item-1',
  subject: 'Quarterly report',
  from: 'renee@example.com',
  headers: ENCRYPTED,
  ...overrides,
});

function renderInOutlook(options: FakeOfficeOptions) {
  const office = installFakeOffice(window as unknown as Record<string, unknown>, options);
  const view = render(<Pane host={outlookHost()} />);
  return { office, view };
}

const verdict = () => screen.findByTestId('verdict');
const hopBadges = () => screen.getAllByTestId('hop-tls').map((badge) => badge.textContent);

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).Office;
});

describe('the pane in Outlook', () => {
  it('shows the verdict and every hop, origin first, for the 8-hop Exchange Online sample', async () => {
    renderInOutlook({ item: message() });
    expect(await verdict()).toHaveTextContent(/^Encrypted on every hop/);
    expect(screen.getAllByTestId('hop')).toHaveLength(8);
    expect(hopBadges()).toEqual([
      'Internal',
      'TLS 1.2',
      'TLS 1.2',
      'TLS 1.3',
      'TLS 1.3',
      'TLS 1.3',
      'TLS 1.3',
      'TLS 1.2',
    ]);
    expect(screen.getAllByTestId('hop')[0]).toHaveTextContent(/^1\. AM6PR02MB1234/);
  });

  it('names the first cleartext hop when a relay did not use TLS', async () => {
    renderInOutlook({ item: message({ headers: CLEARTEXT }) });
    const banner = await verdict();
    expect(banner).toHaveTextContent(/^Not encrypted/);
    expect(hopBadges()).toContain('Not encrypted');
  });

  it('opens a hop to show the unfolded field with the evidence highlighted', async () => {
    const user = userEvent.setup();
    renderInOutlook({ item: message() });
    await verdict();
    const secondHop = screen.getAllByTestId('hop')[1] as HTMLElement;
    await user.click(within(secondHop).getByRole('button'));
    const evidence = within(secondHop).getByTitle(/evidence/);
    expect(evidence.tagName).toBe('MARK');
    expect(evidence).toHaveTextContent(
      'version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    );
    expect(within(secondHop).getByText('exchange-version-cipher')).toBeInTheDocument();
  });

  it('shows sender authentication with plain explanations', async () => {
    renderInOutlook({ item: message() });
    await verdict();
    const results = (await screen.findAllByTestId('auth-result')).map((r) => r.textContent ?? '');
    expect(results.some((text) => /^SPF\s*pass/.test(text))).toBe(true);
    expect(results.some((text) => /^DMARC\s*pass/.test(text))).toBe(true);
    expect(results.some((text) => /^COMPAUTH\s*pass/.test(text))).toBe(true);
  });

  it('explains RFC 8689 TLS-Required: No', async () => {
    renderInOutlook({ item: message({ headers: `TLS-Required: No\r\n${CLEARTEXT}` }) });
    await verdict();
    expect(screen.getByTestId('tls-required')).toHaveTextContent(/ignore TLS requirements/);
  });

  it('renders hostile header values as text, never as HTML', async () => {
    const user = userEvent.setup();
    const hostile = `Subject: <img src=x onerror="window.pwned=1">\r\nReceived: from <b>evil</b> (<script>alert(1)</script>) by mx.example.net with ESMTPS id 1; Tue, 12 Mar 2024 09:00:00 +0000\r\n`;
    const { view } = renderInOutlook({ item: message({ headers: hostile }) });
    await verdict();
    await user.click(await screen.findByRole('button', { name: 'Message' }));
    expect(screen.getByText('<img src=x onerror="window.pwned=1">')).toBeInTheDocument();
    expect(view.container.querySelector('img, script, b')).toBeNull();
  });
});

describe('when the headers cannot be read', () => {
  const errorCode = async () => (await screen.findByTestId('read-error')).dataset.code;

  it('explains an Outlook without Mailbox 1.8 and offers the paste box', async () => {
    renderInOutlook({ item: message(), mailboxVersion: '1.5' });
    expect(await errorCode()).toBe('unsupported');
    expect(screen.getByTestId('read-error')).toHaveTextContent(/Paste the headers/);
    expect(await screen.findByTestId('paste')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('explains an empty answer, as Outlook gives for Sent Items', async () => {
    renderInOutlook({ item: message({ headers: '' }) });
    expect(await errorCode()).toBe('empty');
    expect(screen.getByTestId('read-error')).toHaveTextContent(/Sent Items/);
  });

  it('offers Try again after transient error 9020, and the retry succeeds', async () => {
    const user = userEvent.setup();
    const { office } = renderInOutlook({
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
    });
    expect(await errorCode()).toBe('transient');
    expect(screen.getByTestId('read-error')).toHaveTextContent('Outlook error 9020');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await verdict()).toHaveTextContent(/^Encrypted on every hop/);
    expect(office.headerReads).toBe(2);
  });

  it('says so when nothing is selected', async () => {
    renderInOutlook({ item: null });
    expect(await errorCode()).toBe('no-item');
  });

  it('says so for an item that is not a message', async () => {
    renderInOutlook({ item: message({ itemType: 'appointment' }) });
    expect(await errorCode()).toBe('not-a-message');
  });
});

describe('the pinned pane', () => {
  it('follows ItemChanged to the newly selected message', async () => {
    const { office } = renderInOutlook({ item: message() });
    expect(await verdict()).toHaveTextContent(/^Encrypted/);
    act(() => office.selectItem(message({ itemId: 'item-2', headers: CLEARTEXT })));
    await waitFor(() => expect(screen.getByTestId('verdict')).toHaveTextContent(/^Not encrypted/));
    act(() => office.selectItem(null));
    expect((await screen.findByTestId('read-error')).dataset.code).toBe('no-item');
  });

  it('does not re-read when ItemChanged repeats for the item on screen', async () => {
    const { office } = renderInOutlook({ item: message() });
    await verdict();
    act(() => office.fireItemChanged());
    act(() => office.fireItemChanged());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(office.headerReads).toBe(1);
  });
});

describe('attached messages', () => {
  it('offers to check a forwarded .eml and shows its own verdict', async () => {
    const user = userEvent.setup();
    renderInOutlook({
      item: message({
        attachments: [
          {
            id: 'att-1',
            name: 'suspicious.eml',
            attachmentType: 'file',
            contentType: 'message/rfc822',
            content: { format: 'base64', content: Buffer.from(CLEARTEXT).toString('base64') },
          },
          {
            id: 'att-2',
            name: 'invoice.pdf',
            attachmentType: 'file',
            contentType: 'application/pdf',
            content: { format: 'base64', content: '' },
          },
        ],
      }),
    });
    expect(await verdict()).toHaveTextContent(/^Encrypted/);
    expect(screen.queryByRole('button', { name: /invoice/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Check “suspicious.eml”' }));
    await waitFor(() => expect(screen.getByTestId('verdict')).toHaveTextContent(/^Not encrypted/));
    expect(screen.getByTestId('origin')).toHaveTextContent('attached message "suspicious.eml"');
    await user.click(screen.getByRole('button', { name: 'Back to the selected message' }));
    await waitFor(() => expect(screen.getByTestId('verdict')).toHaveTextContent(/^Encrypted/));
  });

  it('reads an attached Outlook item, which Office returns as .eml text', async () => {
    const user = userEvent.setup();
    renderInOutlook({
      item: message({
        attachments: [
          {
            id: 'att-1',
            name: 'Fwd: hello',
            attachmentType: 'item',
            contentType: 'message/rfc822',
            content: { format: 'eml', content: CLEARTEXT },
          },
        ],
      }),
    });
    await verdict();
    await user.click(screen.getByRole('button', { name: 'Check “Fwd: hello”' }));
    await waitFor(() => expect(screen.getByTestId('verdict')).toHaveTextContent(/^Not encrypted/));
  });
});

describe('theme', () => {
  it('follows the Office theme, live', async () => {
    const { office, view } = renderInOutlook({ item: message(), themeBackground: '#1f1f1f' });
    await verdict();
    const main = view.container.querySelector('main') as HTMLElement;
    expect(main.dataset.theme).toBe('dark');
    act(() => office.setTheme('#ffffff'));
    await waitFor(() => expect(main.dataset.theme).toBe('light'));
  });
});

describe('Copy report', () => {
  it('puts the plain-text report and the JSON on the clipboard', async () => {
    const user = userEvent.setup();
    renderInOutlook({ item: message() });
    await verdict();
    const clipboard = await navigator.clipboard.readText().catch(() => '');
    expect(clipboard).toBe('');
    await user.click(await screen.findByRole('button', { name: 'Copy report' }));
    expect(await navigator.clipboard.readText()).toMatch(/^Subject: Rapport trimestriel/);
    expect(screen.getByText('The report is on the clipboard.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Copy JSON' }));
    expect(JSON.parse(await navigator.clipboard.readText()).verdict.status).toBe('encrypted');
  });

  it('shows the text selected when the clipboard is blocked', async () => {
    const user = userEvent.setup();
    renderInOutlook({ item: message() });
    await verdict();
    jest.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('NotAllowedError'));
    await user.click(await screen.findByRole('button', { name: 'Copy report' }));
    const fallback = screen.getByRole('textbox', { name: 'The report' }) as HTMLTextAreaElement;
    expect(fallback.value).toMatch(/Encrypted on all/);
    expect(screen.getByText(/press Ctrl\+C/)).toBeInTheDocument();
  });
});

describe('the standalone page', () => {
  it('analyzes pasted headers without any Office', async () => {
    const user = userEvent.setup();
    render(<Pane host={null} />);
    expect(screen.queryByRole('button', { name: 'Refresh' })).toBeNull();
    const box = screen.getByRole('textbox', { name: /Paste the message headers/ });
    await user.click(box);
    await user.paste(CLEARTEXT);
    await user.click(screen.getByRole('button', { name: 'Analyze' }));
    expect(await verdict()).toHaveTextContent(/^Not encrypted/);
    expect(screen.getByTestId('origin')).toHaveTextContent('Headers you pasted.');
  });

  it('analyzes an opened .eml file', async () => {
    const user = userEvent.setup();
    const { container } = render(<Pane host={null} />);
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    await user.upload(input, new File([ENCRYPTED], 'report.eml', { type: 'message/rfc822' }));
    expect(await verdict()).toHaveTextContent(/^Encrypted on every hop/);
    expect(screen.getByTestId('origin')).toHaveTextContent('Headers of the file "report.eml".');
  });

  it('keeps Analyze disabled until something is pasted', () => {
    render(<Pane host={null} />);
    expect(screen.getByRole('button', { name: 'Analyze' })).toBeDisabled();
  });

  it('reports what it could not read in garbage input, without failing', async () => {
    const user = userEvent.setup();
    render(<Pane host={null} />);
    await user.click(screen.getByRole('textbox', { name: /Paste the message headers/ }));
    await user.paste('this is not a header section\u0000\u0001');
    await user.click(screen.getByRole('button', { name: 'Analyze' }));
    expect(await verdict()).toHaveTextContent(/^Encryption unknown/);
    expect(screen.getByTestId('warnings')).toHaveTextContent(/No header fields were found/);
  });
});
