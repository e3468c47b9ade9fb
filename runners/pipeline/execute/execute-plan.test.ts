import { describe, expect, it } from 'vitest';
import { makeAttempt } from '../../bench/support/attempt-record.ts';
import { buildRunEvents } from '../../bench/support/summary-from-specs.ts';
import type { AttemptOutcome } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { NO_REDACTION } from '../../core/redact.ts';
import { sleep, waitFor } from '../../testing/support/wait-for.ts';
import type { AttemptFinishedEvent } from '../events/event-types.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';
import { summarizeRun } from '../summary/summarize.ts';
import { executePlan, type ExecuteOptions } from './execute-plan.ts';
import {
  createFakeExecution,
  createFakeWorkers,
  createMemoryLog,
  createRecordingSink,
  preparePlan,
  readyServer,
  scriptedTarget,
  type AttemptScript,
  type FakeExecution,
  type FakeWorkers,
  type MemoryLog,
  type RecordingSink,
} from './test-support.ts';
import type { ReusableAttempt, WorkItem } from './work-item.ts';

/** A target on its own host's model server, brought up by whoever runs it. */
const endpoint = (id: string, host: string) => ({ kind: 'openai-compatible', id, model: 'qwen', baseURL: `http://${host}:8000/v1` });

const PASSED: AttemptOutcome = { kind: 'passed' };
const FAILED: AttemptOutcome = { kind: 'failed', failedChecks: ['tests'] };
const TIMED_OUT: AttemptOutcome = { kind: 'timed-out', afterMs: 60_000 };
const ENDPOINT_DOWN: AttemptOutcome = { kind: 'infra-error', source: 'endpoint', message: 'connect ECONNREFUSED 127.0.0.1:8000' };

interface Run {
  fake: FakeExecution;
  log: MemoryLog;
  sink: RecordingSink;
  /** The summary of the run's log, as `harness report` would build it. */
  summaryOf(): ReturnType<typeof summarizeRun>;
}

interface RunParts {
  prepared: PreparedRun;
  outcome: AttemptScript;
  work?: WorkItem[] | undefined;
  reusable?: Map<string, ReusableAttempt> | undefined;
  switchTo?: Parameters<typeof createFakeExecution>[0]['switchTo'];
  sleep?: Parameters<typeof createFakeExecution>[0]['sleep'];
  workers?: FakeWorkers | undefined;
  scrapeMetrics?: Parameters<typeof createFakeExecution>[0]['scrapeMetrics'];
}

async function execute(parts: RunParts): Promise<Run> {
  const fake = createFakeExecution({ outcome: parts.outcome, switchTo: parts.switchTo, sleep: parts.sleep, workers: parts.workers, scrapeMetrics: parts.scrapeMetrics });
  const log = createMemoryLog();
  const sink = createRecordingSink();
  const work = parts.work ?? parts.prepared.specs.map((spec) => ({ spec, firstAttemptNumber: 1 }));
  const options: ExecuteOptions = {
    prepared: parts.prepared,
    work,
    log,
    sink,
    settings: { checkTimeoutMs: 60_000, endpointRetryLimit: 1, keepSandboxes: false },
    secretEnv: {},
    redactor: NO_REDACTION,
    isolation: { kind: 'none', reason: 'a test' },
    runDir: '/runs/run-under-test',
    record: false,
    reusable: parts.reusable,
  };
  await executePlan(options, fake.dependencies);
  const summaryOf = () => {
    // The run.started a real run writes first; execution appends the rest.
    const started = buildRunEvents(parts.prepared.specs.map((spec) => ({ spec, attempts: [] })), [...parts.prepared.targets.values()]).slice(0, 1);
    return summarizeRun([...started, ...log.events]);
  };
  return { fake, log, sink, summaryOf };
}

/** Outcomes handed out in order, per spec (the last one repeats). */
function outcomesPerSpec(bySpec: (spec: RunSpec) => AttemptOutcome[]): AttemptScript {
  const given = new Map<string, number>();
  return (attempt) => {
    const list = bySpec(attempt.spec);
    const index = given.get(attempt.spec.id) ?? 0;
    given.set(attempt.spec.id, index + 1);
    return list[Math.min(index, list.length - 1)] ?? PASSED;
  };
}

function finishedAttempts(log: MemoryLog): Array<{ attemptId: string; attemptNumber: number; outcome: string }> {
  return log.events
    .filter((event): event is AttemptFinishedEvent => event.type === 'attempt.finished')
    .map(({ attempt }) => ({ attemptId: attempt.attemptId, attemptNumber: attempt.attemptNumber, outcome: attempt.outcome.kind }));
}

