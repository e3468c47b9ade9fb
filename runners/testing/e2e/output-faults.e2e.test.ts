import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { expect, it, onTestFinished } from 'vitest';
import { readEventLog } from '../../pipeline/events/event-log.ts';
import type { AttemptFinishedEvent } from '../../pipeline/events/event-types.ts';
import { detectIsolation } from '../../platform/confinement/confinement.ts';
import { listRunDirs } from '../support/event-logs.ts';
import { CLI, readSummary, runCli, scriptedTarget, writeConfig } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { bubblewrap, describeWith, tmpfsMounts } from '../support/real-dependencies.ts';
import { waitFor } from '../support/wait-for.ts';
import { useWorkspace } from '../support/workspace.ts';

/**
 * The output folder refuses the run: read-only (the harness runs as root here, so the folder is
 * made read-only for the harness process with bubblewrap's --ro-bind), or full (a small tmpfs).
 * Either way: a clear error, not a stack trace, exit code 4, nothing recorded lost, and once there
 * is room `--resume` completes the run.
 */
const EXIT_OUTPUT_NOT_WRITABLE = 4;

describeWith(bubblewrap(), 'a read-only output folder', () => {
  it('stops before anything runs, saying which folder and what to do', async () => {
    const isolation = detectIsolation('auto');
    const workspace = useWorkspace('harness-e2e-read-only-');
    const outputDir = path.join(workspace.dir, 'runs');
    mkdirSync(outputDir);
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('reference')], scenarios: ['add-stock-widget'] });
    const binary = isolation.kind === 'bubblewrap' ? isolation.binary : 'bwrap';
    const result = await execa(binary, ['--bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--ro-bind', outputDir, outputDir, '--', process.execPath, CLI, 'run', '--config', config], {
      cwd: workspace.dir,
      reject: false,
      env: { FORCE_COLOR: '0', ...workspace.env },
    });
    expect(result.exitCode, result.stderr).toBe(EXIT_OUTPUT_NOT_WRITABLE);
    expect(result.stderr).toMatch(new RegExp(`error: ${outputDir}/[^:]+: cannot create the run folder: EROFS`));
    expect(result.stderr).toContain('Nothing ran. Make the output folder writable');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(outputDir)).toEqual([]);
    expect(readdirSync(workspace.tmp)).toEqual([]);
  });
});

/** The attempts recorded as finished in the (only) run under `outputDir`, none before it exists. */
function finishedAttempts(outputDir: string): string[] {
  const [runDir] = listRunDirs(outputDir);
  if (runDir === undefined || !existsSync(path.join(runDir, 'events.jsonl'))) return [];
  return readEventLog(runDir)
    .events.filter((event): event is AttemptFinishedEvent => event.type === 'attempt.finished')
    .map((event) => event.attempt.attemptId);
}

describeWith(tmpfsMounts(), 'an output folder whose disk fills up during the run', () => {
  it('stops with a clear error, keeps the log whole, and completes on --resume once there is room', async () => {
    const workspace = useWorkspace('harness-e2e-disk-full-');
    const mountPoint = path.join(workspace.dir, 'runs');
    mkdirSync(mountPoint);
    // Room enough at first; once the first attempt is recorded, a ballast file takes the rest.
    execaSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mountPoint]);
    // Registered after the workspace, so it runs before the workspace is removed.
    onTestFinished(() => {
      execaSync('umount', ['-l', mountPoint], { reject: false });
    });
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('reference')], scenarios: ['add-stock-widget'], repeats: 2, concurrency: 1 });
    const running = runCli(['run', '--config', config], workspace);
    await waitFor(() => finishedAttempts(mountPoint).length === 1, { timeoutMs: 240_000, what: 'the first attempt to be recorded' });
    const ballast = path.join(mountPoint, 'ballast');
    execaSync('dd', ['if=/dev/zero', `of=${ballast}`, 'bs=64k'], { reject: false });
    const full = await running;
    expect(full.exitCode, full.stderr).toBe(EXIT_OUTPUT_NOT_WRITABLE);
    expect(full.stderr).toMatch(/error: \S+events\.jsonl: cannot append the \S+ event: ENOSPC/);
    expect(full.stderr).toContain('the log is valid up to its last whole event');
    expect(full.stderr).toContain('--resume');
    expect(full.stderr).not.toMatch(/\n\s+at /);
    await expectNoWorkspaceProcesses(workspace);

    const [runDir = ''] = listRunDirs(mountPoint);
    expect(readEventLog(runDir).problems).toEqual([]);
    const finishedBefore = finishedAttempts(mountPoint);
    expect(finishedBefore).toHaveLength(1);

    rmSync(ballast);
    const resumed = await runCli(['run', '--config', config, '--resume', runDir], workspace);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const summary = readSummary(runDir);
    expect(summary.status).toBe('complete');
    expect(summary.totals).toMatchObject({ specs: 2, passed: 2 });
    const finishedAfter = summary.specs.flatMap((spec) => spec.attempts.map((attempt) => attempt.attemptId));
    for (const id of finishedBefore) expect(finishedAfter).toContain(id);
    expect(new Set(finishedAfter).size).toBe(finishedAfter.length);
    expect(existsSync(path.join(runDir, 'report.html'))).toBe(true);
    await expectNoWorkspaceProcesses(workspace);
  });
});
