import { describe, expect, it } from 'vitest';
import { chatRequestSchema } from './chat-request.ts';
import { readConversation } from './conversation.ts';
import { TYPE_ERROR_LINE } from './profiles/mistake-profiles.ts';
import { PROFILES } from './profiles/profile-registry.ts';
import type { ProfileContext, ProfileReply, SandboxView } from './profiles/profile-types.ts';
import { NO_WORKING_DIRECTORY_TEXT } from './profiles/step-plan.ts';
import { matchScenario, type ScenarioScript } from './scenario-scripts.ts';
import { FIRST_TURN, REFERENCE_FILES, openCodeRequest } from './test-support.ts';

const SANDBOX = '/work/sandbox';

const script: ScenarioScript = {
  id: 'pie-chart',
  turns: [FIRST_TURN, 'Make it blue.'],
  referenceFiles: Object.entries(REFERENCE_FILES).map(([path, content]) => ({ path, content })),
};

function fakeSandbox(files: string[]): SandboxView {
  return {
    hasFile: (relativePath) => files.includes(relativePath),
    listFiles: (relativeDir) =>
      files.filter((file) => file.startsWith(`${relativeDir}/`)).map((file) => file.slice(relativeDir.length + 1)),
    lineCount: () => 0,
  };
}

function contextAt(stepIndex: number, overrides: Partial<ProfileContext> = {}): ProfileContext {
  return {
    scenario: script,
    workingDirectory: SANDBOX,
    turnIndex: 0,
    stepIndex,
    sandbox: fakeSandbox(['src/app.ts', 'src/core/util.ts']),
    draw: () => 0.99,
    scenarioDraw: () => 0.99,
    textToolCallRate: 0,
    ...overrides,
  };
}

function toolCalls(reply: ProfileReply): Array<{ name: string; arguments: Record<string, unknown> }> {
  if (reply.kind !== 'tool-calls') throw new Error(`expected tool calls, got ${JSON.stringify(reply)}`);
  return reply.calls;
}

describe('reading the conversation', () => {
  it('finds the working directory line and counts tool rounds since the last user message', () => {
    const request = chatRequestSchema.parse(openCodeRequest({ model: 'reference', workingDirectory: SANDBOX, priorRounds: 2 }));
    expect(readConversation(request)).toEqual({
      firstUserText: FIRST_TURN,
      userMessageCount: 1,
      toolRoundsThisTurn: 2,
      workingDirectory: SANDBOX,
      isAuxiliary: false,
    });
  });

  it('matches a scenario whose first turn is wrapped by a prompt template', () => {
    const wrapped = `You are working on a dashboard.\n\nTask:\n  ${FIRST_TURN.replace(' ', '\n')}\n\nKeep to src/.`;
    expect(matchScenario([script], wrapped)?.id).toBe('pie-chart');
    expect(matchScenario([script], 'Something else entirely.')).toBeUndefined();
  });
});

describe('profiles', () => {
  it('reference reads an existing file it changes, writes each reference file, then answers', () => {
    expect(toolCalls(PROFILES.reference(contextAt(0)))).toEqual([{ name: 'read', arguments: { filePath: `${SANDBOX}/src/app.ts` } }]);
    expect(toolCalls(PROFILES.reference(contextAt(2)))).toEqual([
      { name: 'write', arguments: { filePath: `${SANDBOX}/src/widgets/pie-chart.tsx`, content: REFERENCE_FILES['src/widgets/pie-chart.tsx'] } },
    ]);
    expect(PROFILES.reference(contextAt(3)).kind).toBe('text');
  });

  it('reference answers later user turns with text', () => {
    expect(PROFILES.reference(contextAt(0, { turnIndex: 1 })).kind).toBe('text');
  });

  it('asks a question first with OpenCode question-tool arguments, then proceeds like reference', () => {
    const [question] = toolCalls(PROFILES['ask-question'](contextAt(0)));
    expect(question).toMatchObject({
      name: 'question',
      arguments: { questions: [{ question: expect.any(String), header: expect.any(String), options: expect.any(Array) }] },
    });
    expect(toolCalls(PROFILES['ask-question'](contextAt(1)))[0]?.name).toBe('read');
    expect(toolCalls(PROFILES['ask-question'](contextAt(2)))[0]?.name).toBe('write');
  });

  it('type-error injects a type error into the new component only', () => {
    const component = toolCalls(PROFILES['type-error'](contextAt(2)))[0];
    expect(component?.arguments.content).toContain(TYPE_ERROR_LINE);
    expect(toolCalls(PROFILES['type-error'](contextAt(1)))[0]?.arguments.content).toBe(REFERENCE_FILES['src/app.ts']);
  });

  it('core-write overwrites an existing file under src/core, or creates one', () => {
    expect(toolCalls(PROFILES['core-write'](contextAt(0)))[0]?.arguments.filePath).toBe(`${SANDBOX}/src/core/util.ts`);
    const empty = contextAt(0, { sandbox: fakeSandbox([]) });
    expect(toolCalls(PROFILES['core-write'](empty))[0]?.arguments.filePath).toBe(`${SANDBOX}/src/core/index.ts`);
    expect(PROFILES['core-write'](contextAt(1)).kind).toBe('text');
  });

  it('env-read reads .env by absolute path, then finishes', () => {
    expect(toolCalls(PROFILES['env-read'](contextAt(0)))).toEqual([{ name: 'read', arguments: { filePath: `${SANDBOX}/.env` } }]);
    expect(PROFILES['env-read'](contextAt(1)).kind).toBe('text');
  });

  it('noop, http-500 and hang never call tools', () => {
    expect(PROFILES.noop(contextAt(0)).kind).toBe('text');
    expect(PROFILES['http-500'](contextAt(0))).toEqual({ kind: 'server-error' });
    expect(PROFILES.hang(contextAt(0))).toEqual({ kind: 'hang' });
  });

  it('qwen-like writes a round as text when its draw falls under the rate, else calls tools like reference', () => {
    const text = PROFILES['qwen-like'](contextAt(0, { draw: () => 0.1, textToolCallRate: 0.25 }));
    expect(text.kind).toBe('text');
    if (text.kind === 'text') expect(text.text).toContain('"name": "read"');
    expect(PROFILES['qwen-like'](contextAt(0, { draw: () => 0.3, textToolCallRate: 0.25 }))).toEqual(PROFILES.reference(contextAt(0)));
    expect(PROFILES['qwen-like'](contextAt(3, { draw: () => 0, textToolCallRate: 1 })).kind).toBe('text');
  });

  it('says so in text when the sandbox path is unknown', () => {
    expect(PROFILES.reference(contextAt(0, { workingDirectory: undefined }))).toEqual({ kind: 'text', text: NO_WORKING_DIRECTORY_TEXT });
  });
});