const oneSpec = (extra: Record<string, unknown> = {}) =>
  preparePlan({ targets: [scriptedTarget('reference')], scenarios: ['add-stock-widget'], infraRetries: 2, retryBackoffMs: 100, ...extra });

describe('executePlan: infra retries', () => {
  it('retries an infra error as a new attempt with exponential backoff; the spec ends as its last attempt', async () => {
    const prepared = oneSpec();
    const run = await execute({ prepared, outcome: outcomesPerSpec(() => [ENDPOINT_DOWN, ENDPOINT_DOWN, PASSED]) });
    const [spec] = prepared.specs;
    expect(finishedAttempts(run.log)).toEqual([
      { attemptId: `${spec?.id}-a1`, attemptNumber: 1, outcome: 'infra-error' },
      { attemptId: `${spec?.id}-a2`, attemptNumber: 2, outcome: 'infra-error' },
      { attemptId: `${spec?.id}-a3`, attemptNumber: 3, outcome: 'passed' },
    ]);
    expect(run.fake.sleeps).toEqual([100, 200]);
    const summary = run.summaryOf();
    expect(summary.specs[0]?.outcome).toEqual(PASSED);
    expect(summary.specs[0]?.attempts).toHaveLength(3);
    expect(summary.totals).toMatchObject({ passed: 1, infraErrors: 0 });
  });

  it('logs every attempt, started then finished, and counts a spec as done only when no retry follows', async () => {
    const prepared = oneSpec();
    const run = await execute({ prepared, outcome: outcomesPerSpec(() => [ENDPOINT_DOWN, PASSED]) });
    const [spec] = prepared.specs;
    expect(run.log.events.map((event) => (event.type === 'attempt.started' ? `started #${event.attemptNumber}` : `${event.type}`))).toEqual([
      'started #1',
      'attempt.finished',
      'started #2',
      'attempt.finished',
    ]);
    expect(run.sink.progress).toEqual([
      { attemptId: `${spec?.id}-a1`, done: 0, total: 1, willRetry: true },
      { attemptId: `${spec?.id}-a2`, done: 1, total: 1, willRetry: false },
    ]);
    expect(run.sink.calls[0]).toBe('planned 1');
    expect(run.sink.calls.at(-1)).toBe('finished');
  });

  it('stops after infraRetries: the last infra error is the outcome', async () => {
    const prepared = oneSpec({ infraRetries: 1 });
    const run = await execute({ prepared, outcome: () => ENDPOINT_DOWN });
    expect(finishedAttempts(run.log).map((attempt) => attempt.outcome)).toEqual(['infra-error', 'infra-error']);
    expect(run.fake.sleeps).toEqual([100]);
    expect(run.summaryOf().specs[0]?.outcome).toEqual(ENDPOINT_DOWN);
  });

  it.each([
    ['failed', FAILED],
    ['timed out', TIMED_OUT],
  ])('never retries a model failure (%s)', async (_name, outcome) => {
    const prepared = oneSpec();
    const run = await execute({ prepared, outcome: () => outcome });
    expect(finishedAttempts(run.log)).toHaveLength(1);
    expect(run.fake.sleeps).toEqual([]);
    expect(run.summaryOf().specs[0]?.outcome).toEqual(outcome);
  });

  it('continues a resumed spec from its next attempt number, with the retries left', async () => {
    const prepared = oneSpec();
    const [spec] = prepared.specs;
    if (spec === undefined) throw new Error('one spec expected');
    const run = await execute({ prepared, work: [{ spec, firstAttemptNumber: 2 }], outcome: () => ENDPOINT_DOWN });
    expect(finishedAttempts(run.log).map((attempt) => attempt.attemptNumber)).toEqual([2, 3]);
    expect(run.fake.sleeps).toEqual([100]);
  });
});

