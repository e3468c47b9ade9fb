import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { PROJECT_ROOT, listOpencodeServers, onlyRunDir, readSummary, runCli, scriptedTarget, writeConfig } from './run-harness.ts';

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

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('matrix runs: resume and sharding', () => {
  let baseline: RunSummary;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harness-e2e-base-'));
    const cli = await runCli(['run', '--config', writeConfig(dir, BODY)], dir);
    expect(cli.exitCode, cli.stderr).toBe(1);
    baseline = readSummary(onlyRunDir(path.join(dir, 'runs')));
    expect(baseline.totals).toMatchObject({ specs: 4, passed: 2, failed: 2 });
  });

  it('a run killed with SIGKILL midway resumes to the same summary, without double counting or orphans', async () => {
    const before = await listOpencodeServers();
    const dir = mkdtempSync(path.join(tmpdir(), 'harness-e2e-kill-'));
    const config = writeConfig(dir, BODY);
    const child = execa(process.execPath, [path.join(PROJECT_ROOT, 'runners', 'cli.ts'), 'run', '--config', config], { cwd: dir, reject: false });
    const runsDir = path.join(dir, 'runs');
    const logOf = () => (existsSync(runsDir) ? readFileSync(path.join(onlyRunDir(runsDir), 'events.jsonl'), 'utf8') : '');
    await waitFor(() => existsSync(runsDir) && logOf().includes('"attempt.finished"'), 240_000);
    child.kill('SIGKILL');
    await child;
    const runDir = onlyRunDir(runsDir);
    const finishedBefore = (logOf().match(/"attempt\.finished"/g) ?? []).length;
    expect(finishedBefore).toBeLessThan(4);
    // A torn last line, as a crash mid-write leaves it, must be tolerated.
    writeFileSync(path.join(runDir, 'events.jsonl'), logOf() + '{"v":1,"type":"attempt.fin');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await listOpencodeServers()).toEqual(before);

    const resumed = await runCli(['run', '--config', config, '--resume', runDir], dir);
    expect(resumed.exitCode, resumed.stderr).toBe(1);
    expect(resumed.stderr).toContain(`${4 - finishedBefore} of 4 attempt(s) left`);
    const summary = readSummary(runDir);
    expect(summary.status).toBe('complete');
    expect(outcomesOf(summary)).toEqual(outcomesOf(baseline));
    expect(summary.totals).toEqual(baseline.totals);
  });

  it('refuses to resume when the config changed, and says what changed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harness-e2e-refuse-'));
    const config = writeConfig(dir, { ...BODY, targets: [scriptedTarget('noop')], repeats: 1 });
    const first = await runCli(['run', '--config', config], dir);
    expect(first.exitCode, first.stderr).toBe(1);
    writeConfig(dir, { ...BODY, targets: [scriptedTarget('noop')], repeats: 2 });
    const resumed = await runCli(['run', '--config', config, '--resume', onlyRunDir(path.join(dir, 'runs'))], dir);
    expect(resumed.exitCode).toBe(2);
    expect(resumed.stderr).toContain('cannot resume');
    expect(resumed.stderr).toContain('the config');
  });

  it('two shards merged give the summary of the unsharded run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harness-e2e-shard-'));
    const config = writeConfig(dir, BODY);
    const shardDirs: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const out = path.join(dir, `shard-${shard.replace('/', '-of-')}`);
      const cli = await runCli(['run', '--config', config, '--shard', shard, '--out', out], dir);
      expect([0, 1]).toContain(cli.exitCode);
      shardDirs.push(onlyRunDir(out));
    }
    expect(readSummary(shardDirs[0] ?? '').totals.specs).toBe(2);
    const merged = await runCli(['merge', ...shardDirs, '--out', path.join(dir, 'merged')], dir);
    expect(merged.exitCode, merged.stderr).toBe(1);
    const summary = readSummary(onlyRunDir(path.join(dir, 'merged')));
    expect(outcomesOf(summary)).toEqual(outcomesOf(baseline));
    expect(summary.totals).toEqual(baseline.totals);
    expect(summary.specs.map((spec) => spec.spec.id)).toEqual(baseline.specs.map((spec) => spec.spec.id));

    const incomplete = await runCli(['merge', shardDirs[0] ?? '', '--out', path.join(dir, 'bad')], dir);
    expect(incomplete.exitCode).toBe(2);
    expect(incomplete.stderr).toContain('exactly once');
  });
  it('an incremental run re-runs only cells whose inputs changed, and marks the reused ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harness-e2e-incremental-'));
    const base = { scenarios: ['add-stock-widget'], concurrency: 2 };
    const config = writeConfig(dir, { ...base, targets: [scriptedTarget('noop')] });
    expect((await runCli(['run', '--config', config, '--incremental'], dir)).exitCode).toBe(1);
    writeConfig(dir, { ...base, targets: [scriptedTarget('noop'), scriptedTarget('core-write')] });
    const second = await runCli(['run', '--config', config, '--incremental'], dir);
    expect(second.exitCode, second.stderr).toBe(1);
    const runs = readdirSync(path.join(dir, 'runs'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    const summary = readSummary(path.join(dir, 'runs', runs.at(-1) ?? ''));
    const byTarget = new Map(summary.specs.map((spec) => [spec.spec.targetId, spec.attempts.at(-1)]));
    expect(byTarget.get('scripted-noop')?.reusedFrom?.runId).toBe(runs[0]);
    expect(byTarget.get('scripted-core-write')?.reusedFrom).toBeUndefined();
    expect(byTarget.get('scripted-core-write')?.outcome.kind).toBe('failed');
  });
});
