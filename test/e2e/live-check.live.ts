/**
 * The pane's live-check panel in real Chromium, talking to the real API, which checks the
 * lab's real servers (run by the live suite, which starts the lab).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DNS } from '../lab/lab';
import { SCREENSHOTS, sample, seriousViolations, startHarness, type Harness } from './harness';

const labCa = readFileSync(process.env.MTI_LAB_CA as string, 'utf8');
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    api: {
      check: { dnsServers: [DNS], allowPrivate: true, extraCa: [labCa], bannerTimeoutMs: 10_000 },
      perClientPerMinute: 100,
    },
  });
});

afterAll(async () => {
  await harness?.close();
});

async function runCheck(page: Page, domain?: string) {
  const panel = page.getByTestId('live-check');
  await panel.waitFor();
  if (domain !== undefined)
    await panel.getByRole('textbox', { name: /Domain or e-mail address/ }).fill(domain);
  await panel.getByRole('button', { name: 'Check TLS' }).click();
  const result = panel.getByTestId('live-result');
  await result.waitFor({ timeout: 30_000 });
  return result;
}

describe('live check panel', () => {
  it('checks the sender domain of the selected message by default, with MX details and transcript', async () => {
    const headers = sample('test/fixtures/headers/proofpoint-weak-tls10.eml');
    const page = await harness.open('taskpane.html', {
      office: { item: { itemId: 'i', subject: 's', from: 'billing@legacy.mti.test', headers } },
    });
    await page.getByTestId('verdict').waitFor();
    const input = page
      .getByTestId('live-check')
      .getByRole('textbox', { name: /Domain or e-mail address/ });
    await input.waitFor();
    expect(await input.inputValue()).toBe('legacy.mti.test');
    const result = await runCheck(page);
    expect(await result.getAttribute('data-grade')).toBe('warn');
    expect(await result.textContent()).toContain('still accepts TLSv1 and TLSv1.1');
    const mx = page.getByTestId('live-mx');
    expect(await mx.count()).toBe(1);
    expect(await mx.first().textContent()).toMatch(
      /10 mx\.legacy\.mti\.test.*127\.0\.0\.16.*TLS 1\.3.*trusted.*TLS 1\.0\/1\.1 accepted/,
    );
    await mx.first().getByRole('button').click();
    const transcript = page.getByLabel('Transcript with mx.legacy.mti.test');
    expect(await transcript.textContent()).toMatch(/\[\d{3}\.\d{3}\] 127\.0\.0\.16 > STARTTLS/);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'live-check-legacy.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('shows a failing domain and its reasons on the standalone page', async () => {
    const page = await harness.open('standalone.html');
    const result = await runCheck(page, 'good.mti.test');
    expect(await result.getAttribute('data-grade')).toBe('fail');
    expect(await result.textContent()).toContain('No TLSA record of mx2.good.mti.test matches');
    expect(await page.getByTestId('live-mx').count()).toBe(2);
    expect(await page.getByTestId('live-mx').nth(1).textContent()).toContain('Force TLS');
    await page.getByTestId('live-mx').nth(1).getByRole('button').click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'live-check-good.png'), fullPage: true });
    await page.close();
  });

  it('explains a refusal from the service', async () => {
    const page = await harness.open('standalone.html');
    const panel = page.getByTestId('live-check');
    await panel.waitFor();
    await panel.getByRole('textbox', { name: /Domain or e-mail address/ }).fill('192.0.2.1');
    await panel.getByRole('button', { name: 'Check TLS' }).click();
    const error = panel.getByTestId('live-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(
      /is not a mail domain: an address literal has no MX records/,
    );
    await page.close();
  });
});