describe('executePlan: workers', () => {
  it('a server that cannot start gives an infra error [opencode] naming why, and the retry gets a fresh worker', async () => {
    const prepared = oneSpec();
    const workers = createFakeWorkers();
    // Started ahead of need, then again when the attempt needs it: both fail.
    workers.failNextStart(new Error('opencode serve printed no address within 30 s'), 2);
    const run = await execute({ prepared, workers, outcome: () => PASSED });
    const finished = run.log.events.filter((event): event is AttemptFinishedEvent => event.type === 'attempt.finished').map((event) => event.attempt.outcome);
    expect(finished).toEqual([{ kind: 'infra-error', source: 'opencode', message: 'could not start an OpenCode server: opencode serve printed no address within 30 s' }, PASSED]);
    expect(run.fake.attempts.map((attempt) => attempt.workerId)).toEqual([2]);
    expect(run.fake.sleeps).toEqual([100]);
  });

  it('a worker dying mid-attempt is retired, and the retry runs on a fresh server', async () => {
    const prepared = oneSpec();
    let killed = false;
    const run = await execute({
      prepared,
      outcome: (_attempt, worker) => {
        if (killed) return PASSED;
        killed = true;
        worker.die();
        return { kind: 'infra-error', source: 'opencode', message: 'OpenCode server exited during the attempt' };
      },
    });
    expect(run.fake.attempts.map((attempt) => attempt.workerId)).toEqual([0, 1]);
    expect(run.fake.workers.stopped).toContain(0);
    expect(finishedAttempts(run.log).map((attempt) => attempt.outcome)).toEqual(['infra-error', 'passed']);
    expect(run.summaryOf().specs[0]?.outcome).toEqual(PASSED);
  });

  it('closes the pool and the endpoints (with every record) when done', async () => {
    const prepared = preparePlan({ targets: [scriptedTarget('reference'), scriptedTarget('noop')], scenarios: ['add-stock-widget'], infraRetries: 1, retryBackoffMs: 1 });
    const run = await execute({ prepared, outcome: outcomesPerSpec((spec) => (spec.targetId === 'scripted-noop' ? [ENDPOINT_DOWN, FAILED] : [PASSED])) });
    expect(run.fake.endpointsClosedWith?.map((record) => record.outcome.kind).sort()).toEqual(['failed', 'infra-error', 'passed']);
    expect([...run.fake.workers.stopped].sort()).toEqual([...run.fake.workers.started].sort());
    expect(run.fake.timeline.at(-1)).toBe('closed');
  });
});

describe('executePlan: reuse of earlier results', () => {
  const prepared = preparePlan({ targets: [scriptedTarget('reference'), scriptedTarget('noop')], scenarios: ['add-stock-widget'] });
  const [reused, fresh] = prepared.specs;
  if (reused === undefined || fresh === undefined) throw new Error('two specs expected');
  const earlier: ReusableAttempt = { runId: 'earlier-run', attempt: makeAttempt({ specId: reused.id, attemptId: `${reused.id}-a1`, outcome: PASSED }) };

  it('logs an earlier result in place of running the spec, marked with where it came from', async () => {
    const run = await execute({ prepared, reusable: new Map([[reused.id, earlier]]), outcome: () => FAILED });
    expect(run.fake.attempts.map((attempt) => attempt.attemptId)).toEqual([`${fresh.id}-a1`]);
    const reusedEvent = run.log.events.find((event): event is AttemptFinishedEvent => event.type === 'attempt.finished' && event.attempt.specId === reused.id);
    expect(reusedEvent?.attempt).toMatchObject({ outcome: PASSED, reusedFrom: { runId: 'earlier-run', attemptId: `${reused.id}-a1` } });
    expect(run.log.events.some((event) => event.type === 'attempt.started' && event.specId === reused.id)).toBe(false);
    const summary = run.summaryOf();
    expect(summary.specs.map((spec) => spec.outcome.kind)).toEqual(['passed', 'failed']);
  });

  it('starts nothing when every spec can be reused', async () => {
    const all = new Map(prepared.specs.map((spec): [string, ReusableAttempt] => [spec.id, { runId: 'earlier-run', attempt: makeAttempt({ specId: spec.id, outcome: PASSED }) }]));
    const run = await execute({ prepared, reusable: all, outcome: () => FAILED });
    expect(run.fake.attempts).toEqual([]);
    expect(run.fake.workers.started).toEqual([]);
    expect(run.fake.endpointsClosedWith).toBeUndefined();
    expect(run.sink.progress.map((progress) => progress.done)).toEqual([1, 2]);
    expect(run.sink.calls.at(-1)).toBe('finished');
  });
});

