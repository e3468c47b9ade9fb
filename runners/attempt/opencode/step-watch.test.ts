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
