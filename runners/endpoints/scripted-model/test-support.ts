import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';

/** Test helpers for the scripted model: a tiny scenario on disk and OpenCode-shaped requests. */

export const FIRST_TURN = 'Add a pie chart widget to the dashboard.';

export const REFERENCE_FILES: Record<string, string> = {
  'src/app.ts': "import { PieChart } from './widgets/pie-chart.tsx';\nexport const widgets = [PieChart];\n",
  'src/widgets/pie-chart.tsx': "export const PieChart = 'pie';\n",
};

export interface TempScenario {
  scenario: ResolvedScenario;
  /** A sandbox holding src/app.ts and src/core/util.ts. */
  sandboxDir: string;
  remove(): void;
}

export function createTempScenario(): TempScenario {
  const root = mkdtempSync(path.join(tmpdir(), 'scripted-model-'));
  const referenceDir = path.join(root, 'scenario', 'reference');
  for (const [relative, content] of Object.entries(REFERENCE_FILES)) writeFile(path.join(referenceDir, relative), content);
  const sandboxDir = path.join(root, 'sandbox');
  writeFile(path.join(sandboxDir, 'src/app.ts'), 'export const widgets = [];\n');
  writeFile(path.join(sandboxDir, 'src/core/util.ts'), 'export const core = 1;\n');
  const scenario: ResolvedScenario = {
    id: 'pie-chart',
    title: 'Pie chart',
    description: '',
    fixture: 'dashboard',
    tags: [],
    timeoutMs: 60_000,
    turns: [{ text: FIRST_TURN, agent: 'build' }, { text: 'Make it blue.', agent: 'build' }],
    answers: [],
    defaultAnswer: 'Use your best judgement.',
    policy: { edit: { allow: ['src/**'], deny: ['src/core/**'] }, read: { deny: ['.env'] }, bash: { default: 'deny', allow: [] }, webfetch: 'deny', question: 'allow' },
    dir: path.join(root, 'scenario'),
    hiddenTestsDir: path.join(root, 'scenario', 'hidden-tests'),
    hiddenTestsTarget: 'acceptance',
    referenceDir,
    referenceTurns: [{ dir: referenceDir, calls: [], todos: false, read: [] }],
    mcpServers: [],
    counterexamples: [],
    exercises: [],
    checksAfterEachTurn: true,
    file: path.join(root, 'scenario', 'scenario.yaml'),
  };
  return { scenario, sandboxDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function writeFile(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** The system prompt's `<env>` block, as OpenCode 1.18.33 writes it. */
export function openCodeSystemPrompt(workingDirectory: string, padding = ''): string {
  return [
    'You are opencode, an interactive CLI tool that helps users with software engineering tasks.',
    padding,
    'Here is some useful information about the environment you are running in:',
    '<env>',
    `  Working directory: ${workingDirectory}`,
    `  Workspace root folder: ${workingDirectory}`,
    '  Is directory a git repo: yes',
    '  Platform: linux',
    "  Today's date: Sat Nov 21 2026",
    '</env>',
  ].join('\n');
}

export const OPENCODE_TOOLS = ['read', 'write', 'question'].map((name) => ({
  type: 'function',
  function: { name, description: name, parameters: { type: 'object', properties: {} } },
}));

export interface RequestOptions {
  model: string;
  workingDirectory: string;
  /** Tool rounds already made this turn; each becomes an assistant tool call plus its result. */
  priorRounds?: number;
  stream?: boolean;
  maxTokens?: number;
  systemPadding?: string;
  tools?: unknown[];
}

/** A chat-completions body shaped like the ones OpenCode sends. */
export function openCodeRequest(options: RequestOptions): Record<string, unknown> {
  const rounds = Array.from({ length: options.priorRounds ?? 0 }, (_, index) => [
    { role: 'assistant', content: '', tool_calls: [{ id: `call_${index}`, type: 'function', function: { name: 'read', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: `call_${index}`, content: 'ok' },
  ]).flat();
  return {
    model: options.model,
    max_tokens: options.maxTokens ?? 4096,
    messages: [
      { role: 'system', content: openCodeSystemPrompt(options.workingDirectory, options.systemPadding) },
      { role: 'user', content: FIRST_TURN },
      ...rounds,
    ],
    tools: options.tools ?? OPENCODE_TOOLS,
    tool_choice: 'auto',
    stream: options.stream ?? true,
    ...(options.stream === false ? {} : { stream_options: { include_usage: true } }),
  };
}

/** Splits an SSE body into its `data:` payloads; `[DONE]` stays a string. */
export function readSseEvents(body: string): unknown[] {
  return body
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : (JSON.parse(data) as unknown)));
}

export interface AssembledCall {
  id: string;
  name: string;
  arguments: string;
}

interface ChunkShape {
  choices: Array<{
    delta: { content?: string; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> };
    finish_reason: string | null;
  }>;
}

/** Reassembles content and tool calls from stream chunks, as the AI SDK does. */
export function assembleStream(chunks: unknown[]): { content: string; toolCalls: AssembledCall[]; finishReason: string | null } {
  let content = '';
  let finishReason: string | null = null;
  const toolCalls: AssembledCall[] = [];
  for (const chunk of chunks as ChunkShape[]) {
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      finishReason = choice.finish_reason ?? finishReason;
      for (const delta of choice.delta.tool_calls ?? []) {
        const existing = toolCalls[delta.index];
        if (existing === undefined) {
          toolCalls[delta.index] = { id: delta.id ?? '', name: delta.function?.name ?? '', arguments: delta.function?.arguments ?? '' };
        } else {
          existing.arguments += delta.function?.arguments ?? '';
        }
      }
    }
  }
  return { content, toolCalls, finishReason };
}