describe('executePlan: served-model groups', () => {
  /** Two models on one GPU, each brought up by its serve command; two repeats each. */
  const sharedGpu = (extra: Record<string, unknown> = {}) => {
    const endpoint = (id: string, model: string) => ({
      kind: 'openai-compatible',
      id,
      model,
      baseURL: 'http://gpu:8000/v1',
      serve: { command: ['./switch-model.sh', model], readyTimeoutMs: 60_000 },
    });
    return preparePlan({ targets: [endpoint('awq', 'qwen-awq'), endpoint('gptq', 'qwen-gptq')], scenarios: ['add-stock-widget'], repeats: 2, concurrency: 2, ...extra });
  };

  it('a model that fails to come up gives endpoint infra errors for its group only, never retried', async () => {
    const prepared = sharedGpu();
    const run = await execute({
      prepared,
      switchTo: (target) => (target.id === 'awq' ? { status: 'failed', waitedMs: 1, message: 'model server for awq did not come up: CUDA out of memory' } : readyServer(target)),
      outcome: () => PASSED,
    });
    const summary = run.summaryOf();
    const byTarget = (targetId: string) => summary.specs.filter((spec) => spec.spec.targetId === targetId);
    for (const spec of byTarget('awq')) {
      expect(spec.attempts).toHaveLength(1);
      expect(spec.outcome).toEqual({ kind: 'infra-error', source: 'endpoint', message: 'model server for awq did not come up: CUDA out of memory' });
    }
    for (const spec of byTarget('gptq')) expect(spec.outcome).toEqual(PASSED);
    const gptqAttempts = prepared.specs.filter((spec) => spec.targetId === 'gptq').map((spec) => `${spec.id}-a1`);
    expect(run.fake.attempts.map((attempt) => attempt.attemptId).sort()).toEqual(gptqAttempts.sort());
    expect(run.fake.sleeps).toEqual([]);
  });

  it('with a switcher, runs the groups one after another, each in its own serving-metrics window', async () => {
    const prepared = sharedGpu();
    const run = await execute({ prepared, switchTo: readyServer, outcome: () => PASSED });
    const { timeline } = run.fake;
    const awq = new Set(prepared.specs.filter((spec) => spec.targetId === 'awq').map((spec) => `${spec.id}-a1`));
    const phaseOf = (entry: string) => (entry.startsWith('switch') || entry.startsWith('window') ? entry : awq.has(entry.split(' ')[1] ?? '') ? 'awq attempt' : 'gptq attempt');
    const phases = timeline.filter((entry) => entry !== 'closed').map(phaseOf).filter((phase, index, all) => phase !== all[index - 1]);
    expect(phases).toEqual(['switch awq', 'window awq', 'awq attempt', 'switch gptq', 'window gptq', 'gptq attempt']);
    const windows = run.log.events.filter((event) => event.type === 'serving.metrics');
    expect(windows.map((event) => (event.type === 'serving.metrics' ? event.targetIds : []))).toEqual([['awq'], ['gptq']]);
    expect(run.summaryOf().servingMetrics).toHaveLength(2);
  });

  it('without a serve command, groups run at the same time and no switcher is made', async () => {
    const prepared = preparePlan({ targets: [endpoint('left', 'gpu-a'), endpoint('right', 'gpu-b')], scenarios: ['add-stock-widget'], concurrency: 2 });
    // Each attempt waits until both have started: were the groups run one after another, the first would wait forever.
    let started = 0;
    let release: () => void = () => undefined;
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = await execute({
      prepared,
      outcome: async () => {
        started += 1;
        if (started === 2) release();
        await bothStarted;
        return PASSED;
      },
    });
    expect(run.fake.timeline.filter((entry) => entry.startsWith('switch'))).toEqual([]);
    expect(run.fake.timeline.slice(0, 4).map((entry) => entry.split(' ')[0])).toEqual(['window', 'window', 'start', 'start']);
    expect(run.summaryOf().totals.passed).toBe(2);
  });
});

