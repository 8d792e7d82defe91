/**
 * Part of npm run bench: gzip size of what each add-in page loads, from the production build.
 *   - task pane: its HTML and every script and stylesheet it references from our origin, i.e.
 *     everything loaded before the verdict shows (office.js comes from Microsoft's CDN, is
 *     cached by Outlook for every add-in, and is not ours to shrink) — target ≤ 200 KB;
 *   - commands page (Quick verdict, no React) — target ≤ 30 KB;
 *   - standalone page, reported.
 * Exits 1 when a target is missed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = path.join(__dirname, '../../dist/addin');
const KB = 1024;

if (!existsSync(path.join(DIST, 'taskpane.html'))) {
  console.error('dist/addin is missing: run "npm run build" first.');
  process.exit(66);
}

const gzipBytes = (file: string) =>
  gzipSync(readFileSync(path.join(DIST, file)), { level: 9 }).length;

/** The page and what it pulls from our origin (relative src/href), each gzip-compressed. */
function pageWeight(page: string): { files: [string, number][]; total: number } {
  const html = readFileSync(path.join(DIST, page), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)]
    .map((match) => match[1] as string)
    .filter((url) => !/^https?:/.test(url));
  const files: [string, number][] = [page, ...referenced].map((file) => [file, gzipBytes(file)]);
  return { files, total: files.reduce((sum, [, bytes]) => sum + bytes, 0) };
}

let failed = false;
console.log('Add-in page weight (gzip -9, production build)');
for (const [page, target] of [
  ['taskpane.html', 200],
  ['commands.html', 30],
  ['standalone.html', null],
] as const) {
  const { files, total } = pageWeight(page);
  const ok = target === null || total <= target * KB;
  if (!ok) failed = true;
  const verdict = target === null ? '' : `≤ ${target} KB  ${ok ? 'ok' : 'MISSED'}`;
  console.log(`${page.padEnd(16)} ${(total / KB).toFixed(1).padStart(6)} KB  ${verdict}`);
  for (const [file, bytes] of files)
    console.log(`  ${file.padEnd(30)} ${(bytes / KB).toFixed(1).padStart(6)} KB`);
}
process.exit(failed ? 1 : 0);
