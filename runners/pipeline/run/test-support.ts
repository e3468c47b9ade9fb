/**
 * Execution without OpenCode for lifecycle tests: fake endpoints, a fake worker pool, and attempts
 * whose outcome a function decides from the spec — the lifecycle, event log and planning are real.
 */
import { createHash } from 'node:crypto';
import type { AttemptOutcome, AttemptRecord } from '../../core/domain/attempt.ts';
import { emptyAttemptEvidence } from '../../core/domain/attempt-records.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { ExecuteDependencies, ProgressSink } from '../execute/execute-plan.ts';
import type { Worker } from '../execute/worker-pool.ts';
import { FAKE_MODEL_PROXY } from '../execute/test-support.ts';
import type { RunIo } from './run-lifecycle.ts';

export type OutcomeOf = (spec: RunSpec, attemptNumber: number) => AttemptOutcome['kind'];

/** A deterministic draw in [0, 1) from a spec id: the same spec always draws the same. */
export function specDraw(spec: RunSpec, salt = ''): number {
  return createHash('sha256').update(`${spec.id}\u0000${salt}`).digest().readUIntBE(0, 6) / 2 ** 48;
}

/** Passes with probability `rates[targetId]`, drawn from the spec id. */
export function passWithRates(rates: Record<string, number>): OutcomeOf {
  return (spec) => (specDraw(spec) < (rates[spec.targetId] ?? 0) ? 'passed' : 'failed');
}

function outcomeOfKind(kind: AttemptOutcome['kind']): AttemptOutcome {
  switch (kind) {
    case 'passed':
      return { kind: 'passed' };
    case 'failed':
      return { kind: 'failed', failedChecks: ['tests'] };
    case 'timed-out':
      return { kind: 'timed-out', afterMs: 1000 };
    case 'infra-error':
      return { kind: 'infra-error', source: 'endpoint', message: 'connect ECONNREFUSED 127.0.0.1:8000' };
  }
}

export interface FakeExecution {
  dependencies: ExecuteDependencies;
  /** Specs whose attempts ran, in order (reused results never run). */
  ran: RunSpec[];
  /** Times the endpoints were started (once per run, whatever the rounds). */
  endpointStarts: number;
}

/** Fake dependencies: every attempt ends at once with `outcomeOf`'s outcome. */
export function fakeExecution(outcomeOf: OutcomeOf): FakeExecution {
  const state: FakeExecution = { dependencies: undefined as unknown as ExecuteDependencies, ran: [], endpointStarts: 0 };
  const worker = { id: 1, attemptsRun: 0, sandboxes: new Map() } as unknown as Worker;
  state.dependencies = {
    startEndpoints: () => {
      state.endpointStarts += 1;
      return Promise.resolve({ upstreamURLOf: () => 'http://127.0.0.1:9/v1', modelProxy: FAKE_MODEL_PROXY, hooksFor: () => ({ before: () => Promise.resolve(), after: (record) => Promise.resolve(record) }), close: () => Promise.resolve() });
    },
    scrapeMetrics: (url) => Promise.resolve({ status: 'unavailable', reason: `${url}: a fake server without metrics` }),
    createMachineReader: () => () => ({ cpuBusy: null, availableMemoryMb: null }),
    createPool: () => ({ acquire: () => Promise.resolve(worker), prewarm: () => undefined, release: () => Promise.resolve(), close: () => Promise.resolve() }),
    runAttempt: (_environment, attempt) => {
      state.ran.push(attempt.spec);
      const at = new Date().toISOString();
      const record: AttemptRecord = {
        specId: attempt.spec.id,
        attemptId: attempt.attemptId,
        attemptNumber: attempt.attemptNumber,
        outcome: outcomeOfKind(outcomeOf(attempt.spec, attempt.attemptNumber)),
        ...emptyAttemptEvidence(),
        startedAt: at,
        finishedAt: at,
      };
      return Promise.resolve(record);
    },
    createSwitcher: () => ({ switchTo: () => Promise.resolve({ status: 'not-configured' }), close: () => Promise.resolve() }),
    openServingWindow: () => Promise.reject(new Error('no serving window in tests')),
    sleep: () => Promise.resolve(),
  };
  return state;
}

const SILENT_SINK: ProgressSink = { planned() {}, attemptStarted() {}, attemptFinished() {}, finished() {} };

/** Run I/O that keeps the printed lines. */
export function quietIo(): RunIo & { lines: string[] } {
  const lines: string[] = [];
  return { sink: SILENT_SINK, print: (line) => lines.push(line), lines };
}