describe('executePlan: several model servers', () => {
  const served = (id: string, model: string, host: string) => ({
    kind: 'openai-compatible',
    id,
    model,
    baseURL: `http://${host}:8000/v1`,
    serve: { command: ['./switch-model.sh', model], readyTimeoutMs: 60_000 },
  });
  /** gpu-b serves one model; gpu-a switches between two. gpu-b's group comes first in the plan. */
  const twoGpus = () =>
    preparePlan({
      targets: [served('coder', 'qwen-coder', 'gpu-b'), served('awq', 'qwen-awq', 'gpu-a'), served('gptq', 'qwen-gptq', 'gpu-a')],
      scenarios: ['add-stock-widget'],
      repeats: 2,
      concurrency: 4,
      infraRetries: 0,
    });
  const ON_GPU_A = new Set(['awq', 'gptq']);
  const bounded = { timeoutMs: 2000, intervalMs: 1 };
  /** Each attempt id's target, to read the timeline by server. */
  const targetOfAttempt = (prepared: PreparedRun) => new Map(prepared.specs.map((spec) => [`${spec.id}-a1`, spec.targetId]));

  it("runs two servers' groups at the same time", async () => {
    const prepared = twoGpus();
    const running = new Set<string>();
    const seenTogether = { value: false };
    const run = await execute({
      prepared,
      switchTo: readyServer,
      // An attempt ends only once the other server has one running: one server after the other would time out.
      outcome: async (attempt) => {
        const server = ON_GPU_A.has(attempt.spec.targetId) ? 'gpu-a' : 'gpu-b';
        running.add(server);
        await waitFor(() => running.size === 2, { ...bounded, what: 'an attempt on the other server' });
        seenTogether.value = true;
        return PASSED;
      },
    });
    expect(seenTogether.value).toBe(true);
    expect(run.summaryOf().totals).toMatchObject({ passed: 6, infraErrors: 0 });
    const targets = targetOfAttempt(prepared);
    const timeline = run.fake.timeline.map((entry) => entry.replace(/ (\S+)$/, (_all, id: string) => ` ${targets.get(id) ?? id}`));
    expect(timeline.indexOf('start awq')).toBeLessThan(timeline.lastIndexOf('end coder'));
    expect(timeline.indexOf('start coder')).toBeLessThan(timeline.lastIndexOf('end awq'));
  });

  it("runs one server's two models one after another while the other server works", async () => {
    const prepared = twoGpus();
    const run = await execute({ prepared, switchTo: readyServer, outcome: () => PASSED });
    const targets = targetOfAttempt(prepared);
    const timeline = run.fake.timeline.map((entry) => entry.replace(/ (\S+)$/, (_all, id: string) => ` ${targets.get(id) ?? id}`));
    const switchGptq = timeline.indexOf('switch gptq');
    expect(timeline.lastIndexOf('end awq')).toBeLessThan(switchGptq);
    expect(timeline.indexOf('start gptq')).toBeGreaterThan(switchGptq);
    // gpu-b's group, first in the plan, did not hold gpu-a back until it was done.
    expect(timeline.indexOf('switch awq')).toBeLessThan(timeline.lastIndexOf('end coder'));
    expect(run.log.events.filter((event) => event.type === 'serving.metrics').map((event) => (event.type === 'serving.metrics' ? event.targetIds : []))).toEqual(
      expect.arrayContaining([['coder'], ['awq'], ['gptq']]),
    );
  });

  it.each([
    ['never comes up', 'failed'],
    ['throws while switching', 'thrown'],
  ])('a server whose model %s gives its own attempts infra errors while the other server runs', async (_name, failure) => {
    const prepared = twoGpus();
    const gpuAAttempts = prepared.specs.filter((spec) => ON_GPU_A.has(spec.targetId)).length;
    let gpuAEnded = 0;
    const run = await execute({
      prepared,
      switchTo: async (target) => {
        if (ON_GPU_A.has(target.id)) return readyServer(target);
        // gpu-b is slow to fail: it gives up only once gpu-a has done all its work.
        await waitFor(() => gpuAEnded === gpuAAttempts, { ...bounded, what: "gpu-a's attempts" });
        if (failure === 'thrown') throw new Error('stop-model.sh: No such file or directory');
        return { status: 'failed', waitedMs: 1, message: 'model server for coder did not come up: CUDA out of memory' };
      },
      outcome: () => {
        gpuAEnded += 1;
        return PASSED;
      },
    });
    const summary = run.summaryOf();
    for (const spec of summary.specs) {
      if (ON_GPU_A.has(spec.spec.targetId)) {
        expect(spec.outcome).toEqual(PASSED);
        continue;
      }
      expect(spec.attempts).toHaveLength(1);
      expect(spec.outcome).toMatchObject({ kind: 'infra-error', source: 'endpoint' });
      expect(spec.outcome.kind === 'infra-error' ? spec.outcome.message : '').toMatch(failure === 'thrown' ? /could not bring qwen-coder up for coder: .*No such file/ : /CUDA out of memory/);
    }
    expect(run.fake.attempts).toHaveLength(gpuAAttempts);
  });

  it('shares the concurrency between the servers that have work', async () => {
    const prepared = preparePlan({ targets: [endpoint('left', 'gpu-a'), endpoint('right', 'gpu-b')], scenarios: ['add-stock-widget'], repeats: 3, concurrency: 2 });
    const run = await execute({ prepared, outcome: () => sleep(5).then(() => PASSED) });
    const targets = targetOfAttempt(prepared);
    const starts = run.fake.timeline.filter((entry) => entry.startsWith('start ')).map((entry) => targets.get(entry.slice('start '.length)));
    // Whichever server's attempts queued first, the other gets the next free slot, not the third attempt of the first.
    expect(new Set(starts.slice(0, 3))).toEqual(new Set(['left', 'right']));
    expect(run.summaryOf().totals.passed).toBe(6);
  });

  it("a failing server's backoff before a retry holds no slot", async () => {
    const prepared = preparePlan({ targets: [endpoint('down', 'gpu-a'), endpoint('up', 'gpu-b')], scenarios: ['add-stock-widget'], concurrency: 1, infraRetries: 1, retryBackoffMs: 100 });
    let upEnded = false;
    const run = await execute({
      prepared,
      // The backoff ends only once the other server's attempt has run in the one slot.
      sleep: () => waitFor(() => upEnded, { ...bounded, what: "the other server's attempt" }),
      outcome: outcomesPerSpec((spec) => {
        if (spec.targetId === 'down') return [ENDPOINT_DOWN];
        upEnded = true;
        return [PASSED];
      }),
    });
    expect(run.fake.sleeps).toEqual([100]);
    expect(run.summaryOf().specs.map((spec) => [spec.spec.targetId, spec.outcome.kind, spec.attempts.length])).toEqual([
      ['down', 'infra-error', 2],
      ['up', 'passed', 1],
    ]);
  });

  it('concurrency auto: each server gets its own limit from its /metrics, every decision is logged, and a server without metrics runs at the fallback', async () => {
    const prepared = preparePlan({
      targets: [endpoint('busy', 'gpu-a'), endpoint('silent', 'gpu-b')],
      scenarios: ['add-stock-widget'],
      repeats: 12,
      concurrency: 'auto',
      autoConcurrency: { start: 1, max: 8, fallback: 2, sampleMs: 200, windowSamples: 1 },
    });
    const targets = targetOfAttempt(prepared);
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    const snapshot = (waiting: number) => {
      const zero = { sum: 0, count: 0 };
      return { promptTokens: 0, generationTokens: 0, requests: 0, timeToFirstToken: zero, queueTime: zero, e2eLatency: zero, prefillTime: zero, decodeTime: zero, running: 1, waiting, kvCacheUsage: null };
    };
    const run = await execute({
      prepared,
      // gpu-a always has room; gpu-b has no /metrics.
      scrapeMetrics: async (url) => (url.includes('gpu-a') ? { status: 'scraped', snapshot: snapshot(0), atMs: Date.now() } : { status: 'unavailable', reason: `${url} answered HTTP 404` }),
      outcome: async (attempt) => {
        const target = targets.get(attempt.attemptId) ?? '';
        running.set(target, (running.get(target) ?? 0) + 1);
        most.set(target, Math.max(most.get(target) ?? 0, running.get(target) ?? 0));
        await sleep(150);
        running.set(target, (running.get(target) ?? 0) - 1);
        return PASSED;
      },
    });
    const samples = run.log.events.flatMap((event) => (event.type === 'concurrency.sample' ? [event] : []));
    const busy = samples.filter((sample) => sample.server === 'http://gpu-a:8000');
    const silent = samples.filter((sample) => sample.server === 'http://gpu-b:8000');
    expect(busy[0]).toMatchObject({ action: 'start', limit: 1 });
    expect(busy.some((sample) => sample.action === 'raise')).toBe(true);
    expect(most.get('busy')).toBeGreaterThan(1);
    expect(most.get('busy')).toBeLessThanOrEqual(8);
    expect(silent.map((sample) => sample.action)).toEqual(['start', 'fallback']);
    expect(most.get('silent')).toBeLessThanOrEqual(2);
    expect(run.sink.calls.filter((call) => call.startsWith('note '))).toEqual([expect.stringContaining('http://gpu-b:8000 gives no signal to follow (http://gpu-b:8000/metrics answered HTTP 404); it runs 2 attempt(s) at once')]);
    const summary = run.summaryOf();
    expect(summary.totals.passed).toBe(24);
    expect(summary.concurrency?.map((timeline) => timeline.server).sort()).toEqual(['http://gpu-a:8000', 'http://gpu-b:8000']);
    expect(summary.concurrency?.find((timeline) => timeline.server === 'http://gpu-b:8000')?.fallbackReason).toContain('HTTP 404');
  });
});
