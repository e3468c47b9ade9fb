/** Builders shared by the checks' tests: a policy, a scenario, a fixture and a check context. */
import type { ResolvedScenario, ScenarioPolicy } from '../../core/domain/scenario.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import type { CheckContext } from './check-context.ts';
import type { CommandResult } from './run-check-command.ts';

export const SANDBOX = '/sandboxes/attempt-1';

export function makePolicy(overrides: Partial<ScenarioPolicy> = {}): ScenarioPolicy {
  return {
    edit: { allow: ['src/user-components/**', 'src/user-pages/**'], deny: ['src/user-components/generated/**'] },
    read: { deny: ['.env*', 'secrets/**'] },
    bash: { default: 'deny', allow: ['npm test', 'npx vitest *'] },
    webfetch: 'deny',
    question: 'allow',
    ...overrides,
  };
}

export function makeScenario(overrides: Partial<ResolvedScenario> = {}): ResolvedScenario {
  return {
    id: 'add-widget',
    title: 'Add a widget',
    description: '',
    fixture: 'portfolio-dashboard',
    tags: [],
    timeoutMs: 60_000,
    turns: [{ text: 'Add a news widget.', agent: 'build' }],
    answers: [],
    defaultAnswer: 'Use your best judgement.',
    policy: makePolicy(),
    dir: '/scenarios/add-widget',
    hiddenTestsDir: '/scenarios/add-widget/hidden-tests',
    hiddenTestsTarget: 'acceptance',
    referenceDir: '/scenarios/add-widget/reference',
    referenceTurns: [{ dir: '/scenarios/add-widget/reference', calls: [], todos: false, read: [] }],
    mcpServers: [],
    counterexamples: [],
    exercises: [],
    checksAfterEachTurn: true,
    file: '/scenarios/add-widget/scenario.yaml',
    ...overrides,
  };
}

export function makeFixture(dir: string, commands: LoadedFixture['commands']): LoadedFixture {
  return { name: 'portfolio-dashboard', dir, description: '', commands, exclude: ['node_modules'] };
}

export function makeContext(overrides: Partial<CheckContext> = {}): CheckContext {
  const never = ['node', '-e', 'process.exit(9)'];
  return {
    sandboxDir: SANDBOX,
    fixture: makeFixture('/fixtures/portfolio-dashboard', { typecheck: never, lint: never, tests: never }),
    scenario: makeScenario(),
    changedFiles: [],
    transcript: [],
    outsideWrites: [],
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: 60_000,
    ...overrides,
  };
}

/** A command that ran to completion. */
export function exited(exitCode: number, output: { stdout?: string; stderr?: string; report?: string } = {}): CommandResult {
  return { status: 'exited', exitCode, stdout: output.stdout ?? '', stderr: output.stderr ?? '', report: output.report, durationMs: 5 };
}

type ToolEntry = Extract<TranscriptEntry, { type: 'tool' }>;
let nextCallId = 0;

/** A tool call in the transcript; completed unless told otherwise. */
export function toolCall(tool: string, input: unknown, state: Partial<Pick<ToolEntry, 'status' | 'output' | 'error' | 'callId'>> = {}): ToolEntry {
  nextCallId += 1;
  return { type: 'tool', tool, callId: state.callId ?? `call_${nextCallId}`, status: state.status ?? 'completed', input, output: state.output, error: state.error, atMs: nextCallId };
}

export function assistantText(text: string): TranscriptEntry {
  return { type: 'assistant-text', text, atMs: 0 };
}
