import { describe, expect, it } from 'vitest';
import { makeAttempt } from '../../bench/support/attempt-record.ts';
import type { AttemptOutcome } from '../../core/domain/attempt.ts';
import { computeFeatureStatistics, usedAnyFeature } from './feature-statistics.ts';
import { computeRunStatistics } from './run-statistics.ts';
import { makeFeatureTranscript, makeRepeats, makeTarget, type FeatureParts } from './test-support.ts';

const PASSED: AttemptOutcome = { kind: 'passed' };
const FAILED: AttemptOutcome = { kind: 'failed', failedChecks: ['tests'] };
const INFRA: AttemptOutcome = { kind: 'infra-error', source: 'endpoint', message: 'connect ECONNREFUSED' };

function attemptOf(specId: string, outcome: AttemptOutcome, features: FeatureParts) {
  return makeAttempt({ specId, outcome, transcript: makeFeatureTranscript(features) });
}

describe('computeFeatureStatistics', () => {
  const planned = attemptOf('a', PASSED, {
    // Three items written, two done at the end, one still in progress: left open.
    todoLists: [{ read: 'pending', edit: 'pending', test: 'pending' }, { read: 'completed', edit: 'completed', test: 'in_progress' }],
    subagents: [{ agent: 'general', steps: 4 }, { agent: 'explore', steps: 3 }],
    compactions: [{ atMs: 5000, tokensBefore: 30_000, tokensAfter: 4000, overflow: true }],
  });
  const rewritten = attemptOf('b', FAILED, {
    // An item written and later dropped from the list counts as created, not as completed.
    todoLists: [{ plan: 'pending', build: 'pending' }, { build: 'completed', extra: 'cancelled' }],
    compactions: [{ atMs: 9000, tokensBefore: 28_000, tokensAfter: null }],
  });
  const infra = attemptOf('c', INFRA, { todoLists: [{ lost: 'pending' }], subagents: [{ agent: 'general', steps: 9 }], compactions: [{ atMs: 1, tokensBefore: 1, tokensAfter: 1 }] });
  const plain = attemptOf('d', { kind: 'timed-out', afterMs: 1000 }, {});

  it('sums the attempts the model answered and leaves infra errors out', () => {
    const statistics = computeFeatureStatistics([planned, rewritten, infra, plain]);
    expect(statistics).toEqual({
      attempts: 3,
      todos: { attempts: 2, created: 6, completed: 3, open: 1, cancelled: 1, completionRate: 0.5 },
      subagents: { attempts: 1, started: 2, steps: 7, agents: ['general', 'explore'] },
      compactions: { attempts: 2, count: 2, afterOverflow: 1, passed: 1 },
    });
  });

  it('counts an attempt that compacted and then passed as a pass after compacting', () => {
    expect(computeFeatureStatistics([planned]).compactions).toEqual({ attempts: 1, count: 1, afterOverflow: 1, passed: 1 });
    expect(computeFeatureStatistics([rewritten]).compactions).toEqual({ attempts: 1, count: 1, afterOverflow: 0, passed: 0 });
  });

  it('has no completion rate without TODOs, and says no feature was used', () => {
    const statistics = computeFeatureStatistics([plain, infra]);
    expect(statistics.todos).toEqual({ attempts: 0, created: 0, completed: 0, open: 0, cancelled: 0, completionRate: null });
    expect(usedAnyFeature(statistics)).toBe(false);
    expect(usedAnyFeature(computeFeatureStatistics([rewritten]))).toBe(true);
  });
});

describe('feature statistics per cohort', () => {
  it('gives each target × prompt variant its own, with retried infra errors left out', () => {
    const transcript = makeFeatureTranscript({ todoLists: [{ one: 'completed', two: 'pending' }] });
    const specs = [
      ...makeRepeats('s1', 'planner', 'PF', { transcript, earlier: ['I'] }),
      ...makeRepeats('s1', 'plain', 'PP'),
    ];
    const { cohorts } = computeRunStatistics(specs, [makeTarget('planner'), makeTarget('plain')]);
    expect(cohorts.map((cohort) => [cohort.key.targetId, cohort.features.attempts, cohort.features.todos])).toEqual([
      ['planner', 2, { attempts: 2, created: 4, completed: 2, open: 2, cancelled: 0, completionRate: 0.5 }],
      ['plain', 2, { attempts: 0, created: 0, completed: 0, open: 0, cancelled: 0, completionRate: null }],
    ]);
  });
});
