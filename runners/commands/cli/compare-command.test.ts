import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { makeRepeats, makeRunSummary, makeTarget } from '../../pipeline/summary/test-support.ts';
import { compareCommand } from './compare-command.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';

const root = mkdtempSync(path.join(tmpdir(), 'harness-compare-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a run folder whose events.jsonl replays the summary's specs and attempts. */
function writeRun(name: string, summary: RunSummary): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  const started = {
    v: 1, type: 'run.started', at: summary.startedAt, runId: summary.runId, harnessVersion: '0.1.0', opencodeVersion: '1.18.33',
    configFile: 'harness.config.ts', scriptedModel: true, targets: summary.targets, scenarios: summary.scenarios,
    promptVariants: summary.promptVariants, renderedPrompts: {}, specs: summary.specs.map((spec) => spec.spec),
  };
  const attempts = summary.specs.flatMap((spec) => spec.attempts).map((attempt) => ({ v: 1, type: 'attempt.finished', at: attempt.finishedAt, attempt }));
  const finished = { v: 1, type: 'run.finished', at: summary.finishedAt, durationMs: 1000 };
  writeFileSync(path.join(dir, 'events.jsonl'), [started, ...attempts, finished].map((event) => JSON.stringify(event)).join('\n') + '\n');
  return dir;
}

function writeConfig(name: string, gate: unknown): string {
  const file = path.join(root, name);
  writeFileSync(file, `export default ${JSON.stringify({ targets: [{ kind: 'scripted', id: 't', model: 'reference' }], gate })};\n`);
  return file;
}

const targets = [makeTarget('t')];
/** Eight scenarios of the cohort t: `letters` on each, `last` on the eighth when given. */
const eight = (letters: string, last = letters) => Array.from({ length: 8 }, (_, g) => makeRepeats(`s${g + 1}`, 't', g === 7 ? last : letters)).flat();
const baselineDir = writeRun('baseline', makeRunSummary(eight('PPP'), targets, 'base-run'));
// Worse on 8 of 8 scenarios: sign-flip p = 2/256.
const regressedDir = writeRun('regressed', makeRunSummary(eight('FFP'), targets, 'regressed-run'));
// One repeat of one scenario lost: pass rate (7 + 2/3)/8 = 95.8%.
const steadyDir = writeRun('steady', makeRunSummary(eight('PPP', 'PPF'), targets, 'steady-run'));
const otherDir = writeRun('other', makeRunSummary(makeRepeats('s1', 'x', 'P'), [makeTarget('x')], 'other-run'));
const noGate = writeConfig('no-gate.config.mjs', undefined);

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
    const strict = writeConfig('strict.config.mjs', { minPassRate: 0.97 });
    expect((await compareCommand(baselineDir, steadyDir, { config: strict })).exitCode).toBe(1);
    expect((await compareCommand(baselineDir, steadyDir, { config: strict, minPassRate: 0.9 })).exitCode).toBe(0);
    const lenient = writeConfig('lenient.config.mjs', { failOnSignificantRegression: false });
    expect((await compareCommand(baselineDir, regressedDir, { config: lenient })).exitCode).toBe(0);
  });

  it('judges the interval and the answerable n when told to, naming the rule that failed', async () => {
    const lower = writeConfig('lower.config.mjs', { minPassRate: 0.9, passRateBound: 'lower' });
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
    const bad = writeConfig('bad.config.mjs', { minPassRate: 80 });
    await expect(compareCommand(baselineDir, steadyDir, { config: bad })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('gate.minPassRate must be a share between 0 and 1') });
    const bound = writeConfig('bad-bound.config.mjs', { passRateBound: 'low' });
    await expect(compareCommand(baselineDir, steadyDir, { config: bound })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('gate.passRateBound must be "estimate", "lower" or "upper"') });
    const answerable = writeConfig('bad-answerable.config.mjs', { minAnswerable: 2.5 });
    await expect(compareCommand(baselineDir, steadyDir, { config: answerable })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('gate.minAnswerable must be a whole number of specs') });
  });
});

describe('harness compare (the CLI)', () => {
  const cli = path.join(PROJECT_ROOT, 'runners', 'cli.ts');
  // Run from a folder without harness.config.ts: no config gate, only the defaults and flags.
  const run = (...args: string[]) => execa(process.execPath, [cli, 'compare', ...args], { cwd: root, reject: false });

  it('exits 0, 1 and 2 as documented', async () => {
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
  }, 120_000);
});
