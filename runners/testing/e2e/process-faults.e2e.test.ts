import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventLog } from '../../pipeline/events/event-log.ts';
import { listRunDirs, readLogLines } from '../support/event-logs.ts';
import { readSummary, scriptedTarget, startCli, writeConfig } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses, listWorkspaceOpencode } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';
import { useWorkspace, type Workspace } from '../support/workspace.ts';

/**
 * OpenCode or the harness itself dies mid-run: an OpenCode server killed during an attempt is an
 * infra error [opencode], retried on a fresh server; a harness stopped by SIGINT or SIGTERM takes
 * every process it started with it and leaves a log that still reads.
 */

/** The file the reference solution writes first, in any sandbox of the workspace's run. */
function findWrittenSolution(workspace: Workspace): boolean {
  for (const harnessDir of readdirSync(workspace.tmp).filter((name) => name.startsWith('harness-'))) {
    const workers = path.join(workspace.tmp, harnessDir, 'workers');
    if (!existsSync(workers)) continue;
    for (const worker of readdirSync(workers)) {
      if (existsSync(path.join(workers, worker, 'sandboxes', 'portfolio-dashboard', 'repo', 'src', 'user-components', 'StockQuotesWidget.tsx'))) return true;
    }
  }
  return false;
}

describe('OpenCode killed mid-attempt', () => {
  it('records an infra error [opencode], retries on a fresh server, and the retry passes', async () => {
    const workspace = useWorkspace('harness-e2e-kill-opencode-');
    // slow-reference answers each request after a second, so the attempt is still talking to OpenCode when its first file lands.
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('slow-reference')], scenarios: ['add-stock-widget'], concurrency: 1, infraRetries: 1, retryBackoffMs: 200 });
    const child = startCli(['run', '--config', config], workspace);
    await waitFor(() => findWrittenSolution(workspace), { timeoutMs: 90_000, what: 'the first file of the reference solution' });
    const servers = listWorkspaceOpencode(workspace);
    expect(servers).toHaveLength(1);
    process.kill(servers[0]?.pid ?? 0, 'SIGKILL');
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const [runDir] = listRunDirs(path.join(workspace.dir, 'runs'));
    const attempts = readSummary(runDir ?? '').specs[0]?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.outcome.kind)).toEqual(['infra-error', 'passed']);
    expect(attempts[0]?.outcome).toMatchObject({ source: 'opencode', message: expect.stringContaining('OpenCode server exited during the attempt') });
    await expectNoWorkspaceProcesses(workspace);
  });
});

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('the harness stopped by %s', (signal, exitCode) => {
  it('stops every OpenCode server and check it started, and its log still reads', async () => {
    const workspace = useWorkspace(`harness-e2e-${signal.toLowerCase()}-`);
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('hang'), scriptedTarget('slow-reference')], scenarios: ['add-stock-widget'], concurrency: 2 });
    const child = startCli(['run', '--config', config], workspace);
    await waitFor(() => listWorkspaceOpencode(workspace).length === 2, { timeoutMs: 90_000, what: 'two OpenCode servers' });
    const runsDir = path.join(workspace.dir, 'runs');
    const startedAttempts = () => readLogLines(listRunDirs(runsDir)[0] ?? '').events.filter((event) => event.type === 'attempt.started').length;
    await waitFor(() => startedAttempts() === 2, { timeoutMs: 30_000, what: 'both attempts started' });
    child.kill(signal);
    const result = await child;
    expect(result.exitCode).toBe(exitCode);
    expect(String(result.stderr)).toContain(`${signal}: stopping OpenCode servers`);
    await expectNoWorkspaceProcesses(workspace);
    const [runDir] = listRunDirs(runsDir);
    const { events, problems } = readEventLog(runDir ?? '');
    expect(problems).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(['run.started', 'attempt.started', 'attempt.started']);
  });
});
