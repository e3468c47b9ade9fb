import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './chromium-path.ts';

export { CHROMIUM_PATH };
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package: apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** Everything a page did that a report must never do, collected while it is open. */
export interface PageWatch {
  /** Console errors and uncaught exceptions. */
  errors: string[];
  dialogs: string[];
  /** Requests for anything but the report file itself. */
  requests: string[];
}

export interface OpenedReport {
  page: Page;
  watch: PageWatch;
  /** CSP violations the page reported, read from the page. */
  readViolations: () => Promise<string[]>;
  close: () => Promise<void>;
}

/**
 * Opens a report file in a fresh context and watches it: console errors, page errors, dialogs
 * (dismissed), and any request other than the file. Before the page's own code runs, a listener
 * records CSP violation events in `window.__cspViolations`.
 */
export async function openReportFile(browser: Browser, file: string, options: BrowserContextOptions = {}): Promise<OpenedReport> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, ...options });
  // In-page code is written as text: this project's TypeScript has no DOM types.
  await context.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push(event.violatedDirective + ': ' + event.blockedURI));`,
  });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const watch: PageWatch = { errors: [], dialogs: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => watch.errors.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (request.url().split('#')[0] !== url) watch.requests.push(request.url());
  });
  await page.goto(url);
  return {
    page,
    watch,
    readViolations: async () => {
      const violations: unknown = await page.evaluate('window.__cspViolations ?? []');
      return Array.isArray(violations) ? violations.map(String) : [];
    },
    close: () => context.close(),
  };
}

/** Waits until the page's script has read the embedded data and drawn the attempt list. */
export async function waitUntilReady(page: Page, timeoutMs = 10_000): Promise<void> {
  // A selector, not a polled function: the report's policy forbids the eval that polling needs.
  await page.waitForSelector('html[data-report-state="ready"], html[data-report-state="error"]', { state: 'attached', timeout: timeoutMs });
  const state: unknown = await page.evaluate('document.documentElement.dataset.reportState');
  if (state !== 'ready') throw new Error(`the report's script ended in state ${String(state)}`);
}

/** The trimmed text of every element a locator matches (not the rendered text: CSS casing is ignored). */
export async function readTexts(locator: Locator): Promise<string[]> {
  return (await locator.allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** The text of the one element a locator matches; fails when it matches none or several. */
export async function readText(locator: Locator): Promise<string> {
  const texts = await readTexts(locator);
  if (texts.length !== 1) throw new Error(`expected one element, found ${texts.length}`);
  return texts[0] ?? '';
}
