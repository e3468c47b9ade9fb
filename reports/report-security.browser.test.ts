import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from './render-html.ts';
import { launchChromium, openReportFile, readTexts, waitUntilReady, type OpenedReport } from '../runners/bench/support/browser.ts';
import { HOSTILE_PAYLOADS, createHostileSummary } from '../runners/testing/support/reports/hostile-summary.ts';

/**
 * Model output aimed at every way out of its escaping — script tags, event-handler attributes,
 * `</script>` breakouts, javascript: links, loads — fed through messages, tool inputs and
 * outputs, file contents, file names, check evidence, attempt ids and prompts, then every part of
 * the report opened in Chromium. Nothing may run (no `window.__pwned`, no dialog) and nothing may
 * load, with the Content-Security-Policy and, to prove the escaping alone, without it.
 */
let browser: Browser;
let directory: string;
const opened: OpenedReport[] = [];
const hostileHtml = renderHtmlReport(createHostileSummary())[0]?.contents ?? '';

function writeReport(name: string, contents: string): string {
  const file = path.join(directory, name, 'report.html');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, contents);
  return file;
}

async function open(file: string): Promise<OpenedReport> {
  const report = await openReportFile(browser, file);
  opened.push(report);
  return report;
}

/** Opens every attempt's drill-down, unfolds everything in it, hovers it, and compares every prompt. */
async function exerciseEveryPart(page: Page): Promise<number> {
  const rows = await page.locator('#attempt-rows a[data-attempt]').count();
  for (let index = 0; index < rows; index += 1) {
    await page.locator('#attempt-rows a[data-attempt]').nth(index).click();
    await page.locator('#drawer article.attempt').waitFor();
    await page.evaluate("document.querySelectorAll('#drawer details').forEach((element) => { element.open = true; })");
    await page.locator('#drawer-body').hover();
    await page.keyboard.press('Escape');
  }
  const prompts = await page.locator('#compare-left option').count();
  for (let index = 0; index < prompts; index += 1) await page.selectOption('#compare-left', String(index));
  await page.evaluate("document.querySelectorAll('details').forEach((element) => { element.open = true; })");
  await page.locator('#failures a[data-attempt]').first().click();
  await page.locator('#drawer article.attempt').waitFor();
  return rows;
}

async function readPwned(page: Page): Promise<unknown> {
  return page.evaluate('window.__pwned');
}

/** Elements or attributes the model wrote would show up here. */
async function countInjectedElements(page: Page): Promise<number> {
  const count: unknown = await page.evaluate(`[...document.querySelectorAll('*')].filter((element) =>
    ['IMG', 'IFRAME', 'LINK', 'BASE', 'TEXTAREA'].includes(element.tagName) ||
    (element.tagName === 'SCRIPT' && element.id !== 'report-data' && element !== document.scripts[document.scripts.length - 1]) ||
    [...element.attributes].some((attribute) => attribute.name.startsWith('on') || attribute.name === 'srcdoc' || /^\\s*javascript:/i.test(attribute.value))
  ).length`);
  if (typeof count !== 'number') throw new Error('the page did not count its elements');
  return count;
}

beforeAll(async () => {
  browser = await launchChromium();
  directory = mkdtempSync(path.join(tmpdir(), 'report-security-'));
});

afterAll(async () => {
  for (const report of opened) await report.close();
  await browser?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('hostile model output in Chromium', () => {
  it('runs nothing and loads nothing, with every part of the report opened', async () => {
    const report = await open(writeReport('hostile', hostileHtml));
    const { page } = report;
    await waitUntilReady(page);
    expect(await exerciseEveryPart(page)).toBe(6);
    expect(await readPwned(page)).toBeUndefined();
    expect(await countInjectedElements(page)).toBe(0);
    expect(report.watch).toEqual({ errors: [], dialogs: [], requests: [] });
    expect(await report.readViolations()).toEqual([]);
    const shown = (await readTexts(page.locator('#drawer .verdict-detail, #drawer .tl-text'))).join('\n');
    expect(shown).toContain(HOSTILE_PAYLOADS[2]);
    expect(shown).toContain(HOSTILE_PAYLOADS[1]);
  });

  it('still runs nothing with the Content-Security-Policy taken out: the escaping alone holds', async () => {
    const withoutPolicy = hostileHtml.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(withoutPolicy).not.toContain('Content-Security-Policy');
    const report = await open(writeReport('hostile-no-csp', withoutPolicy));
    const { page } = report;
    await waitUntilReady(page);
    await exerciseEveryPart(page);
    expect(await readPwned(page)).toBeUndefined();
    expect(await countInjectedElements(page)).toBe(0);
    expect(report.watch).toEqual({ errors: [], dialogs: [], requests: [] });
  });

  it('the policy stops a script that escaping would have let through, and only that', async () => {
    const injected = hostileHtml.replace('</footer>', `</footer>${HOSTILE_PAYLOADS[0]}<img src=x onerror="window.__pwned=2">`);
    const report = await open(writeReport('injected', injected));
    const { page } = report;
    await waitUntilReady(page);
    expect(await readPwned(page)).toBeUndefined();
    expect(report.watch.dialogs).toEqual([]);
    const violations = await report.readViolations();
    expect(violations.some((violation) => violation.startsWith('script-src'))).toBe(true);
    expect(violations.some((violation) => violation.startsWith('img-src'))).toBe(true);
    // The page's own script still ran: it is pinned by its hash.
    expect(await page.locator('#attempt-rows tr').count()).toBe(6);
  });
});
