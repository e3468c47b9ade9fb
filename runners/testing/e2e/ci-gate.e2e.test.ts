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
    expect(readFileSync(path.join(runDir, 'summary.md'), 'utf8')).toContain('| scripted-type-error · default |');

    const strict = await runCli(['compare', runDir, runDir, '--config', config, '--min-pass-rate', '0.5'], workspace);
    expect(strict.exitCode, strict.stderr).toBe(1);
    expect(strict.stderr).toContain('scripted-type-error · default: pass rate 0% (0/1) is below the minimum 50%');
    const same = await runCli(['compare', runDir, runDir, '--config', config], workspace);
    expect(same.exitCode, same.stderr).toBe(0);
    expect(existsSync(path.join(runDir, 'compare.md'))).toBe(true);
  });
});
