import { cspViolations, sample, startHarness, type Harness } from './harness';

/**
 * Every page the add-in serves, in real Chromium under the server's real Content-Security-
 * Policy: nothing is blocked while the page does its work, and no page carries inline script or
 * inline event handlers (which the policy would block, so they would be dead code or worse).
 */

const HEADERS = sample('assets/samples/exchange-online-8-hops.eml');

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const PAGES = [
  ['taskpane.html', true],
  ['commands.html', true],
  ['standalone.html', false],
  ['support.html', false],
] as const;

describe('pages under the Content-Security-Policy', () => {
  test.each(PAGES)('%s loads with no violation and no inline script', async (name, office) => {
    const page = await harness.open(name, office ? { office: { item: headersItem() } } : {});
    const policy = await page.evaluate(async (path) => {
      const reply = await fetch(path);
      return reply.headers.get('content-security-policy');
    }, `/${name}`);
    expect(policy).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    if (name === 'taskpane.html') await page.getByTestId('verdict').waitFor();
    if (name === 'standalone.html') {
      await page.getByRole('textbox', { name: /Paste the message headers/ }).fill(HEADERS);
      await page.getByRole('button', { name: 'Analyze' }).click();
      await page.getByTestId('verdict').waitFor();
    }
    const inline = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script:not([src])').length,
      handlers: [...document.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => /^on/i.test(attribute.name))
          .map((attribute) => `${element.tagName} ${attribute.name}`),
      ),
    }));
    expect(inline).toEqual({ scripts: 0, handlers: [] });
    expect(await cspViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('would see a violation: an inline script injected at run time is blocked and reported', async () => {
    const page = await harness.open('support.html');
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "injected"';
      document.body.append(script);
    });
    await page.waitForFunction(
      () => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0,
    );
    expect(await page.title()).not.toBe('injected');
    expect(await cspViolations(page)).toEqual(['script-src-elem: inline']);
    await page.context().close();
  });
});

function headersItem() {
  return { itemId: 'item-1', subject: 'CSP', from: 'renee@example.com', headers: HEADERS };
}
