import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { runAttempts } from '../../commands/api/run-attempts.ts';
import { runCommand } from '../../commands/cli/run-command.ts';
import type { AttemptOutcome } from '../../core/domain/attempt.ts';
import { isOutputError } from '../../core/errors.ts';
import { scriptedTarget, writeConfig } from '../../testing/support/harness-cli.ts';
import { makeReadOnly, readOnlyFolders, describeWith } from '../../testing/support/real-dependencies.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';
import { EVENT_LOG_FILE, readEventLog } from '../events/event-log.ts';
import type { AttemptFinishedEvent, HarnessEvent } from '../events/event-types.ts';
import { createFakeExecution, createRecordingSink, type FakeExecution } from '../execute/test-support.ts';
import { summarizeRun } from '../summary/summarize.ts';
import { FIX_HINT } from './run-log.ts';
import { runNew, runResumed, type RunIo } from './run-lifecycle.ts';

/**
 * The run lifecycle (plan → event log → execute → run.finished) as the command line, the API and
 * `--resume` use it, with execution faked: the scripted reference passes, noop fails.
 */
const TARGETS = ['scripted-reference', 'scripted-noop'];
const SCENARIO = 'add-stock-widget';

function fakeExecution(): FakeExecution {
  return createFakeExecution({ outcome: (attempt): AttemptOutcome => (attempt.target.id === 'scripted-reference' ? { kind: 'passed' } : { kind: 'failed', failedChecks: ['tests'] }) });
}

function quietIo(): RunIo {
  return { sink: createRecordingSink(), print: () => undefined };
}

/** A config over the project's scenarios with both scripted targets, in a workspace of the test's own. */
function setUp(): { dir: string; configFile: string } {
  const { dir } = useWorkspace('run-lifecycle-');
  const configFile = writeConfig(dir, { targets: ['reference', 'noop'].map(scriptedTarget), scenarios: [SCENARIO], isolation: 'none', concurrency: 1 });
  return { dir, configFile };
}

/** A log with what differs between any two runs (ids, times) blanked out. */
function comparable(events: readonly HarnessEvent[]): unknown[] {
  return events.map((event) => {
    switch (event.type) {
      case 'run.started':
        return { ...event, at: '<at>', runId: '<run id>' };
      case 'run.finished':
        return { ...event, at: '<at>', durationMs: 0 };
      default:
        return { ...event, at: '<at>' };
    }
  });
}

