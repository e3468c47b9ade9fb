import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, openReportFile, readText, readTexts, waitUntilReady, type OpenedReport } from '../../bench/support/browser.ts';
import { listRunDirs } from '../support/event-logs.ts';
import { RUN_HOOK_TIMEOUT_MS, readSummary, runCli, scriptedTarget, writeConfig } from '../support/harness-cli.ts';
import { chromium, describeWith } from '../support/real-dependencies.ts';
import { useSuiteWorkspace } from '../support/workspace.ts';

/**
 * The report of a real run, in a real browser: the CLI runs the scripted model through OpenCode,
 * then again with `--incremental` (reusing the first run's results) into the same output folder;
 * the second report compares with the first, the folder's index lists both, and Chromium opens
 * them and clicks from the scorecard to an attempt.
 */
describeWith(chromium(), 'the HTML report of a real run, opened in Chromium', () => {
  const workspace = useSuiteWorkspace('report-e2e-');
  /** Screenshots for a human to look at: kept where HARNESS_SCREENSHOT_DIR says, else removed with the workspace. */
  const screenshotDir = () => process.env.HARNESS_SCREENSHOT_DIR ?? path.join(workspace.dir, 'screenshots');
  let outputDir: string;
  let runDirs: string[];
  let browser: Browser;
  const opened: OpenedReport[] = [];

  beforeAll(async () => {
    outputDir = path.join(workspace.dir, 'runs');
    const config = writeConfig(workspace.dir, { targets: ['reference', 'noop'].map(scriptedTarget), concurrency: 2 });
    // The second run reuses the first one's results (same inputs), so it needs no OpenCode session.
    for (const extra of [[], ['--incremental']]) {
      const cli = await runCli(['run', '--config', config, '--scenario', 'add-stock-widget', ...extra], workspace);
      expect(cli.exitCode, cli.stderr).toBe(1);
    }
    runDirs = listRunDirs(outputDir);
    browser = await launchChromium();
  }, RUN_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    for (const report of opened) await report.close();
    await browser?.close();
  });

  it('writes a report and a digest per run, and one index for the folder', () => {
    expect(runDirs).toHaveLength(2);
    for (const runDir of runDirs) {
      expect(existsSync(path.join(runDir, 'report.html'))).toBe(true);
      expect(existsSync(path.join(runDir, 'run-digest.json'))).toBe(true);
      expect(existsSync(path.join(runDir, 'scorecard.html'))).toBe(true);
    }
    const index = readFileSync(path.join(outputDir, 'index.html'), 'utf8');
    for (const runDir of runDirs) expect(index).toContain(`./${path.basename(runDir)}/report.html`);
  });

  it('compares the second run with the first', () => {
    const [first, second] = runDirs.map(readSummary);
    const html = readFileSync(path.join(runDirs[1] ?? '', 'report.html'), 'utf8');
    expect(html).toContain(`<code>${first?.runId}</code>`);
    expect(html).toContain('<th>Trend</th>');
    expect(second?.statistics.cohorts.map((cohort) => cohort.pass.rate)).toEqual([1, 0]);
  });

  it('goes from the scorecard to the failing attempt and shows why it failed', async () => {
    const report = await openReportFile(browser, path.join(runDirs[1] ?? '', 'report.html'));
    opened.push(report);
    const { page } = report;
    await waitUntilReady(page);
    expect(await readText(page.locator('#scripted-banner strong'))).toBe('Scripted model, not a real LLM.');
    // One scenario: no difference between the two can be significant across scenarios, so neither is named best.
    expect(await readTexts(page.locator('.scorecard-table .verdict'))).toEqual(['Could be best', 'Could be best']);
    expect(await readTexts(page.locator('.scorecard-table td.verdict-sentence'))).toEqual([
      'scripted-reference could be best: no configuration is significantly better, and it is not significantly better than scripted-noop (it is better on 1 of 1 shared scenarios, worse on 0; Holm-adjusted p = 1.000 over the 1 pairwise test).',
      'No configuration is significantly better than scripted-noop: the strongest challenger is scripted-reference (better on 1 of 1 shared scenarios, worse on 0; Holm-adjusted p = 1.000 over the 1 pairwise test), so scripted-noop could still be best.',
    ]);
    await page.locator('.scorecard-table a.cfg-target', { hasText: 'scripted-noop' }).click();
    await page.locator('#attempt-rows a[data-attempt]').first().click();
    const drawer = page.locator('#drawer');
    await drawer.waitFor({ state: 'visible' });
    expect(await readText(drawer.locator('.verdict-box strong'))).toMatch(/^Failed: .*tests/);
    expect(await readTexts(drawer.locator('.check-failed .check-name'))).toContain('tests');
    expect((await readTexts(drawer.locator('.evidence-title'))).some((title) => title.startsWith('Acceptance tests (hidden)'))).toBe(true);
    expect((await readTexts(drawer.locator('.tl-label'))).some((label) => label.startsWith('User · turn 1'))).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir(), 'e2e-attempt.png') });
    await page.keyboard.press('Escape');
    await page.locator('.scorecard-table a.cfg-target', { hasText: 'scripted-reference' }).click();
    await page.locator('#attempt-rows a[data-attempt]').first().click();
    expect(await readText(drawer.locator('.verdict-box strong'))).toBe('Passed');
    expect(await drawer.locator('.diff-file').count()).toBeGreaterThan(0);
    expect(await drawer.locator('.tl-tool').count()).toBeGreaterThan(0);
    expect(await readTexts(page.locator('#attempt-rows .chip-muted'))).toEqual(['reused']);
    expect(await readText(drawer.locator('.attempt .notice'))).toMatch(/^Reused from run .*: its inputs were identical/);
    expect(report.watch).toEqual({ errors: [], dialogs: [], requests: [] });
  });

  it('lists both runs in the index, with a trend per target, and links to their reports', async () => {
    const report = await openReportFile(browser, path.join(outputDir, 'index.html'));
    opened.push(report);
    const { page } = report;
    expect(await page.locator('#runs tbody tr').count()).toBe(2);
    expect(await readTexts(page.locator('#trends tbody tr td:first-child b'))).toEqual(['scripted-reference', 'scripted-noop']);
    expect(await page.locator('#trends svg.sparkline circle').count()).toBe(4);
    await page.screenshot({ path: path.join(screenshotDir(), 'e2e-index.png'), fullPage: true });
    await page.locator('#runs tbody tr a').first().click();
    await page.waitForURL(pathToFileURL(path.join(runDirs[1] ?? '', 'report.html')).href);
    await waitUntilReady(page);
    expect(report.watch.errors).toEqual([]);
  });

  it('`harness report` rebuilds a run and the index, which still lists both runs', async () => {
    const rebuilt = await runCli(['report', runDirs[0] ?? ''], workspace);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    const index = readFileSync(path.join(outputDir, 'index.html'), 'utf8');
    for (const runDir of runDirs) expect(index).toContain(path.basename(runDir));
    expect(readFileSync(path.join(runDirs[0] ?? '', 'report.html'), 'utf8')).toContain('no earlier comparable run');
  });
});
