import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { listRunDirs } from '../support/event-logs.ts';
import { RUN_HOOK_TIMEOUT_MS, onlyRunDir, readSummary, runCli, scriptedTarget, startCli, writeConfig } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';
import { useSuiteWorkspace, useWorkspace } from '../support/workspace.ts';

/** What must be identical between an uninterrupted run and a resumed or merged one. */
function outcomesOf(summary: RunSummary): Array<{ id: string; outcome: string; attempts: number }> {
  return summary.specs
    .map(({ spec, outcome, attempts }) => ({
      id: spec.id,
      outcome: outcome.kind === 'failed' ? `failed:${outcome.failedChecks.join(',')}` : outcome.kind,
      attempts: attempts.length,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

const BODY = { targets: [scriptedTarget('reference'), scriptedTarget('noop')], repeats: 2, concurrency: 2, scenarios: ['add-stock-widget'] };

describe('matrix runs: resume and sharding', () => {
  const base = useSuiteWorkspace('harness-e2e-base-');
  let baseline: RunSummary;

  beforeAll(async () => {
    const cli = await runCli(['run', '--config', writeConfig(base.dir, BODY)], base);
    expect(cli.exitCode, cli.stderr).toBe(1);
    baseline = readSummary(onlyRunDir(path.join(base.dir, 'runs')));
    expect(baseline.totals).toMatchObject({ specs: 4, passed: 2, failed: 2 });
  }, RUN_HOOK_TIMEOUT_MS);

  it('a run killed with SIGKILL midway resumes to the same summary, without double counting or orphans', async () => {
    const workspace = useWorkspace('harness-e2e-kill-');
    const config = writeConfig(workspace.dir, BODY);
    const child = startCli(['run', '--config', config], workspace);
    const runsDir = path.join(workspace.dir, 'runs');
    const logOf = () => {
      const [runDir] = listRunDirs(runsDir);
      return runDir !== undefined && existsSync(path.join(runDir, 'events.jsonl')) ? readFileSync(path.join(runDir, 'events.jsonl'), 'utf8') : '';
    };
    await waitFor(() => logOf().includes('"attempt.finished"'), { timeoutMs: 240_000, what: 'a finished attempt in the log', intervalMs: 200 });
    child.kill('SIGKILL');
    await child;
    const runDir = onlyRunDir(runsDir);
    const finishedBefore = (logOf().match(/"attempt\.finished"/g) ?? []).length;
    expect(finishedBefore).toBeLessThan(4);
    // A torn last line, as a crash mid-write leaves it, must be tolerated.
    writeFileSync(path.join(runDir, 'events.jsonl'), logOf() + '{"v":1,"type":"attempt.fin');
    // Every OpenCode server and check of the killed run stops by itself (the servers' watchdogs).
    await expectNoWorkspaceProcesses(workspace);

    const resumed = await runCli(['run', '--config', config, '--resume', runDir], workspace);
    expect(resumed.exitCode, resumed.stderr).toBe(1);
    expect(resumed.stderr).toContain(`${4 - finishedBefore} of 4 attempt(s) left`);
    const summary = readSummary(runDir);
    expect(summary.status).toBe('complete');
    expect(outcomesOf(summary)).toEqual(outcomesOf(baseline));
    expect(summary.totals).toEqual(baseline.totals);
  });

  it('refuses to resume when the config changed, and says what changed', async () => {
    const workspace = useWorkspace('harness-e2e-refuse-');
    const config = writeConfig(workspace.dir, { ...BODY, targets: [scriptedTarget('noop')], repeats: 1 });
    const first = await runCli(['run', '--config', config], workspace);
    expect(first.exitCode, first.stderr).toBe(1);
    writeConfig(workspace.dir, { ...BODY, targets: [scriptedTarget('noop')], repeats: 2 });
    const resumed = await runCli(['run', '--config', config, '--resume', onlyRunDir(path.join(workspace.dir, 'runs'))], workspace);
    expect(resumed.exitCode).toBe(2);
    expect(resumed.stderr).toContain('cannot resume');
    expect(resumed.stderr).toContain('the config');
  });

  it('two shards merged give the summary of the unsharded run', async () => {
    const workspace = useWorkspace('harness-e2e-shard-');
    const dir = workspace.dir;
    const config = writeConfig(dir, BODY);
    const shardDirs: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const out = path.join(dir, `shard-${shard.replace('/', '-of-')}`);
      const cli = await runCli(['run', '--config', config, '--shard', shard, '--out', out], workspace);
      expect([0, 1]).toContain(cli.exitCode);
      shardDirs.push(onlyRunDir(out));
    }
    expect(readSummary(shardDirs[0] ?? '').totals.specs).toBe(2);
    const merged = await runCli(['merge', ...shardDirs, '--out', path.join(dir, 'merged')], workspace);
    expect(merged.exitCode, merged.stderr).toBe(1);
    const summary = readSummary(onlyRunDir(path.join(dir, 'merged')));
    expect(outcomesOf(summary)).toEqual(outcomesOf(baseline));
    expect(summary.totals).toEqual(baseline.totals);
    expect(summary.specs.map((spec) => spec.spec.id)).toEqual(baseline.specs.map((spec) => spec.spec.id));

    const incomplete = await runCli(['merge', shardDirs[0] ?? '', '--out', path.join(dir, 'bad')], workspace);
    expect(incomplete.exitCode).toBe(2);
    expect(incomplete.stderr).toContain('exactly once');
  });

  it('an incremental run re-runs only cells whose inputs changed, and marks the reused ones', async () => {
    const workspace = useWorkspace('harness-e2e-incremental-');
    const body = { scenarios: ['add-stock-widget'], concurrency: 2 };
    const config = writeConfig(workspace.dir, { ...body, targets: [scriptedTarget('noop')] });
    expect((await runCli(['run', '--config', config, '--incremental'], workspace)).exitCode).toBe(1);
    writeConfig(workspace.dir, { ...body, targets: [scriptedTarget('noop'), scriptedTarget('core-write')] });
    const second = await runCli(['run', '--config', config, '--incremental'], workspace);
    expect(second.exitCode, second.stderr).toBe(1);
    const runs = listRunDirs(path.join(workspace.dir, 'runs')).map((runDir) => path.basename(runDir));
    const summary = readSummary(path.join(workspace.dir, 'runs', runs.at(-1) ?? ''));
    const byTarget = new Map(summary.specs.map((spec) => [spec.spec.targetId, spec.attempts.at(-1)]));
    expect(byTarget.get('scripted-noop')?.reusedFrom?.runId).toBe(runs[0]);
    expect(byTarget.get('scripted-core-write')?.reusedFrom).toBeUndefined();
    expect(byTarget.get('scripted-core-write')?.outcome.kind).toBe('failed');
  });
});
