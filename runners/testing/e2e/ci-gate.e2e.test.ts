import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyRunDir, readSummary, runCli, scriptedTarget, writeConfig } from '../support/harness-cli.ts';
import { useWorkspace } from '../support/workspace.ts';

describe('CI outputs and the gate on a real run', () => {
  it('exits by the configured gate, writes junit.xml and summary.md, and compares with itself', async () => {
    const workspace = useWorkspace('harness-e2e-gate-');
    // Without a gate this run exits 1 (type-error fails); the lenient gate makes it 0.
    const config = writeConfig(workspace.dir, {
      targets: [scriptedTarget('reference'), scriptedTarget('type-error')],
      scenarios: ['add-stock-widget'],
      concurrency: 2,
      gate: { minPassRate: 0, maxViolationRate: 0 },
    });
    const run = await runCli(['run', '--config', config], workspace);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('Gate passed');
    const runDir = onlyRunDir(path.join(workspace.dir, 'runs'));
    expect(readSummary(runDir).statistics.cohorts.map((cohort) => [cohort.key.targetId, cohort.pass.passes, cohort.pass.trials])).toEqual([
      ['scripted-reference', 1, 1],
      ['scripted-type-error', 0, 1],
    ]);
    const junit = readFileSync(path.join(runDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="harness');
    expect(junit).toMatch(/<testcase name="add-stock-widget" classname="scripted-type-error.default"[^>]*>\s*<failure message="0\/1 passed; failed checks: typecheck×1"/);
    const markdown = readFileSync(path.join(runDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('| scripted-type-error · default |');
    // One scenario cannot make a difference significant across scenarios: no best, a sentence under each verdict.
    expect(markdown).toContain('**No best named:**');
    expect(markdown).toContain('- **Could be best.** No configuration is significantly better than scripted-type-error');
    expect(readSummary(runDir).statistics.verdicts).toMatchObject({ status: 'rated', best: null, familySize: 1 });
    expect(existsSync(path.join(runDir, 'scorecard.html'))).toBe(true);

    const strict = await runCli(['compare', runDir, runDir, '--config', config, '--min-pass-rate', '0.5'], workspace);
    expect(strict.exitCode, strict.stderr).toBe(1);
    expect(strict.stderr).toContain('scripted-type-error · default: [minPassRate] pass rate 0% (0/1; 95% CI 0%–79.3% over 1 scenario) is below the minimum 50%');
    expect(strict.stderr).not.toContain('scripted-reference');
    // 1 of 1 passed: its interval (21–100%) does not show that 50% is met.
    const lower = await runCli(['compare', runDir, runDir, '--config', config, '--min-pass-rate', '0.5', '--pass-rate-bound', 'lower'], workspace);
    expect(lower.exitCode, lower.stderr).toBe(1);
    expect(lower.stderr).toContain("scripted-reference · default: [minPassRate, passRateBound 'lower'] pass rate 100% (1/1; 95% CI 20.7%–100% over 1 scenario): the lower bound 20.7% is below the minimum 50%");
    const few = await runCli(['compare', runDir, runDir, '--config', config, '--min-answerable', '2'], workspace);
    expect(few.exitCode, few.stderr).toBe(1);
    expect(few.stderr).toContain('scripted-reference · default: [minAnswerable] 1 model-answerable result, fewer than the minimum 2');
    const same = await runCli(['compare', runDir, runDir, '--config', config], workspace);
    expect(same.exitCode, same.stderr).toBe(0);
    expect(existsSync(path.join(runDir, 'compare.md'))).toBe(true);
  });
});