describe('the run lifecycle', () => {
  it('writes the same log for the API (runAttempts) and the command line (harness run)', async () => {
    const { dir, configFile } = setUp();
    // As the user would name it on the command line; the API records its path relative to the working folder too.
    const relativeConfig = path.relative(process.cwd(), configFile);
    const api = await runAttempts({ configFile, scenarioIds: [SCENARIO], targetIds: TARGETS, promptVariantIds: ['default'], outputDir: path.join(dir, 'api') }, fakeExecution().dependencies);
    const io = { print: () => undefined, createProgress: () => createRecordingSink() };
    const cli = await runCommand({ config: relativeConfig, scenario: [SCENARIO], target: TARGETS, prompt: ['default'], out: path.join(dir, 'cli') }, io, fakeExecution().dependencies);
    if (cli.kind !== 'ran') throw new Error('harness run did not run');
    const apiLog = readEventLog(api.runDir).events;
    expect(apiLog.map((event) => event.type)).toEqual(['run.started', 'attempt.started', 'attempt.finished', 'attempt.started', 'attempt.finished', 'run.finished']);
    expect(comparable(readEventLog(cli.run.runDir).events)).toEqual(comparable(apiLog));
    expect(api.attempts.map((attempt) => attempt.outcome.kind)).toEqual(['passed', 'failed']);
    expect(summarizeRun(apiLog).status).toBe('complete');
  });

  it('--resume with incremental reuses unchanged results of other runs and runs only the rest', async () => {
    const { configFile } = setUp();
    const first = await runNew({ configFile, invocation: { target: ['scripted-reference'] } }, quietIo(), fakeExecution().dependencies);
    const second = await runNew({ configFile, invocation: {} }, quietIo(), fakeExecution().dependencies);
    // As a run killed right after it started leaves its log: run.started and nothing else.
    const log = path.join(second.runDir, EVENT_LOG_FILE);
    writeFileSync(log, `${readFileSync(log, 'utf8').split('\n')[0]}\n`);

    const resumeExecution = fakeExecution();
    await runResumed(second.runDir, { configFile, incremental: true }, quietIo(), resumeExecution.dependencies);
    const noopSpec = second.specs.find((spec) => spec.targetId === 'scripted-noop');
    expect(resumeExecution.attempts.map((attempt) => attempt.attemptId)).toEqual([`${noopSpec?.id}-a1`]);
    const events = readEventLog(second.runDir).events;
    expect(events.find((event) => event.type === 'run.resumed')).toMatchObject({ remainingSpecs: 2 });
    const earlier = readEventLog(first.runDir).events.find((event): event is AttemptFinishedEvent => event.type === 'attempt.finished')?.attempt;
    const reused = events.find((event): event is AttemptFinishedEvent => event.type === 'attempt.finished' && event.attempt.reusedFrom !== undefined);
    expect(reused?.attempt).toMatchObject({ outcome: { kind: 'passed' }, reusedFrom: { runId: first.runId, attemptId: earlier?.attemptId } });
    const summary = summarizeRun(events);
    expect(summary.status).toBe('complete');
    expect(summary.totals).toMatchObject({ specs: 2, passed: 1, failed: 1 });
  });

  it('--resume without incremental runs every spec that has no result yet', async () => {
    const { configFile } = setUp();
    await runNew({ configFile, invocation: { target: ['scripted-reference'] } }, quietIo(), fakeExecution().dependencies);
    const second = await runNew({ configFile, invocation: {} }, quietIo(), fakeExecution().dependencies);
    const log = path.join(second.runDir, EVENT_LOG_FILE);
    writeFileSync(log, `${readFileSync(log, 'utf8').split('\n')[0]}\n`);
    const resumeExecution = fakeExecution();
    await runResumed(second.runDir, { configFile }, quietIo(), resumeExecution.dependencies);
    expect(resumeExecution.attempts).toHaveLength(2);
  });

  it('--shard auto runs the slice its engine names (here a Kubernetes Indexed Job) and says which', async () => {
    const { configFile } = setUp();
    vi.stubEnv('JOB_COMPLETION_INDEX', '1');
    vi.stubEnv('HARNESS_SHARD_TOTAL', '2');
    vi.stubEnv('HARNESS_SHARD_INDEX', undefined);
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const lines: string[] = [];
    const run = await runNew({ configFile, invocation: { shard: 'auto' } }, { sink: createRecordingSink(), print: (line) => lines.push(line) }, fakeExecution().dependencies);
    const started = readEventLog(run.runDir).events[0];
    expect(started?.type === 'run.started' ? started.shard : undefined).toEqual({ index: 2, count: 2, plannedSpecs: 2 });
    expect(run.specs.map((spec) => spec.targetId)).toEqual(['scripted-noop']);
    expect(lines[0]).toContain('1 attempt(s) (shard 2/2)');
  });
});

describeWith(readOnlyFolders(), 'a read-only output folder', () => {
  it('stops the API and the command line with the same OutputError, before anything runs', async () => {
    const { dir, configFile } = setUp();
    const outputDir = path.join(dir, 'read-only');
    mkdirSync(outputDir);
    // Registered after the workspace, so the folder is writable again before the workspace goes.
    onTestFinished(makeReadOnly(outputDir));
    const execution = fakeExecution();
    const api: unknown = await runAttempts({ configFile, scenarioIds: [SCENARIO], targetIds: TARGETS, promptVariantIds: ['default'], outputDir }, execution.dependencies).catch((error: unknown) => error);
    const io = { print: () => undefined, createProgress: () => createRecordingSink() };
    const cli: unknown = await runCommand({ config: configFile, scenario: [SCENARIO], target: TARGETS, prompt: ['default'], out: outputDir }, io, execution.dependencies).catch((error: unknown) => error);
    if (!isOutputError(api) || !isOutputError(cli)) throw new Error(`expected two OutputErrors, got ${String(api)} and ${String(cli)}`);
    // Each run has its own id, so its own folder name.
    const withoutRunId = (message: string) => message.replace(new RegExp(`${outputDir}/[^:]+`), `${outputDir}/<run id>`);
    expect(withoutRunId(cli.message)).toBe(withoutRunId(api.message));
    expect(withoutRunId(api.message)).toMatch(new RegExp(`^${outputDir}/<run id>: cannot create the run folder: (EROFS|EACCES)`));
    expect(api.message).toContain(`Nothing ran. ${FIX_HINT}`);
    expect(readdirSync(outputDir)).toEqual([]);
    expect(execution.attempts).toEqual([]);
  });
});
