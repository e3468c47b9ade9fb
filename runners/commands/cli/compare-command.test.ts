import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRunEvents, type SpecAttempts } from '../../bench/support/summary-from-specs.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { UserError } from '../../core/errors.ts';
import { makeRepeats, makeTarget } from '../../pipeline/summary/test-support.ts';
import { writeEventLog } from '../../testing/support/event-logs.ts';
import { CLI, writeConfig } from '../../testing/support/harness-cli.ts';
import { createWorkspace, removeWorkspace } from '../../testing/support/workspace.ts';
import { compareCommand } from './compare-command.ts';

// The runs are written once, while the file is collected; the workspace goes when it is done.
const workspace = createWorkspace('harness-compare-');
afterAll(() => removeWorkspace(workspace));
const root = workspace.dir;

/** A run folder whose event log records these specs and attempts. */
function writeRun(name: string, specs: SpecAttempts[], targets: ResolvedTarget[]): string {
  return writeEventLog(path.join(root, name), buildRunEvents(specs, targets, { runId: `${name}-run`, scriptedModel: true }));
}

/** A config with only a gate to apply (never named harness.config.ts: the CLI test needs a folder without one). */
function writeGateConfig(name: string, gate: unknown): string {
  return writeConfig(root, { targets: [{ kind: 'scripted', id: 't', model: 'reference' }], gate }, `${name}.config.ts`);
}

const targets = [makeTarget('t')];
/** Eight scenarios of the cohort t: `letters` on each, `last` on the eighth when given. */
const eight = (letters: string, last = letters) => Array.from({ length: 8 }, (_, g) => makeRepeats(`s${g + 1}`, 't', g === 7 ? last : letters)).flat();
const baselineDir = writeRun('base', eight('PPP'), targets);
// Worse on 8 of 8 scenarios: sign-flip p = 2/256.
const regressedDir = writeRun('regressed', eight('FFP'), targets);
// One repeat of one scenario lost: pass rate (7 + 2/3)/8 = 95.8%.
const steadyDir = writeRun('steady', eight('PPP', 'PPF'), targets);
const otherDir = writeRun('other', makeRepeats('s1', 'x', 'P'), [makeTarget('x')]);
const noGate = writeGateConfig('no-gate', undefined);

