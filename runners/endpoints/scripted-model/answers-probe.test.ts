import { describe, expect, it } from 'vitest';
import { PROFILES } from './profiles/profile-registry.ts';
import type { ProfileContext, ProfileReply, ToolCallSpec } from './profiles/profile-types.ts';
import { PROBE_FORMS, buildProbeCalls, planProbeTopics, readProbeForm, type ProbeQuestion } from './profiles/probe-questions.ts';
import type { ScenarioScript } from './scenario-scripts.ts';

const SANDBOX = '/work/sandbox';
const FIRST = 'I moved abroad; show my net worth in the currency I live in now. Export it from `src/user-components/NetWorthWidget.tsx` and register it in `src/user-components/index.ts`.';
const SECOND = 'Now colour negative changes red and add a Refresh button.';

const script: ScenarioScript = {
  id: 'net-worth',
  turns: [FIRST, SECOND],
  referenceFiles: [],
  referenceTurns: [
    {
      calls: [{ name: 'question', arguments: { questions: [{ question: 'Which currency?', header: 'Currency', options: [{ label: 'CHF', description: 'Swiss franc' }] }] } }],
      files: [{ path: 'src/user-components/NetWorthWidget.tsx', content: 'export const NetWorthWidget = 1;\n' }],
    },
  ],
};

function contextAt(turnIndex: number, stepIndex: number, offeredTools = ['question', 'read', 'write']): ProfileContext {
  return { scenario: script, workingDirectory: SANDBOX, turnIndex, stepIndex, sandbox: { hasFile: () => false, listFiles: () => [], lineCount: () => 0 }, draw: () => 0.99, scenarioDraw: () => 0.99, textToolCallRate: 0, offeredTools };
}

function questionsOf(call: ToolCallSpec | undefined): ProbeQuestion[] {
  return (call?.arguments.questions ?? []) as ProbeQuestion[];
}

/** Every reply of a turn until the final text. */
function play(turnIndex: number, offeredTools?: string[]): ProfileReply[] {
  const replies: ProfileReply[] = [];
  for (let step = 0; step < 20; step += 1) {
    const reply = PROFILES['answers-probe'](contextAt(turnIndex, step, offeredTools));
    replies.push(reply);
    if (reply.kind !== 'tool-calls') break;
  }
  return replies;
}

describe('the probe’s questions', () => {
  it('asks where and what may change in a first turn, and one question per topic the request mentions', () => {
    const headers = planProbeTopics(FIRST, 0).map((topic) => topic.header);
    expect(headers.slice(0, 2)).toEqual(['Location', 'Scope']);
    expect(headers).toContain('Currency');
    expect(headers).not.toContain('Chart');
    expect(planProbeTopics(FIRST, 0)[0]?.options).toEqual(['src/user-components/NetWorthWidget.tsx', 'src/user-components/index.ts']);
    expect(planProbeTopics(SECOND, 1).map((topic) => topic.header)).toEqual(['Follow-up', 'Styling', 'Button']);
  });

  it('puts each question three ways, valid for OpenCode’s question tool: free text, with options, with options and a header', () => {
    const calls = buildProbeCalls(FIRST, 0);
    expect(calls.map((call) => call.name)).toEqual(['question', 'question', 'question']);
    const [freeText, options, header] = calls.map(questionsOf);
    expect(freeText?.every((question) => question.header === '' && question.options.length === 0)).toBe(true);
    expect(options?.every((question) => question.header === '' && question.options.length > 0)).toBe(true);
    expect(header?.every((question) => question.header.length > 0 && question.header.length <= 30 && question.options.length > 0)).toBe(true);
    for (const question of calls.flatMap(questionsOf)) for (const option of question.options) expect(option).toEqual({ label: expect.any(String), description: expect.any(String) });
    expect(calls.map((call) => questionsOf(call).map((question) => readProbeForm({ header: question.header, options: question.options }))[0])).toEqual([...PROBE_FORMS]);
  });
});

describe('the answers-probe profile', () => {
  it('asks the three forms first, then replays the reference turn (its declared question included)', () => {
    const replies = play(0);
    const names = replies.map((reply) => (reply.kind === 'tool-calls' ? reply.calls.map((call) => call.name).join(',') : reply.kind));
    expect(names).toEqual(['question', 'question', 'question', 'question', 'read', 'write', 'text']);
    const declared = replies[3];
    expect(declared?.kind === 'tool-calls' ? questionsOf(declared.calls[0])[0]?.question : undefined).toBe('Which currency?');
  });

  it('asks about a later turn too, then only acknowledges it when the reference has nothing for it', () => {
    const replies = play(1);
    expect(replies.map((reply) => reply.kind)).toEqual(['tool-calls', 'tool-calls', 'tool-calls', 'text']);
  });

  it('asks nothing when the policy denies questions (the tool is not offered)', () => {
    const names = play(0, ['read', 'write']).map((reply) => reply.kind);
    expect(names[0]).toBe('text');
  });
});
