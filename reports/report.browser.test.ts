import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from './render-html.ts';
import { SCRIPTED_BANNER } from './report-model.ts';
import { launchChromium, openReportFile, readText, readTexts, waitUntilReady, type OpenedReport } from '../runners/bench/support/browser.ts';
import { createSampleSummary } from '../runners/testing/support/reports/sample-summary.ts';
import { createSyntheticSummary } from '../runners/bench/support/synthetic-summary.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';
import { makeFeatureTranscript, makeRepeats, makeTarget } from '../runners/pipeline/summary/test-support.ts';

/** Screenshots and PDFs land here, to be looked at. */
const SCREENSHOT_DIR = path.join(tmpdir(), 'report-screenshots');

let browser: Browser;
let directory: string;
const opened: OpenedReport[] = [];

function writeReport(name: string, contents: string): string {
  const file = path.join(directory, name, 'report.html');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, contents);
  return file;
}

async function open(file: string, options: Parameters<typeof openReportFile>[2] = {}): Promise<OpenedReport> {
  const report = await openReportFile(browser, file, options);
  opened.push(report);
  return report;
}

/** A broken page fails the test: no console error, no uncaught exception, no dialog, no request. */
function expectHealthy(report: OpenedReport): void {
  expect(report.watch).toEqual({ errors: [], dialogs: [], requests: [] });
}

