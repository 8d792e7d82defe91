/**
 * npm run bench:pane — time from page load to the verdict on screen, in headless Chromium, for
 * the 8-hop Exchange Online sample with a fake Office (served in place of office.js). Each run
 * is a fresh browser context, so nothing is cached between runs. Target: median ≤ 300 ms.
 * Needs the production build and the Debian packages chromium and libnss3-tools.
 */
import { sample, startHarness } from '../e2e/harness';

const RUNS = 15;
const TARGET_MS = 300;

async function main(): Promise<void> {
  const harness = await startHarness();
  const headers = sample('assets/samples/exchange-online-8-hops.eml');
  const times: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await harness.open('taskpane.html', {
        office: { item: { itemId: `run-${run}`, subject: 's', from: 'f@example.com', headers } },
      });
      await page.getByTestId('verdict').waitFor();
      const shown = await page.evaluate(
        () => performance.getEntriesByName('mti-verdict-shown')[0]?.startTime ?? NaN,
      );
      times.push(shown);
      await page.context().close();
    }
  } finally {
    await harness.close();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? NaN;
  const ok = median <= TARGET_MS;
  console.log(`Task pane, page load → verdict shown (${RUNS} cold loads, Chromium headless)`);
  console.log(
    `  median ${median.toFixed(0)} ms  min ${times[0]?.toFixed(0)} ms  max ${times.at(-1)?.toFixed(0)} ms  ≤ ${TARGET_MS} ms  ${ok ? 'ok' : 'MISSED'}`,
  );
  process.exit(ok ? 0 : 1);
}

void main();
