import { describe, expect, it } from 'vitest';
import { createStepWatch } from './step-watch.ts';

const finish = (id: string, reason: string, output = 0) => ({ type: 'step-finish', id, reason, tokens: { output, reasoning: 0 } });

describe('createStepWatch: unreadable answers', () => {
  it('blames the endpoint after three empty steps without a finish reason in a row', () => {
    const watch = createStepWatch();
    expect(watch.observe(finish('a', 'unknown'))).toBeUndefined();
    expect(watch.observe(finish('b', 'unknown'))).toBeUndefined();
    expect(watch.observe(finish('c', 'unknown'))).toEqual({ kind: 'unreadable-answers', message: expect.stringMatching(/could not be read: 3 model calls in a row/) });
  });

  it('counts each step once, however often OpenCode repeats its part', () => {
    const watch = createStepWatch();
    for (let index = 0; index < 5; index += 1) expect(watch.observe(finish('same', 'unknown'))).toBeUndefined();
  });

  it('starts over after a readable answer, and ignores other parts', () => {
    const watch = createStepWatch();
    watch.observe(finish('a', 'unknown'));
    watch.observe(finish('b', 'unknown'));
    expect(watch.observe(finish('c', 'tool-calls', 12))).toBeUndefined();
    expect(watch.observe({ type: 'text', id: 'd' })).toBeUndefined();
    expect(watch.observe(finish('e', 'unknown'))).toBeUndefined();
    expect(watch.observe(finish('f', 'unknown'))).toBeUndefined();
    expect(watch.observe(finish('g', 'unknown'))?.kind).toBe('unreadable-answers');
  });

  it('does not blame the endpoint for a step that produced output, whatever its finish reason', () => {
    const watch = createStepWatch({ unreadableLimit: 1 });
    expect(watch.observe(finish('a', 'unknown', 3))).toBeUndefined();
    expect(watch.observe(finish('b', 'stop'))).toBeUndefined();
  });
});

describe('createStepWatch: the step limit', () => {
  it('stops a turn at its first step beyond the limit, and counts per turn', () => {
    const watch = createStepWatch({ maxStepsPerTurn: 2 });
    watch.startTurn(0);
    expect(watch.observe(finish('a', 'tool-calls', 5))).toBeUndefined();
    expect(watch.observe(finish('b', 'stop', 5))).toBeUndefined();
    watch.startTurn(1);
    expect(watch.observe(finish('c', 'tool-calls', 5))).toBeUndefined();
    expect(watch.observe(finish('d', 'tool-calls', 5))).toBeUndefined();
    const verdict = watch.observe(finish('e', 'tool-calls', 5));
    expect(verdict).toEqual({ kind: 'step-limit', message: expect.stringContaining('turn 2: the model kept calling tools past the step limit (2 model calls per turn') });
  });

  it('never stops a session without a limit', () => {
    const watch = createStepWatch();
    for (let index = 0; index < 500; index += 1) expect(watch.observe(finish(`s${index}`, 'tool-calls', 5))).toBeUndefined();
  });
});

describe('createStepWatch: compaction loops', () => {
  const compaction = (id: string) => ({ type: 'compaction', id });
  const step = (id: string, messageID: string) => ({ type: 'step-finish', id, messageID, reason: 'stop', tokens: { output: 5, reasoning: 0 } });

  it('stops compactions in a row with at most one agent step between them (summary steps do not count)', () => {
    const watch = createStepWatch();
    expect(watch.observe(compaction('c1'))).toBeUndefined();
    watch.markSummaryMessage('summary-1');
    watch.observe(step('s1', 'summary-1'));
    watch.observe(step('a1', 'agent-1'));
    expect(watch.observe(compaction('c2'))).toBeUndefined();
    watch.markSummaryMessage('summary-2');
    watch.observe(step('s2', 'summary-2'));
    watch.observe(step('a2', 'agent-2'));
    expect(watch.observe(compaction('c3'))).toEqual({ kind: 'compaction-loop', message: expect.stringContaining('context overflow — OpenCode compacted the conversation 3 times in a row') });
  });

  it('lets a long task compact again and again when it makes progress between compactions', () => {
    const watch = createStepWatch();
    for (let round = 0; round < 6; round += 1) {
      expect(watch.observe(compaction(`c${round}`))).toBeUndefined();
      for (let index = 0; index < 3; index += 1) watch.observe(step(`a${round}-${index}`, `m${round}-${index}`));
    }
  });

  it('counts a repeated compaction part once', () => {
    const watch = createStepWatch();
    for (let index = 0; index < 5; index += 1) expect(watch.observe(compaction('same'))).toBeUndefined();
  });
});
