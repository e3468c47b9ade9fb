import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTarget } from '../runners/core/domain/target.ts';
import { mulberry32 } from '../runners/pipeline/statistics/random.ts';
import type { RunSummary, SpecSummary } from '../runners/pipeline/summary/summary-types.ts';
import { makeRepeats, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';
import { launchChromium, openReportFile, type OpenedReport } from '../runners/bench/support/browser.ts';
import { renderOnePageScorecard } from './render-one-page.ts';

let browser: Browser;
let directory: string;
const opened: OpenedReport[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  directory = mkdtempSync(path.join(tmpdir(), 'one-page-'));
});

afterAll(async () => {
  for (const report of opened) await report.close();
  await browser?.close();
  rmSync(directory, { recursive: true, force: true });
});

const QUANTIZATIONS = ['fp16', 'awq-int4', 'gptq-int4', 'fp8', 'gguf-q4_k_m'];

/** Ten configurations (5 quantizations × 2 prompt variants) over 8 scenarios × 3 repeats, seeded. */
function tenConfigurations(runId: string, seed: number): RunSummary {
  const random = mulberry32(seed);
  const targets: ResolvedTarget[] = QUANTIZATIONS.map((quantization) => makeTarget(`qwen2.5-coder-32b-${quantization}`, quantization, `Qwen/Qwen2.5-Coder-32B-Instruct-${quantization.toUpperCase()}`));
  const specs: SpecSummary[] = targets.flatMap((target, t) =>
    ['default', 'terse-with-examples'].flatMap((promptVariantId, v) =>
      Array.from({ length: 8 }, (_, g) => {
        const rate = Math.min(0.95, 0.25 + 0.08 * t + 0.1 * v + 0.04 * g);
        const letters = Array.from({ length: 3 }, () => (random() < rate ? 'P' : random() < 0.1 ? 'T' : 'F')).join('');
        return makeRepeats(`scenario-${g + 1}`, target.id, letters, { promptVariantId });
      }).flat(),
    ),
  );
  return createSummaryFromSpecs(specs, targets, { runId });
}

/** Page objects in a PDF (`/Type /Page`, not the `/Type /Pages` tree). */
function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

describe('the one-page scorecard in Chromium', () => {
  it('prints ten configurations — recommendation, every verdict sentence, interval and trend — on ONE A4 page', async () => {
    const summary = tenConfigurations('current-run', 7);
    const previous = tenConfigurations('previous-run', 3);
    const [file] = renderOnePageScorecard(summary, { previous });
    const target = path.join(directory, 'scorecard.html');
    writeFileSync(target, file?.contents ?? '');
    const report = await openReportFile(browser, target);
    opened.push(report);
    const { page } = report;
    await expect.poll(() => page.locator('tbody.sheet-row').count()).toBe(10);
    await expect.poll(() => page.locator('tr.sentence').count()).toBe(10);
    await expect.poll(() => page.locator('td.trend').count()).toBe(10);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ path: path.join(tmpdir(), 'one-page-scorecard.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(countPdfPages(pdf)).toBe(1);
    expect(report.watch).toEqual({ errors: [], dialogs: [], requests: [] });
  });

  it('the page count is real: the full report of the same run takes several pages', async () => {
    const { renderHtmlReport } = await import('./render-html.ts');
    const summary = tenConfigurations('current-run', 7);
    const target = path.join(directory, 'report.html');
    writeFileSync(target, renderHtmlReport(summary)[0]?.contents ?? '');
    const report = await openReportFile(browser, target);
    opened.push(report);
    await report.page.emulateMedia({ media: 'print' });
    const pdf = await report.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(countPdfPages(pdf)).toBeGreaterThan(1);
  });
});
