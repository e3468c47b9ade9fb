import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttemptFinishedEvent } from '../../pipeline/events/event-types.ts';
import { readEventLog } from '../../pipeline/events/event-log.ts';
import { listRunDirs, readLogLines } from '../support/event-logs.ts';
import { readSummary, runCli, scriptedTarget, startCli, writeConfig } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { createRandom } from '../support/random.ts';
import { sleep } from '../support/wait-for.ts';
import { useWorkspace } from '../support/workspace.ts';

/**
 * The harness killed with SIGKILL at random points — while it starts, between attempts, in the
 * middle of one, perhaps while it writes the log — then resumed, again and again: no finished
 * attempt is lost, none is counted twice, the log always reads (a torn last line is cut and
 * reported), no process is left behind, and the run ends as an uninterrupted one would.
 * The schedule is seeded (HARNESS_CHAOS_SEED) so that a failure can be replayed.
 */
const SEED = Number(process.env.HARNESS_CHAOS_SEED ?? 20261121);
const KILLS = 3;
const MIN_DELAY_MS = 300;
const MAX_DELAY_MS = 7_000;

describe(`the harness killed at ${KILLS} random points (seed ${SEED}), then resumed`, () => {
  it('loses no attempt, counts none twice, and ends like an uninterrupted run', async () => {
    const random = createRandom(SEED);
    const workspace = useWorkspace('harness-e2e-chaos-');
    const runsDir = path.join(workspace.dir, 'runs');
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('reference'), scriptedTarget('noop')], repeats: 2, concurrency: 2, scenarios: ['add-stock-widget'] });
    const snapshots: string[] = [];
    let runDir: string | undefined;
    let tornLast = false;
    for (let round = 0; round < KILLS; round += 1) {
      const delayMs = MIN_DELAY_MS + random.int(MAX_DELAY_MS - MIN_DELAY_MS);
      const child = startCli(['run', '--config', config, ...(runDir === undefined ? [] : ['--resume', runDir])], workspace);
      const exited = await Promise.race([child.then(() => true), sleep(delayMs).then(() => false)]);
      if (!exited) child.kill('SIGKILL');
      await child;
      await expectNoWorkspaceProcesses(workspace);
      runDir = listRunDirs(runsDir)[0];
      if (runDir === undefined) continue;
      const { events, text } = readLogLines(runDir);
      if (events[0]?.type !== 'run.started') {
        // Killed before the run was recorded: nothing to resume, start afresh.
        rmSync(runDir, { recursive: true, force: true });
        runDir = undefined;
        continue;
      }
      snapshots.push(text.slice(0, text.lastIndexOf('\n') + 1));
      tornLast = round === KILLS - 1 || random.next() < 0.5;
      // As a crash in the middle of writing an event leaves it.
      if (tornLast && !text.endsWith('{"v":1,"type":"attem')) appendFileSync(path.join(runDir, 'events.jsonl'), '{"v":1,"type":"attempt.finished","at":"2026-');
    }

    const final = await runCli(['run', '--config', config, ...(runDir === undefined ? [] : ['--resume', runDir])], workspace);
    expect(final.exitCode, final.stderr).toBe(1);
    await expectNoWorkspaceProcesses(workspace);
    runDir ??= listRunDirs(runsDir)[0] ?? '';
    if (tornLast) expect(final.stderr).toContain("the event log's last line was torn by the interruption");

    const { events, problems } = readEventLog(runDir);
    expect(problems).toEqual([]);
    const fullText = readLogLines(runDir).text;
    // Append-only: every event written before a kill is still there, in place.
    for (const snapshot of snapshots) expect(fullText.startsWith(snapshot)).toBe(true);
    const finished = events.filter((event): event is AttemptFinishedEvent => event.type === 'attempt.finished').map((event) => event.attempt);
    const ids = finished.map((attempt) => attempt.attemptId);
    expect(new Set(ids).size).toBe(ids.length);

    const summary = readSummary(runDir);
    expect(summary.status).toBe('complete');
    expect(summary.totals).toMatchObject({ specs: 4, passed: 2, failed: 2, timedOut: 0, infraErrors: 0, pending: 0 });
    for (const spec of summary.specs) {
      expect(spec.attempts.map((attempt) => attempt.attemptNumber)).toEqual(spec.attempts.map((_, index) => index + 1));
      expect(spec.outcome.kind).toBe(spec.spec.targetId === 'scripted-reference' ? 'passed' : 'failed');
    }
  });
});
