import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listOfferedTools } from './conversation.ts';
import { PROFILES } from './profiles/profile-registry.ts';
import type { ProfileContext, ProfileReply } from './profiles/profile-types.ts';
import { NOT_OFFERED_TEXT } from './profiles/step-plan.ts';
import { loadScenarioScripts, type ScenarioScript } from './scenario-scripts.ts';
import { createTempScenario } from './test-support.ts';

const SANDBOX = '/work/sandbox';
const BUILT_INS = ['edit', 'glob', 'grep', 'question', 'read', 'write'];

/** Two turns: the first asks and looks something up over MCP before writing; the second rewrites a file. */
const script: ScenarioScript = {
  id: 'two-turns',
  turns: ['Add the widget.', 'Now make it refresh.'],
  referenceFiles: [],
  referenceTurns: [
    {
      calls: [
        { name: 'question', arguments: { questions: [{ question: 'Which currency?', header: 'Currency', options: [{ label: 'CHF', description: 'Swiss franc' }] }] } },
        { name: 'backend_get_portfolios', arguments: {} },
      ],
      files: [
        { path: 'src/user-components/W.tsx', content: 'export const W = 1;\n' },
        { path: 'src/user-components/index.ts', content: 'export const userWidgets = [W];\n' },
      ],
    },
    { calls: [], files: [{ path: 'src/user-components/W.tsx', content: 'export const W = 2;\n' }] },
  ],
};

function contextAt(turnIndex: number, stepIndex: number, overrides: Partial<ProfileContext> = {}): ProfileContext {
  return {
    scenario: script,
    workingDirectory: SANDBOX,
    turnIndex,
    stepIndex,
    sandbox: { hasFile: (file) => file === 'src/user-components/index.ts' || (turnIndex > 0 && file === 'src/user-components/W.tsx'), listFiles: () => [], lineCount: () => 0 },
    draw: () => 0.99,
    scenarioDraw: () => 0.99,
    textToolCallRate: 0,
    offeredTools: [...BUILT_INS, 'backend_get_portfolios'],
    ...overrides,
  };
}

const describeReply = (reply: ProfileReply) => (reply.kind === 'tool-calls' ? reply.calls.map((call) => `${call.name} ${String(call.arguments.filePath ?? '').replace(`${SANDBOX}/`, '')}`.trim()) : reply.kind === 'text' ? `text: ${reply.text}` : reply.kind);

/** Every reply of a turn, step by step, until the final text. */
function playTurn(turnIndex: number, overrides: Partial<ProfileContext> = {}): string[][] {
  const replies: string[][] = [];
  for (let step = 0; step < 20; step += 1) {
    const reply = PROFILES.reference(contextAt(turnIndex, step, overrides));
    const described = describeReply(reply);
    replies.push(Array.isArray(described) ? described : [described]);
    if (reply.kind !== 'tool-calls') break;
  }
  return replies;
}

describe('the reference profile, turn by turn', () => {
  it('makes the declared calls first, one round each, then reads and writes the turn’s files', () => {
    expect(playTurn(0)).toEqual([
      ['question'],
      ['backend_get_portfolios'],
      ['read src/user-components/index.ts'],
      ['write src/user-components/W.tsx'],
      ['write src/user-components/index.ts'],
      ['text: I made the change in 2 file(s): src/user-components/W.tsx, src/user-components/index.ts.'],
    ]);
  });

  it('writes the second turn’s files in the second turn, and only acknowledges a turn it has nothing for', () => {
    expect(playTurn(1)).toEqual([['read src/user-components/W.tsx'], ['write src/user-components/W.tsx'], ['text: I made the change in 1 file(s): src/user-components/W.tsx.']]);
    expect(playTurn(2)).toEqual([[expect.stringMatching(/^text: Noted \(turn 3\)/)]]);
  });

  it('stops with a text naming a declared tool the request does not offer (e.g. an MCP server that did not start)', () => {
    expect(playTurn(0, { offeredTools: BUILT_INS })).toEqual([[`text: ${NOT_OFFERED_TEXT} backend_get_portfolios (offered: ${BUILT_INS.join(', ')}).`]]);
  });

  it('ask-question asks its own question first in the first turn only, then follows the reference', () => {
    const first = PROFILES['ask-question'](contextAt(0, 0));
    expect(describeReply(first)).toEqual(['question']);
    expect(describeReply(PROFILES['ask-question'](contextAt(0, 1)))).toEqual(['question']);
    expect(describeReply(PROFILES['ask-question'](contextAt(0, 2)))).toEqual(['backend_get_portfolios']);
    expect(describeReply(PROFILES['ask-question'](contextAt(1, 0)))).toEqual(['read src/user-components/W.tsx']);
  });
});

describe('reading the offered tools', () => {
  it('takes the function names of the request’s tools and skips malformed entries', () => {
    const tools = [{ type: 'function', function: { name: 'read', parameters: {} } }, { type: 'function', function: { name: 'backend_get_assets' } }, { type: 'function' }, 'junk', null];
    expect(listOfferedTools({ tools })).toEqual(['read', 'backend_get_assets']);
    expect(listOfferedTools({ tools: undefined })).toEqual([]);
  });
});

describe('loading scenario scripts', () => {
  const temp = createTempScenario();
  const root = mkdtempSync(path.join(tmpdir(), 'reference-turns-'));
  afterAll(() => {
    temp.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads each reference turn’s folder and merges them into the final state, later turns winning', () => {
    const write = (relative: string, content: string) => {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), content);
    };
    write('turn-1/src/a.ts', 'a1');
    write('turn-1/src/b.ts', 'b1');
    write('turn-2/src/a.ts', 'a2');
    const scenario = {
      ...temp.scenario,
      referenceTurns: [
        { dir: path.join(root, 'turn-1'), calls: [{ tool: 'backend_get_assets', arguments: { x: 1 } }], todos: false, read: [] },
        { dir: path.join(root, 'turn-2'), calls: [], todos: false, read: [] },
      ],
    };
    const [loaded] = loadScenarioScripts([scenario]);
    expect(loaded?.referenceTurns?.map((turn) => [turn.calls.map((call) => call.name), turn.files.map((file) => `${file.path}=${file.content}`)])).toEqual([
      [['backend_get_assets'], ['src/a.ts=a1', 'src/b.ts=b1']],
      [[], ['src/a.ts=a2']],
    ]);
    expect(loaded?.referenceFiles.map((file) => `${file.path}=${file.content}`)).toEqual(['src/a.ts=a2', 'src/b.ts=b1']);
  });
});
