import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { isUserError } from '../../core/errors.ts';
import { detectableGap, repeatsNeeded } from '../../pipeline/statistics/power.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { makeRepeats, makeTarget } from '../../pipeline/summary/test-support.ts';
import { createSummaryFromSpecs } from '../../bench/support/summary-from-specs.ts';
import { describePlanPower, designOf, estimateFromHistory } from './plan-power.ts';
import { runCommand } from './run-command.ts';

const root = mkdtempSync(path.join(tmpdir(), 'harness-plan-power-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeRun(outputDir: string, summary: RunSummary): void {
  const dir = path.join(outputDir, summary.runId);
  mkdirSync(dir, { recursive: true });
  const started = {
    v: 1, type: 'run.started', at: summary.startedAt, runId: summary.runId, harnessVersion: '0.1.0', opencodeVersion: '1.18.33',
    configFile: 'harness.config.ts', scriptedModel: true, targets: summary.targets, scenarios: summary.scenarios,
    promptVariants: summary.promptVariants, renderedPrompts: {}, specs: summary.specs.map((spec) => spec.spec),
  };
  const attempts = summary.specs.flatMap((spec) => spec.attempts).map((attempt) => ({ v: 1, type: 'attempt.finished', at: attempt.finishedAt, attempt }));
  writeFileSync(path.join(dir, 'events.jsonl'), [started, ...attempts].map((event) => JSON.stringify(event)).join('\n') + '\n');
}

/** A plan of `scenarios` × `repeats` for the targets given, as RunSpecs. */
function plan(scenarios: number, repeats: number, targets: string[]): RunSpec[] {
  return targets.flatMap((targetId) =>
    Array.from({ length: scenarios }, (_, g) => Array.from({ length: repeats }, (_, r) => ({ id: `s${g}.${targetId}.${r}`, scenarioId: `s${g}`, targetId, promptVariantId: 'default', repeatIndex: r }))).flat(),
  );
}

describe('the dry run\'s power lines', () => {
  it('reads the design off the plan', () => {
    expect(designOf(plan(8, 3, ['a', 'b']))).toEqual({ scenarios: 8, repeats: 3, cohorts: 2 });
  });

  it('plans with cautious defaults when the output folder holds no comparable run', () => {
    const lines = describePlanPower({ specs: plan(20, 3, ['a', 'b']), outputDir: path.join(root, 'empty') });
    const expected = detectableGap({ scenarios: 20, repeats: 3, familySize: 1 });
    expect(expected.kind).toBe('detectable');
    const points = expected.kind === 'detectable' ? Math.round(expected.gap * 100) : 0;
    expect(lines).toEqual([
      `Power: With 20 scenarios × 3 repeats, a true gap of about ${points} points in pass rate is found with 80% power (cautious default variance); smaller gaps may go unseen — add scenarios first, repeats second.`,
      '  (default variance: no earlier comparable run in the output folder)',
    ]);
  });

  it("uses the newest comparable run's variance, and --detect prints the repeats needed", () => {
    const outputDir = path.join(root, 'with-history');
    // Scenarios where a and b differ a lot and others where they agree: a large spread of the gap.
    const letters = (g: number, target: string) => (g % 2 === 0 ? (target === 'a' ? 'PPPP' : 'FFFF') : 'PFPF');
    const specs = ['a', 'b'].flatMap((target) => Array.from({ length: 10 }, (_, g) => makeRepeats(`s${g}`, target, letters(g, target))).flat());
    writeRun(outputDir, createSummaryFromSpecs(specs, [makeTarget('a'), makeTarget('b')], { runId: 'earlier-run' }));
    writeRun(outputDir, createSummaryFromSpecs(makeRepeats('s0', 'z', 'PP'), [makeTarget('z')], { runId: 'unrelated-run' }));
    const estimate = estimateFromHistory(plan(10, 4, ['a', 'b']), outputDir);
    expect(estimate.source).toEqual({ kind: 'previous run', runId: 'earlier-run' });
    expect(estimate.betweenScenarioSd).toBeGreaterThan(0.3);
    const lines = describePlanPower({ specs: plan(30, 3, ['a', 'b']), outputDir, detectPoints: 40 });
    expect(lines[0]).toContain('(variance estimated from run earlier-run)');
    const needed = repeatsNeeded(0.4, { scenarios: 30, familySize: 1 }, estimate);
    expect(needed.kind).toBe('repeats');
    const repeats = needed.kind === 'repeats' ? needed.repeats : 0;
    expect(lines[1]).toBe(`Detect: a 40-point gap needs ${repeats} repeat${repeats === 1 ? '' : 's'} per cell at 30 scenarios and 1 pairwise test (${repeats * 60} attempts): --repeats ${repeats}.`);
    const hopeless = describePlanPower({ specs: plan(10, 3, ['a', 'b']), outputDir, detectPoints: 5 });
    expect(hopeless[1]).toMatch(/^Detect: a 5-point gap at 10 scenarios and 1 pairwise test is not reachable by repeats alone: .*add scenarios; it needs about \d+ scenarios at 5 repeats\.$/);
  });

  it('says when the scenarios are too few for the family to detect anything', () => {
    const lines = describePlanPower({ specs: plan(8, 3, Array.from({ length: 10 }, (_, k) => `t${k}`)), outputDir: path.join(root, 'empty') });
    expect(lines[0]).toBe("Power: With 8 scenarios × 3 repeats and 45 pairwise tests, no gap can be detected: 8 scenarios cannot reach p ≤ 0.0011: the sign-flip test's smallest p is 0.0078; add scenarios.");
  });

  it('refuses --detect without --dry-run: it plans and runs nothing', async () => {
    const error: unknown = await runCommand({ config: 'harness.config.ts', detect: 10 }, { print: () => undefined, createProgress: () => { throw new Error('ran'); } }).then(() => undefined, (thrown: unknown) => thrown);
    expect(isUserError(error) && error.code).toBe('CLI_USAGE');
    expect(error instanceof Error && error.message).toContain('use it with --dry-run');
  });
});