describe('compareCommand', () => {
  it('fails the gate (exit 1) on a significant regression and writes compare.md into the current run', async () => {
    const result = await compareCommand(baselineDir, regressedDir, { config: noGate });
    expect(result.exitCode).toBe(1);
    expect(result.gate.status).toBe('failed');
    expect(result.file).toBe(path.join(regressedDir, 'compare.md'));
    expect(readFileSync(result.file, 'utf8')).toBe(result.markdown);
    expect(result.markdown).toContain('**significant regression**');
  });

  it('passes (exit 0) a one-repeat drop on one scenario, which is not significant', async () => {
    const result = await compareCommand(baselineDir, steadyDir, { config: noGate });
    expect(result.exitCode).toBe(0);
    expect(result.markdown).toContain('not significant');
  });

  it('passes a regression with --allow-regressions', async () => {
    expect((await compareCommand(baselineDir, regressedDir, { config: noGate, allowRegressions: true })).exitCode).toBe(0);
  });

  it('applies the config gate, which the flags override', async () => {
    const strict = writeGateConfig('strict', { minPassRate: 0.97 });
    expect((await compareCommand(baselineDir, steadyDir, { config: strict })).exitCode).toBe(1);
    expect((await compareCommand(baselineDir, steadyDir, { config: strict, minPassRate: 0.9 })).exitCode).toBe(0);
    const lenient = writeGateConfig('lenient', { failOnSignificantRegression: false });
    expect((await compareCommand(baselineDir, regressedDir, { config: lenient })).exitCode).toBe(0);
  });

  it('judges the interval and the answerable n when told to, naming the rule that failed', async () => {
    const lower = writeGateConfig('lower', { minPassRate: 0.9, passRateBound: 'lower' });
    const judged = await compareCommand(baselineDir, steadyDir, { config: lower });
    expect(judged.exitCode).toBe(1);
    expect(judged.gate.status === 'failed' && judged.gate.failures.map((failure) => failure.rule)).toEqual(['min-pass-rate']);
    expect(judged.markdown).toContain("\\[minPassRate, passRateBound 'lower'\\]");
    expect((await compareCommand(baselineDir, steadyDir, { config: lower, passRateBound: 'estimate' })).exitCode).toBe(0);
    const many = await compareCommand(baselineDir, steadyDir, { config: noGate, minAnswerable: 30 });
    expect(many.exitCode).toBe(1);
    expect(many.markdown).toContain('\\[minAnswerable\\] 24 model-answerable results, fewer than the minimum 30');
  });

  it('reports a missing folder, a folder without a log and unrelated runs as usage errors', async () => {
    await expect(compareCommand(path.join(root, 'nope'), steadyDir, { config: noGate })).rejects.toMatchObject({ code: 'RUN_DIR_INVALID', message: expect.stringContaining('baseline run folder does not exist') });
    mkdirSync(path.join(root, 'empty'));
    await expect(compareCommand(baselineDir, path.join(root, 'empty'), { config: noGate })).rejects.toMatchObject({ code: 'RUN_DIR_INVALID' });
    const unrelated = compareCommand(baselineDir, otherDir, { config: noGate });
    await expect(unrelated).rejects.toBeInstanceOf(UserError);
    await expect(unrelated).rejects.toMatchObject({ code: 'RUNS_NOT_COMPARABLE' });
  });

  it('reports a bad config gate by file and field', async () => {
    const bad = writeGateConfig('bad', { minPassRate: 80 });
    await expect(compareCommand(baselineDir, steadyDir, { config: bad })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('gate.minPassRate must be a share between 0 and 1') });
    const bound = writeGateConfig('bad-bound', { passRateBound: 'low' });
    await expect(compareCommand(baselineDir, steadyDir, { config: bound })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('gate.passRateBound must be "estimate", "lower" or "upper"') });
    const answerable = writeGateConfig('bad-answerable', { minAnswerable: 2.5 });
    await expect(compareCommand(baselineDir, steadyDir, { config: answerable })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('gate.minAnswerable must be a whole number of specs') });
  });
});

describe('harness compare (the CLI)', () => {
  // Run from a folder without harness.config.ts: no config gate, only the defaults and flags.
  const run = (...args: string[]) => execa(process.execPath, [CLI, 'compare', ...args], { cwd: root, reject: false });

  // Six runs of the CLI, each a Node start: slow on a busy machine, so more time than the default.
  it('exits 0, 1 and 2 as documented', { timeout: 120_000 }, async () => {
    const passed = await run(baselineDir, steadyDir);
    expect(passed.exitCode, passed.stderr).toBe(0);
    expect(passed.stdout).toContain('# Comparison: base-run → steady-run');
    expect(passed.stderr).toContain('Gate passed.');
    const failed = await run(baselineDir, regressedDir);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('significantly worse than the baseline');
    expect((await run(baselineDir, regressedDir, '--allow-regressions')).exitCode).toBe(0);
    expect((await run(baselineDir, steadyDir, '--min-pass-rate', '0.97')).exitCode).toBe(1);
    const lower = await run(baselineDir, steadyDir, '--min-pass-rate', '0.9', '--pass-rate-bound', 'lower');
    expect(lower.exitCode).toBe(1);
    expect(lower.stderr).toContain("[minPassRate, passRateBound 'lower']");
    const badBound = await run(baselineDir, steadyDir, '--pass-rate-bound', 'lowest');
    expect(badBound.exitCode).toBe(2);
    expect(badBound.stderr).toContain('--pass-rate-bound must be one of estimate, lower, upper');
    const badMinimum = await run(baselineDir, steadyDir, '--min-answerable', '0');
    expect(badMinimum.exitCode).toBe(2);
    expect(badMinimum.stderr).toContain('--min-answerable must be a whole number of model-answerable specs per cohort, at least 1');
    const missing = await run(baselineDir, path.join(root, 'missing'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('current run folder does not exist');
    const badFlag = await run(baselineDir, steadyDir, '--min-pass-rate', '80');
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.stderr).toContain('--min-pass-rate must be a share between 0 and 1');
    expect(existsSync(path.join(steadyDir, 'compare.md'))).toBe(true);
  });
});
