import { describe, expect, it } from 'vitest';
import type { AttemptTimings } from '../../core/domain/attempt.ts';
import { describeExtraTime, medianPhases } from './containment-cost.ts';

const timed = (totalMs: number, agentMs: number): { timings: AttemptTimings } => ({ timings: { totalMs, sandboxMs: 40, agentMs, checksMs: totalMs - agentMs - 40, checkMs: {} } });

describe('the cost of containment', () => {
  it('takes the median of each phase per attempt, so one cold attempt does not set it', () => {
    const medians = medianPhases([timed(14_000, 10_000), timed(3_800, 400), timed(3_700, 500), timed(4_000, 450)]);
    expect(medians).toEqual({ totalMs: 3_900, sandboxMs: 40, agentMs: 475, checksMs: 3_435 });
    expect(medianPhases([])).toEqual({ totalMs: undefined, sandboxMs: undefined, agentMs: undefined, checksMs: undefined });
  });

  it('states the extra time of the contained run in ms and as a share of the open one, a saving with a minus', () => {
    expect(describeExtraTime(4_125, 3_750)).toBe('+375 ms (+10.0 %)');
    expect(describeExtraTime(3_700, 4_000)).toBe('−300 ms (−7.5 %)');
    expect(describeExtraTime(12, 0)).toBe('+12 ms');
    expect(describeExtraTime(undefined, 3_750)).toBe('—');
  });
});
