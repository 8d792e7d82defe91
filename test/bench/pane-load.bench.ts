/**
 * npm run bench:pane — time from page load to the verdict on screen, in headless Chromium, for
 * the 8-hop Exchange Online sample with a fake Office (served in place of office.js). Each run
 * is a fresh browser context, so nothing is cached between runs. Target: median ≤ 300 ms.
 * As in the analyzer bench, the loads run in rounds and the quietest round's median is the
 * result: this machine shares its CPU, and a neighbour can slow a whole round several-fold.
 * Needs the production build and the Debian packages chromium and libnss3-tools.
 */
import { sample, startHarness } from '../e2e/harness';

const ROUNDS = 3;
const RUNS_PER_ROUND = 10;
const TARGET_MS = 300;

async function main(): Promise<void> {
  const harness = await startHarness();
  const headers = sample('assets/samples/exchange-online-8-hops.eml');
  const rounds: number[][] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const times: number[] = [];
      for (let run = 0; run < RUNS_PER_ROUND; run++) {
        const page = await harness.open('taskpane.html', {
          office: {
            item: { itemId: `run-${round}-${run}`, subject: 's', from: 'f@example.com', headers },
          },
        });
        await page.getByTestId('verdict').waitFor();
        times.push(
          await page.evaluate(
            () => performance.getEntriesByName('mti-verdict-shown')[0]?.startTime ?? NaN,
          ),
        );
        await page.context().close();
      }
      rounds.push(times.sort((a, b) => a - b));
    }
  } finally {
    await harness.close();
  }
  const medianOf = (times: number[]) => times[Math.floor(times.length / 2)] ?? NaN;
  const medians = rounds.map(medianOf);
  const median = Math.min(...medians);
  const all = rounds.flat().sort((a, b) => a - b);
  const ok = median <= TARGET_MS;
  console.log(
    `Task pane, page load → verdict shown (${ROUNDS} rounds of ${RUNS_PER_ROUND} cold loads, Chromium headless)`,
  );
  console.log(
    `  median ${median.toFixed(0)} ms (quietest round; rounds ${medians.map((m) => m.toFixed(0)).join(', ')} ms)  min ${all[0]?.toFixed(0)} ms  max ${all.at(-1)?.toFixed(0)} ms  ≤ ${TARGET_MS} ms  ${ok ? 'ok' : 'MISSED'}`,
  );
  process.exit(ok ? 0 : 1);
}

void main();
