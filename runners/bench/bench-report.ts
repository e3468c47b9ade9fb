/**
 * Measures the HTML report at scale: builds it from a synthetic run (10,000 attempts by default,
 * with transcripts and diffs of realistic size), measures its size, then opens it in Debian's
 * Chromium and measures when the first screen is there and when the page is interactive (the
 * embedded data read, the attempt list drawn), and how long opening one attempt takes.
 *
 *   npm run bench:report -- [--attempts 10000] [--runs 3] [--keep]
 *
 * Exits 1 when a budget is missed: build ≤ 10 s, file ≤ 20 MB, interactive ≤ 3 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderHtmlReport } from '../../reports/render-html.ts';
import { launchChromium, openReportFile, waitUntilReady } from './support/browser.ts';
import { createSyntheticSummary } from './support/synthetic-summary.ts';

const BUDGETS = { buildMs: 10_000, bytes: 20 * 1024 * 1024, interactiveMs: 3000 };

const { values } = parseArgs({ options: { attempts: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false } } });
const attempts = Number(values.attempts);
const runs = Math.max(1, Number(values.runs));

const summary = createSyntheticSummary({ attempts, seed: 11 });
const attemptCount = summary.specs.reduce((total, spec) => total + spec.attempts.length, 0);
const summaryBytes = Buffer.byteLength(JSON.stringify(summary));
const previous = createSyntheticSummary({ attempts, seed: 12, runId: 'previous', startedAt: '2025-06-01T09:00:00.000Z', qualityShift: -0.05 });

const buildStarted = performance.now();
const [file] = renderHtmlReport(summary, { previous });
const buildMs = performance.now() - buildStarted;
if (file === undefined) throw new Error('the HTML reporter wrote no file');
const bytes = Buffer.byteLength(file.contents);
const directory = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
const reportPath = path.join(directory, 'report.html');
writeFileSync(reportPath, file.contents);

const browser = await launchChromium();
const samples: Array<{ firstScreenMs: number; interactiveMs: number; openAttemptMs: number }> = [];
try {
  for (let run = 0; run < runs; run += 1) {
    const opened = await openReportFile(browser, reportPath);
    await waitUntilReady(opened.page, 60_000);
    const timing = (await opened.page.evaluate(`(() => {
      const navigation = performance.getEntriesByType('navigation')[0];
      const ready = performance.getEntriesByName('report-ready')[0];
      return { firstScreenMs: navigation.domContentLoadedEventEnd, interactiveMs: ready.startTime };
    })()`)) as { firstScreenMs: number; interactiveMs: number };
    const clickStarted = performance.now();
    await opened.page.locator('#attempt-rows a[data-attempt]').nth(3).click();
    await opened.page.locator('#drawer-body article.attempt').waitFor();
    const openAttemptMs = performance.now() - clickStarted;
    if (opened.watch.errors.length > 0) throw new Error(`the page reported errors: ${opened.watch.errors.join('; ')}`);
    samples.push({ ...timing, openAttemptMs });
    await opened.close();
  }
} finally {
  await browser.close();
  if (!values.keep) rmSync(directory, { recursive: true, force: true });
}

const median = (numbers: number[]): number => [...numbers].sort((left, right) => left - right)[Math.floor(numbers.length / 2)] ?? Number.NaN;
const interactiveMs = median(samples.map((sample) => sample.interactiveMs));
const rows: Array<[string, string, string]> = [
  ['attempts', String(attemptCount), ''],
  ['summary JSON', `${(summaryBytes / 1e6).toFixed(1)} MB`, ''],
  ['build (model, data, gzip, HTML)', `${(buildMs / 1000).toFixed(2)} s`, `≤ ${BUDGETS.buildMs / 1000} s`],
  ['report.html', `${(bytes / 1024 / 1024).toFixed(2)} MiB`, `≤ ${BUDGETS.bytes / 1024 / 1024} MiB`],
  ['first screen (DOMContentLoaded)', `${Math.round(median(samples.map((sample) => sample.firstScreenMs)))} ms`, ''],
  ['interactive (data read, list drawn)', `${Math.round(interactiveMs)} ms`, `≤ ${BUDGETS.interactiveMs} ms`],
  ['open one attempt (click → drawn)', `${Math.round(median(samples.map((sample) => sample.openAttemptMs)))} ms`, ''],
];
const print = (line: string): boolean => process.stdout.write(`${line}\n`);
print(`HTML report benchmark (median of ${runs} page loads in ${'Chromium'})`);
for (const [label, value, budget] of rows) print(`  ${label.padEnd(38)} ${value.padStart(12)}  ${budget}`);
if (values.keep) print(`  kept: ${reportPath}`);
const missed = [buildMs > BUDGETS.buildMs ? 'build time' : null, bytes > BUDGETS.bytes ? 'size' : null, interactiveMs > BUDGETS.interactiveMs ? 'time to interactive' : null].filter((item) => item !== null);
if (missed.length > 0) {
  print(`Budget missed: ${missed.join(', ')}`);
  process.exitCode = 1;
}
