import { describe, expect, it } from 'vitest';
import type { ChatRequest } from './chat-request.ts';
import { findResumedState, isCompactionRequest, readConversationState, writeCompactionSummary } from './compaction-state.ts';
import type { ScenarioScript } from './scenario-scripts.ts';

const script: ScenarioScript = {
  id: 'fees-page',
  turns: ['Read docs/fee-schedule.md in full and add a fees page.', 'Now sort the table by fee.'],
  referenceFiles: [{ path: 'src/user-pages/FeesPage.tsx', content: 'x' }],
};
const SUMMARISER = 'You are a context summarization agent. You are given a conversation between a user and an agent.';

function compactionRequest(conversation: string, before = ''): ChatRequest {
  const user = `${before}Here is the conversation so far:\n\n<conversation>\n${conversation}\n</conversation>\n\nCreate a new anchored summary…\n<template>\n## Objective\n- [one or two brief sentences]\n</template>`;
  return { model: 'reference', messages: [{ role: 'system', content: SUMMARISER }, { role: 'user', content: user }] };
}

const call = (name: string) => `[Assistant tool call]: ${name}({"filePath":"/s/docs/fee-schedule.md"})\n[Tool result]: <content>…</content>`;

describe('the scripted model’s compaction summary', () => {
  it('recognises OpenCode’s summariser request', () => {
    expect(isCompactionRequest(compactionRequest(''))).toBe(true);
    expect(isCompactionRequest({ model: 'm', messages: [{ role: 'system', content: 'You are opencode' }] })).toBe(false);
  });

  it('states the scenario, the turn and the tool rounds done, in OpenCode’s template', () => {
    const conversation = [`[User]: ${script.turns[0]}`, '', call('read'), '', call('read'), '', call('read')].join('\n');
    const summary = writeCompactionSummary(compactionRequest(conversation), [script]);
    expect(summary).toContain('scripted-model state: scenario=fees-page turn=0 steps=3');
    for (const section of ['## Objective', '## Important Details', '## Work State', '### Completed', '### Active', '### Blocked', '## Next Move', '## Relevant Files']) expect(summary).toContain(section);
  });

  it('goes on counting from an earlier summary, and starts over at a new turn', () => {
    const earlier = 'Here is the summary of the conversation before: - scripted-model state: scenario=fees-page turn=0 steps=3\n\n';
    expect(readConversationState(`${earlier}[User]: Continue if you have next steps\n\n${call('read')}`, [script])).toEqual({ scenarioId: 'fees-page', turnIndex: 0, stepsDone: 4 });
    expect(readConversationState(`${earlier}[User]: ${script.turns[1]}\n\n${call('read')}`, [script])).toEqual({ scenarioId: 'fees-page', turnIndex: 1, stepsDone: 1 });
    // After an overflow OpenCode replays the turn's message: the same turn, the count goes on.
    expect(readConversationState(`${earlier}[User]: ${script.turns[0]}\n\n${call('read')}`, [script])).toEqual({ scenarioId: 'fees-page', turnIndex: 0, stepsDone: 4 });
  });

  it('counts the conversation’s rounds on from a prior summary OpenCode places after the conversation', () => {
    // OpenCode 1.18.33's second compaction: the rounds kept and made since, then the earlier summary.
    const conversation = [call('read'), '', call('read'), '', call('write')].join('\n');
    const prior = '\nHere is the summary of the conversation before the <conversation> above:\n<prior-summary>\n## Important Details\n- scripted-model state: scenario=fees-page turn=0 steps=4\n</prior-summary>\nThe <prior-summary> summarizes everything that happened before the <conversation>.';
    const request = compactionRequest(conversation);
    const user = request.messages[1];
    if (user === undefined || typeof user.content !== 'string') throw new Error('compactionRequest builds a system and a user message');
    const withPrior: ChatRequest = { ...request, messages: [request.messages[0] ?? user, { ...user, content: user.content.replace('</conversation>', `</conversation>${prior}`) }] };
    expect(writeCompactionSummary(withPrior, [script])).toContain('scripted-model state: scenario=fees-page turn=0 steps=7');
  });

  it('writes no state for a conversation of no known scenario', () => {
    expect(writeCompactionSummary(compactionRequest('[User]: something else'), [script])).toContain('## Important Details\n- (none)');
  });
});

describe('findResumedState: the conversation after a compaction', () => {
  const summary = { role: 'assistant', content: '## Important Details\n- scripted-model state: scenario=fees-page turn=0 steps=3' };
  const toolRound = { role: 'assistant', content: '', tool_calls: [{ id: 'c', type: 'function', function: { name: 'read', arguments: '{}' } }] };
  const toolResult = { role: 'tool', content: 'ok', tool_call_id: 'c' };
  const system = { role: 'system', content: 'You are opencode.\n  Working directory: /s' };

  it('carries on from the summary’s step count, plus the rounds made since', () => {
    const request: ChatRequest = { model: 'reference', messages: [system, { role: 'user', content: 'What did we do so far?' }, summary, { role: 'user', content: 'Continue if you have next steps' }, toolRound, toolResult] };
    expect(findResumedState(request, [script])).toEqual({ scenarioId: 'fees-page', turnIndex: 0, stepsDone: 4 });
  });

  it('moves to a later turn sent after the summary', () => {
    const request: ChatRequest = { model: 'reference', messages: [system, summary, { role: 'user', content: script.turns[1] }, toolRound, toolResult] };
    expect(findResumedState(request, [script])).toEqual({ scenarioId: 'fees-page', turnIndex: 1, stepsDone: 1 });
  });

  it('is undefined for a conversation that was never compacted', () => {
    expect(findResumedState({ model: 'reference', messages: [system, { role: 'user', content: script.turns[0] }] }, [script])).toBeUndefined();
  });
});
