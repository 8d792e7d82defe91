/**
 * The live check against a service with the organisation lock, in real Chromium: where the pane
 * cannot sign in (an Outlook without nested app authentication, the standalone page) it says
 * what to do instead, and the header analysis goes on without any sign-in.
 */
import { orgLock } from '../../src/service/http/org-lock';
import { sample, startHarness, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    api: {
      // The check never runs here: every request stops at the lock.
      check: { dnsServers: [{ address: '127.0.0.1', port: 1 }] },
      lock: orgLock({
        tenantId: '11111111-2222-4333-8444-555555555555',
        clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        audiences: ['api://inspector.example.com/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'],
        scope: 'Check.Run',
      }),
    },
  });
});

afterAll(async () => {
  await harness?.close();
});

async function liveCheckError(page: Awaited<ReturnType<Harness['open']>>, domain: string) {
  const panel = page.getByTestId('live-check');
  await panel.getByRole('textbox', { name: /Domain or e-mail address/ }).fill(domain);
  await panel.getByRole('button', { name: 'Check TLS' }).click();
  return (await panel.getByTestId('live-error').textContent()) ?? '';
}

describe('the live check behind the organisation lock', () => {
  it('in an Outlook without nested app authentication, says which Outlook can sign in', async () => {
    const page = await harness.open('taskpane.html', {
      office: {
        item: {
          itemId: 'i',
          subject: 's',
          from: 'a@example.com',
          headers: sample('assets/samples/exchange-online-8-hops.eml'),
        },
      },
    });
    // The analysis needs no sign-in.
    await page.getByTestId('verdict').waitFor();
    expect(await liveCheckError(page, 'example.com')).toMatch(
      /admits only signed-in members of its organisation, and this version of Outlook cannot sign add-ins in/,
    );
  });

  it('on the standalone page, points to the add-in in Outlook', async () => {
    const page = await harness.open('standalone.html');
    expect(await liveCheckError(page, 'example.com')).toMatch(
      /run the live check from the add-in in Outlook/,
    );
  });
});
