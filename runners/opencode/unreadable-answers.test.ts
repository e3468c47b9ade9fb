import { describe, expect, it } from 'vitest';
import { createUnreadableAnswerWatch } from './unreadable-answers.ts';

const unknownFinish = (id: string) => ({ type: 'step-finish', id, reason: 'unknown', tokens: { output: 0, reasoning: 0 } });

describe('createUnreadableAnswerWatch', () => {
  it('blames the endpoint after three empty steps without a finish reason in a row', () => {
    const watch = createUnreadableAnswerWatch();
    expect(watch.observe(unknownFinish('a'))).toBeUndefined();
    expect(watch.observe(unknownFinish('b'))).toBeUndefined();
    expect(watch.observe(unknownFinish('c'))).toMatch(/could not be read: 3 model calls in a row/);
  });

  it('counts each step once, however often OpenCode repeats its part', () => {
    const watch = createUnreadableAnswerWatch();
    for (let index = 0; index < 5; index += 1) expect(watch.observe(unknownFinish('same'))).toBeUndefined();
  });

  it('starts over after a readable answer, and ignores other parts', () => {
    const watch = createUnreadableAnswerWatch();
    watch.observe(unknownFinish('a'));
    watch.observe(unknownFinish('b'));
    expect(watch.observe({ type: 'step-finish', id: 'c', reason: 'tool-calls', tokens: { output: 12 } })).toBeUndefined();
    expect(watch.observe({ type: 'text', id: 'd' })).toBeUndefined();
    expect(watch.observe(unknownFinish('e'))).toBeUndefined();
    expect(watch.observe(unknownFinish('f'))).toBeUndefined();
    expect(watch.observe(unknownFinish('g'))).toBeDefined();
  });

  it('does not blame the endpoint for a step that produced output, whatever its finish reason', () => {
    const watch = createUnreadableAnswerWatch(1);
    expect(watch.observe({ type: 'step-finish', id: 'a', reason: 'unknown', tokens: { output: 3 } })).toBeUndefined();
    expect(watch.observe({ type: 'step-finish', id: 'b', reason: 'stop', tokens: { output: 0 } })).toBeUndefined();
  });
});