beforeAll(async () => {
  browser = await launchChromium();
  directory = mkdtempSync(path.join(tmpdir(), 'report-browser-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

afterAll(async () => {
  for (const report of opened) await report.close();
  await browser?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the report in Chromium', () => {
  const sampleFile = (): string => writeReport('sample', renderHtmlReport(createSampleSummary({ scriptedModel: true }))[0]?.contents ?? '');

  it('opens without an error, loads nothing from anywhere, and reads its data', async () => {
    const report = await open(sampleFile());
    await waitUntilReady(report.page);
    await expect.poll(() => readText(report.page.locator('#scripted-banner'))).toContain(SCRIPTED_BANNER);
    await expect.poll(() => readText(report.page.locator('#list-status'))).toBe('6 of 6 attempts match.');
    await report.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sample-first-screen.png') });
    expectHealthy(report);
  });

  it('goes from the scorecard to an attempt: verdict, each check, the diff, the transcript', async () => {
    const report = await open(sampleFile());
    const { page } = report;
    await waitUntilReady(page);
    await page.locator('.scorecard-table a.cfg-target', { hasText: 'qwen-awq' }).click();
    await expect.poll(() => readText(page.locator('#list-status'))).toBe('3 of 6 attempts match.');
    await page.locator('#attempt-rows tr', { hasText: 'Failed: typecheck, tests, permissions' }).click();
    const drawer = page.locator('#drawer');
    await drawer.waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('#attempt=s2-attempt-1');
    await expect.poll(() => readText(drawer.locator('.verdict-box'))).toContain('typecheck: 2 type errors');
    await expect.poll(() => readTexts(drawer.locator('.check-name'))).toEqual(['typecheck', 'lint', 'tests', 'permissions', 'agent-health']);
    await expect.poll(() => readTexts(drawer.locator('.evidence-table td'))).toEqual(expect.arrayContaining(["Cannot find name 'sortBy'."]));
    await expect.poll(() => readTexts(drawer.locator('.diff-file-head code'))).toEqual(['package.json', 'src/components/HoldingsTable.tsx']);
    await expect.poll(() => readText(drawer.locator('tr.line-add', { hasText: 'sortBy(rows, sortKey)' }).locator('td.ln').nth(1))).toBe('11');
    await expect.poll(() => readTexts(drawer.locator('.tl-label'))).toEqual(expect.arrayContaining(['User · turn 1', 'Permission · read', 'Tool · read', 'Retry #1', 'Tool · edit', 'Session error · ContextOverflowError']));
    await drawer.locator('details.inner > summary', { hasText: 'Input' }).first().click();
    await expect.poll(() => readText(drawer.locator('details.inner[open] pre').first())).toContain('.env');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sample-attempt.png') });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).hash).toBe('');
    expectHealthy(report);
  });

  it('shows the scripted answers and the permission decisions in the transcript', async () => {
    const report = await open(`${sampleFile()}`);
    await waitUntilReady(report.page);
    await report.page.goto(`${pathToFileURL(sampleFile()).href}#attempt=s1-attempt-1`);
    await waitUntilReady(report.page);
    const drawer = report.page.locator('#drawer');
    await drawer.waitFor({ state: 'visible' });
    await expect.poll(() => readText(drawer.locator('.qa .a'))).toContain('→ Ascending');
    await expect.poll(() => readText(drawer.locator('.qa .q'))).toBe('Should the default sort be ascending or descending?');
    await report.page.keyboard.press('j');
    await expect.poll(() => readText(drawer.locator('.verdict-box strong'))).toBe('Failed: typecheck, tests, permissions');
    await expect.poll(() => readText(drawer.locator('.tl-permission-rejected .tl-headline'))).toBe('Rejected: .env');
    expectHealthy(report);
  });

  it('opens the attempts of a heatmap cell, and tells infra errors apart', async () => {
    const report = await open(sampleFile());
    const { page } = report;
    await waitUntilReady(page);
    await page.locator('#heatmap td.hm a[data-scenario="1"][data-cohort="2"]').click();
    await expect.poll(() => readText(page.locator('#list-status'))).toBe('2 of 6 attempts match.');
    await expect.poll(() => readTexts(page.locator('#attempt-rows tr .chip.status'))).toEqual(['Infra error (model endpoint)', 'Passed']);
    await expect.poll(() => readText(page.locator('#attempt-rows tr').first().locator('.chip-muted'))).toBe('retried');
    await page.locator('#attempt-rows a[data-attempt]').first().click();
    await expect.poll(() => readText(page.locator('#drawer .verdict-note'))).toContain('Not counted against the model');
    expectHealthy(report);
  });

  it('filters the attempt list by outcome and failed check', async () => {
    const report = await open(sampleFile());
    const { page } = report;
    await waitUntilReady(page);
    await page.selectOption('#filter-outcome', 'not-passed');
    await expect.poll(() => readText(page.locator('#list-status'))).toBe('4 of 6 attempts match.');
    await page.selectOption('#filter-check', 'permissions');
    await expect.poll(() => readText(page.locator('#list-status'))).toBe('1 of 6 attempts match.');
    await page.click('#filter-reset');
    await expect.poll(() => readText(page.locator('#list-status'))).toBe('6 of 6 attempts match.');
    expectHealthy(report);
  });

  it('compares any two rendered prompts side by side with a line diff', async () => {
    const report = await open(sampleFile());
    const { page } = report;
    await waitUntilReady(page);
    expect(await page.locator('#compare-left').inputValue()).toBe('0');
    await expect.poll(() => readTexts(page.locator('#compare-output .prompt-head code'))).toEqual(['currency/terse', 'sortable/default']);
    await expect.poll(() => readTexts(page.locator('#compare-output .ld-add .ld-text'))).toEqual(['You are a careful coding agent.', 'Only edit files under src/.']);
    await expect.poll(() => readTexts(page.locator('#compare-output .ld-del .ld-text'))).toEqual(['Edit src/ only.']);
    await page.locator('#prompts').screenshot({ path: path.join(SCREENSHOT_DIR, 'sample-prompts.png') });
    expectHealthy(report);
  });

  it('reads the compressed data of a large run and opens its attempts', async () => {
    const file = writeReport('large', renderHtmlReport(createSyntheticSummary({ attempts: 800, seed: 4 }))[0]?.contents ?? '');
    expect(readFileSync(file, 'utf8')).toContain('data-encoding="gzip-base64"');
    const report = await open(file);
    const { page } = report;
    await waitUntilReady(page);
    await expect.poll(() => readText(page.locator('#list-status'))).toMatch(/^8\d\d of 8\d\d attempts match\.$/);
    await expect.poll(() => page.locator('#attempt-rows tr').count()).toBe(50);
    await page.click('#page-next');
    await expect.poll(() => readText(page.locator('#page-info'))).toContain('Page 2 of');
    await page.locator('#heatmap td.hm a').nth(7).click();
    await expect.poll(() => readText(page.locator('#list-status'))).toMatch(/^1\d of 8\d\d attempts match\.$/);
    await page.locator('#attempt-rows a[data-attempt]').first().click();
    await expect.poll(() => page.locator('#drawer .check-name').count()).toBe(5);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'large-attempt.png') });
    await page.keyboard.press('Escape');
    await page.locator('#scorecard').screenshot({ path: path.join(SCREENSHOT_DIR, 'large-scorecard.png') });
    await page.locator('#quantization').screenshot({ path: path.join(SCREENSHOT_DIR, 'large-quantization.png') });
    expectHealthy(report);
  });

  it('shows what an attempt did with TODOs, subagents and compaction, a model-chosen agent name as text', async () => {
    const transcript = makeFeatureTranscript({
      todoLists: [{ read: 'completed', edit: 'completed', test: 'in_progress' }],
      subagents: [{ agent: '<img src=x onerror=alert(1)>', steps: 4 }],
      compactions: [{ atMs: 65_000, tokensBefore: 30_000, tokensAfter: 4200 }],
    });
    const summary = createSummaryFromSpecs([...makeRepeats('s1', 'tools', 'P', { transcript }), ...makeRepeats('s1', 'plain', 'F')], [makeTarget('tools'), makeTarget('plain')]);
    const report = await open(writeReport('features', renderHtmlReport(summary)[0]?.contents ?? ''));
    const { page } = report;
    await waitUntilReady(page);
    await page.locator('#features a.cfg-target', { hasText: 'tools' }).click();
    await expect.poll(() => readText(page.locator('#list-status'))).toBe('1 of 2 attempts match.');
    await page.locator('#attempt-rows a[data-attempt]').first().click();
    const features = page.locator('#drawer .attempt-features');
    await expect.poll(() => readTexts(features.locator('dd'))).toEqual([
      '2/3 done (1 open)',
      '1 started (<img src=x onerror=alert(1)>) · 4 steps · 0 tool calls',
      '1: +1:05 30,000 → 4,200 tokens',
    ]);
    expect(await features.locator('img').count()).toBe(0);
    expectHealthy(report);
  });

  it('links an attempt’s published patch, the one link that leaves the page', async () => {
    const summary = createSummaryFromSpecs(makeRepeats('s1', 'pub', 'PP'), [makeTarget('pub')]);
    const [first, second] = summary.specs.map((spec) => spec.attempts[0]);
    if (first === undefined || second === undefined) throw new Error('two attempts expected');
    first.change = { status: 'published', branch: 'harness/s1/a1', commit: '0123456789abcdef0123', patch: 'patches/a1.patch', files: ['src/user-components/Widget.tsx'] };
    second.change = { status: 'errored', error: 'git push: No space left on device' };
    const report = await open(writeReport('published', renderHtmlReport(summary)[0]?.contents ?? ''));
    const { page } = report;
    await waitUntilReady(page);
    await page.locator('#attempt-rows a[data-attempt]').first().click();
    const published = page.locator('#drawer .published');
    await expect.poll(() => readText(published)).toBe('Published as commit 0123456789ab on branch harness/s1/a1 of changes.git (1 file) · patch');
    expect(await published.locator('a').getAttribute('href')).toBe('patches/a1.patch');
    await page.keyboard.press('Escape');
    await page.locator('#attempt-rows a[data-attempt]').nth(1).click();
    await expect.poll(() => readText(page.locator('#drawer .published'))).toContain("Publishing failed (a harness fault, not the model's): git push: No space left on device");
    expectHealthy(report);
  });

  it('opens a run with nothing in it without an error', async () => {
    const report = await open(writeReport('empty', renderHtmlReport(createSummaryFromSpecs([], [makeTarget('a')]))[0]?.contents ?? ''));
    await waitUntilReady(report.page);
    await expect.poll(() => readText(report.page.locator('#list-status'))).toBe('0 of 0 attempts match.');
    await expect.poll(() => report.page.locator('#prompt-compare').isHidden()).toBe(true);
    expectHealthy(report);
  });

  it('shows the scorecard, heatmap and failures without JavaScript', async () => {
    const report = await open(sampleFile(), { javaScriptEnabled: false });
    const { page } = report;
    await expect.poll(() => page.locator('.scorecard-table tbody tr.score-row').count()).toBe(3);
    await expect.poll(() => readText(page.locator('.verdict').first())).toBe('Could be best');
    await expect.poll(() => page.locator('.scorecard-table td.verdict-sentence').count()).toBe(3);
    await expect.poll(() => page.locator('#heatmap td.hm').count()).toBe(6);
    await page.locator('#failures .rates-table').first().waitFor({ state: 'visible' });
    await page.locator('#explorer').waitFor({ state: 'hidden' });
    await page.locator('#attempts noscript, #attempts .notice').first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sample-no-script.png'), fullPage: true });
    expectHealthy(report);
  });

  it('prints with the scorecard first and no interactive parts, and exports a PDF', async () => {
    const report = await open(sampleFile());
    const { page } = report;
    await waitUntilReady(page);
    await page.emulateMedia({ media: 'print' });
    await page.locator('nav.toc').waitFor({ state: 'hidden' });
    await page.locator('#attempts').waitFor({ state: 'hidden' });
    await page.locator('#prompt-compare').waitFor({ state: 'hidden' });
    const order = await page.evaluate("[...document.querySelectorAll('main > section')].filter((node) => getComputedStyle(node).display !== 'none').map((node) => node.id)");
    expect(order).toEqual(['scorecard', 'heatmap', 'quantization', 'failures', 'prompts']);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sample-print.png'), fullPage: true });
    const pdf = await page.pdf({ path: path.join(SCREENSHOT_DIR, 'sample-report.pdf'), format: 'A4', landscape: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    expectHealthy(report);
  });
});
