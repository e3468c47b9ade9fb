import { describe, expect, it } from 'vitest';
import { answerChatRequest, type ChatAnswerOptions } from './chat-completions.ts';
import { chanceProfile, parseChanceProfile } from './profiles/chance-profiles.ts';
import { TYPE_ERROR_LINE } from './profiles/mistake-profiles.ts';
import { isProfileName } from './profiles/profile-registry.ts';
import type { ProfileContext, ProfileReply } from './profiles/profile-types.ts';
import type { ScenarioScript } from './scenario-scripts.ts';
import { parseServedModels } from './served-models.ts';
import { createSessionOrdinals } from './session-draw.ts';
import { FIRST_TURN, REFERENCE_FILES, openCodeRequest } from './test-support.ts';

const SANDBOX = '/work/sandbox';
const WRONG_WIDGET = "export const PieChart = 'bar';\n";

const script: ScenarioScript = {
  id: 'pie-chart',
  turns: [FIRST_TURN],
  referenceFiles: Object.entries(REFERENCE_FILES).map(([path, content]) => ({ path, content })),
  counterexampleFiles: [{ path: 'src/widgets/pie-chart.tsx', content: WRONG_WIDGET }],
};

function contextAt(stepIndex: number, scenarioDraw: number, scenario: ScenarioScript = script): ProfileContext {
  return {
    scenario,
    workingDirectory: SANDBOX,
    turnIndex: 0,
    stepIndex,
    sandbox: { hasFile: (file) => file === 'src/app.ts', listFiles: () => [], lineCount: () => 0 },
    draw: () => 0.5,
    scenarioDraw: () => scenarioDraw,
    textToolCallRate: 0,
  };
}

/** The files a profile writes in its first turn, path → content. */
function writes(profile: (context: ProfileContext) => ProfileReply, draw: number, scenario?: ScenarioScript): Record<string, string> {
  const written: Record<string, string> = {};
  for (let step = 0; step < 10; step += 1) {
    const reply = profile(contextAt(step, draw, scenario));
    if (reply.kind !== 'tool-calls') break;
    for (const call of reply.calls) if (call.name === 'write') written[String(call.arguments.filePath).replace(`${SANDBOX}/`, '')] = String(call.arguments.content);
  }
  return written;
}

describe('chance-<percent> profiles', () => {
  it('parses the family: a whole percent from 0 to 100, an optional label', () => {
    expect(parseChanceProfile('chance-0')).toEqual({ passProbability: 0 });
    expect(parseChanceProfile('chance-100')).toEqual({ passProbability: 1 });
    expect(parseChanceProfile('chance-60-b')).toEqual({ passProbability: 0.6 });
    for (const bad of ['chance-101', 'chance-05', 'chance-', 'chance-50-', 'chance-x', 'chance-50-a/b', 'chanced-50']) expect(parseChanceProfile(bad), bad).toBeUndefined();
    expect(isProfileName('chance-95')).toBe(true);
    expect(parseServedModels(['Qwen/Qwen2.5-Coder-14B=chance-70'])).toEqual({ status: 'parsed', servedModels: { 'Qwen/Qwen2.5-Coder-14B': 'chance-70' } });
  });

  it('writes the reference solution when the draw is below the probability, the counterexample otherwise', () => {
    expect(writes(chanceProfile('chance-70'), 0.69)).toEqual(REFERENCE_FILES);
    expect(writes(chanceProfile('chance-70'), 0.7)).toEqual({ 'src/widgets/pie-chart.tsx': WRONG_WIDGET });
    expect(writes(chanceProfile('chance-0'), 0)).toEqual({ 'src/widgets/pie-chart.tsx': WRONG_WIDGET });
    expect(writes(chanceProfile('chance-100'), 0.999)).toEqual(REFERENCE_FILES);
  });

  it('without a counterexample, fails with the reference plus a type error', () => {
    const written = writes(chanceProfile('chance-10'), 0.5, { ...script, counterexampleFiles: undefined });
    expect(Object.values(written).join('\n')).toContain(TYPE_ERROR_LINE);
  });
});

describe('chance profiles on the server: seeded per scenario and session number', () => {
  const baseOptions = (seed: number): ChatAnswerOptions => ({
    scripts: [script],
    maxModelLen: 32768,
    servedModels: new Map([['reference', 'reference']]),
    servesProfileFamilies: true,
    toolCallParser: true,
    textToolCallRate: 0,
    seed,
    sessionKey: undefined,
    sessionOrdinal: createSessionOrdinals(),
    nowSeconds: 0,
    openSandbox: () => ({ hasFile: (file) => file === 'src/app.ts', listFiles: () => [], lineCount: () => 0 }),
  });

  /** Whether the session's first write is the reference (a pass) or the wrong solution. */
  function passes(options: ChatAnswerOptions, model: string, sessionKey: string): boolean {
    const answer = answerChatRequest(JSON.stringify(openCodeRequest({ model, workingDirectory: SANDBOX, priorRounds: 2, stream: false })), { ...options, sessionKey });
    if (answer.kind !== 'json') throw new Error(`unexpected answer ${answer.kind}`);
    const body = answer.body as { choices: Array<{ message: { tool_calls?: Array<{ function: { arguments: string } }> } }> };
    const content = (JSON.parse(body.choices[0]?.message.tool_calls?.[0]?.function.arguments ?? '{}') as { content?: string }).content;
    return content === REFERENCE_FILES['src/widgets/pie-chart.tsx'];
  }

  it('gives the k-th session of a scenario the same draw, whatever the session ids and their order', () => {
    const first = baseOptions(7);
    const inOrder = Array.from({ length: 40 }, (_, k) => passes(first, 'chance-50', `ses_a${k}`));
    const second = baseOptions(7);
    const reversed = Array.from({ length: 40 }, (_, k) => passes(second, 'chance-50', `ses_b${39 - k}`));
    expect(reversed).toEqual(inOrder);
    // A session keeps its draw on its later requests.
    expect(passes(first, 'chance-50', 'ses_a3')).toBe(inOrder[3]);
    expect(inOrder.filter(Boolean).length).toBeGreaterThan(10);
    expect(inOrder.filter(Boolean).length).toBeLessThan(30);
  });

  it('passes at the chosen rate, with independent streams per label and per seed', () => {
    const options = baseOptions(1);
    const rate = (model: string) => Array.from({ length: 400 }, (_, k) => passes(options, model, `ses_${model}_${k}`)).filter(Boolean).length / 400;
    expect(rate('chance-20')).toBeGreaterThan(0.14);
    expect(rate('chance-20')).toBeLessThan(0.26);
    expect(rate('chance-90-a')).toBeGreaterThan(0.85);
    const a = Array.from({ length: 60 }, (_, k) => passes(options, 'chance-50-a', `a${k}`));
    const b = Array.from({ length: 60 }, (_, k) => passes(options, 'chance-50-b', `b${k}`));
    const otherSeed = baseOptions(2);
    const c = Array.from({ length: 60 }, (_, k) => passes(otherSeed, 'chance-50-a', `c${k}`));
    expect(b).not.toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('is served under any chance name by default, and only when listed with --served-model-name', () => {
    const request = JSON.stringify(openCodeRequest({ model: 'chance-40', workingDirectory: SANDBOX, stream: false }));
    expect(answerChatRequest(request, { ...baseOptions(0), sessionKey: 's' }).kind).toBe('json');
    const listed = answerChatRequest(request, { ...baseOptions(0), servesProfileFamilies: false, sessionKey: 's' });
    expect(listed.kind === 'error' && listed.error.status).toBe(404);
  });
});
