import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDevCertificate } from '../../src/service/http/dev-certificate';
import { checkApi, type CheckApiOptions } from '../../src/service/http/check-api';
import { createAppServer } from '../../src/service/http/server';
import type { FakeOfficeOptions } from '../support/fake-office';

export const ROOT = path.join(__dirname, '../..');
export const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
export const SCREENSHOTS = path.join(ROOT, 'test-output/e2e');
const DIST = path.join(ROOT, 'dist/addin');
const CHROMIUM = '/usr/bin/chromium';

export interface Harness {
  origin: string;
  browser: Browser;
  /** Requests that tried to leave our origin (other than office.js): must stay empty. */
  leaks: string[];
  open(page: string, options?: OpenOptions): Promise<Page>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The fake Office to serve as office.js; omitted means office.js cannot be loaded. */
  office?: FakeOfficeOptions;
  width?: number;
  colorScheme?: 'light' | 'dark';
  /**
   * Intercept only office.js, letting our own requests go straight to the server: for timing
   * the product rather than the interception. Leaks to other hosts are then not recorded.
   */
  onlyOfficeJs?: boolean;
}

/**
 * Serves the production build over HTTPS with a fresh development CA, and starts Chromium with
 * that CA trusted through its own NSS database (in a temporary HOME). Certificate checking stays
 * on: a page that did not verify would fail to load.
 */
export async function startHarness(options: { api?: CheckApiOptions } = {}): Promise<Harness> {
  if (!existsSync(path.join(DIST, 'taskpane.html'))) {
    throw new Error('dist/addin is missing: run "npm run build" before the end-to-end tests.');
  }
  for (const [tool, pkg] of [
    [CHROMIUM, 'chromium'],
    ['/usr/bin/certutil', 'libnss3-tools'],
  ]) {
    if (!existsSync(tool as string)) {
      throw new Error(`${tool} is missing: install the Debian package ${pkg} (.ci/run does).`);
    }
  }
  const work = mkdtempSync(path.join(tmpdir(), 'mti-e2e-'));
  const dev = await ensureDevCertificate(path.join(work, 'certs'));
  const nssdb = path.join(work, 'home/.pki/nssdb');
  mkdirSync(nssdb, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  execFileSync('certutil', [
    '-d',
    `sql:${nssdb}`,
    '-A',
    '-t',
    'C,,',
    '-n',
    'mti-e2e',
    '-i',
    dev.caCertFile,
  ]);

  const server = createAppServer({
    root: DIST,
    tls: dev,
    log: () => undefined,
    ...(options.api ? { api: checkApi(options.api) } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;

  const fakeOffice = buildSync({
    entryPoints: [path.join(__dirname, 'fake-office.browser.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
  }).outputFiles[0]?.text;
  if (!fakeOffice) throw new Error('The fake office.js did not build.');

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // The server listens on IPv4 loopback; "localhost" must not be tried on ::1 first.
      '--host-resolver-rules=MAP localhost 127.0.0.1',
    ],
    env: { ...process.env, HOME: path.join(work, 'home') },
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const leaks: string[] = [];

  return {
    origin,
    browser,
    leaks,
    async open(pagePath, options = {}) {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 320, height: 900 },
        colorScheme: options.colorScheme ?? 'light',
      });
      const page = await context.newPage();
      await page.route(options.onlyOfficeJs ? OFFICE_JS : '**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`)) return route.continue();
        if (url === OFFICE_JS && options.office) {
          return route.fulfill({ body: fakeOffice, contentType: 'text/javascript' });
        }
        if (url !== OFFICE_JS) leaks.push(url);
        return route.abort('blockedbyclient');
      });
      // Every Content-Security-Policy violation the page meets, for cspViolations().
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (event) =>
          seen.push(`${event.effectiveDirective}: ${event.blockedURI || 'inline'}`),
        );
      });
      if (options.office) {
        await page.addInitScript((office) => {
          (window as unknown as { fakeOfficeOptions: unknown }).fakeOfficeOptions = office;
        }, options.office);
      }
      await page.goto(`${origin}/${pagePath}`);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function sample(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

/** axe-core with the WCAG 2.1 A/AA rules: the serious and critical violations, as text. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The Content-Security-Policy violations the page has met since it opened. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}
