import { makeAttempt } from '../../bench/support/attempt-record.ts';
import type { AttemptOutcome, AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName, CheckResult, TestSuiteEvidence, Violation } from '../../core/domain/check-result.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { TokenUsage, TranscriptEntry } from '../../core/domain/transcript.ts';
import type { SpecSummary } from './summary-types.ts';

/**
 * Specs and attempts from outcome letters, for the statistics and the reporters' tests. A whole
 * run summary is `createSummaryFromSpecs` (runners/bench/support/summary-from-specs.ts): the
 * real `summarizeRun` over the events these attempts make.
 */

/** Compact outcome letters for building runs in tests: P passed, F failed, T timed out, I infra error, - pending. */
export type OutcomeLetter = 'P' | 'F' | 'T' | 'I' | '-';

export interface SpecParts {
  scenarioId: string;
  targetId: string;
  promptVariantId?: string;
  repeatIndex: number;
  outcome: OutcomeLetter;
  failedChecks?: CheckName[];
  violations?: Violation[];
  textToolCalls?: number;
  invalidToolCalls?: number;
  contextOverflow?: boolean;
  agentMs?: number;
  totalMs?: number;
  tokens?: Partial<TokenUsage>;
  costUsd?: number;
  /** Earlier attempts (retries) before the final one, as outcome letters. */
  earlier?: OutcomeLetter[];
  infraMessage?: string;
  /** Hidden acceptance test cases passed / run; default 4/4, or 2/4 when the tests check failed. */
  acceptance?: { passed: number; total: number };
  /** The transcript of every attempt of the spec (see `makeFeatureTranscript`); default empty. */
  transcript?: TranscriptEntry[];
}

/** What an attempt did with OpenCode's features, for `makeFeatureTranscript`. */
export interface FeatureParts {
  /** Each TODO list as the agent (re)wrote it: item content → status. */
  todoLists?: Array<Record<string, 'pending' | 'in_progress' | 'completed' | 'cancelled'>>;
  subagents?: Array<{ agent: string; steps: number; toolCalls?: number }>;
  compactions?: Array<{ atMs: number; tokensBefore: number | null; tokensAfter: number | null; overflow?: boolean }>;
}

/** A transcript holding the TODO lists, subagents and compactions given, one second apart from 0, compactions at their own time. */
export function makeFeatureTranscript(parts: FeatureParts): TranscriptEntry[] {
  const start: TranscriptEntry = { type: 'user', turnIndex: 0, text: 'do the task', atMs: 0 };
  const todos = (parts.todoLists ?? []).map((list, index): TranscriptEntry => ({
    type: 'todos',
    todos: Object.entries(list).map(([content, status]) => ({ content, status, priority: 'medium' })),
    atMs: 1000 * (index + 1),
  }));
  const subagents = (parts.subagents ?? []).map((subagent, index): TranscriptEntry => ({
    type: 'subagent',
    session: `child-${index}`,
    agent: subagent.agent,
    description: `subtask ${index + 1}`,
    steps: subagent.steps,
    toolCalls: subagent.toolCalls ?? 0,
    atMs: 1000 * (todos.length + index + 1),
  }));
  const compactions = (parts.compactions ?? []).map((compaction): TranscriptEntry => ({
    type: 'compaction',
    auto: true,
    overflow: compaction.overflow ?? false,
    tokensBefore: compaction.tokensBefore,
    tokensAfter: compaction.tokensAfter,
    summary: 'the summary',
    atMs: compaction.atMs,
  }));
  return [start, ...todos, ...subagents, ...compactions].sort((left, right) => left.atMs - right.atMs);
}

export function makeSpecSummary(parts: SpecParts): SpecSummary {
  const promptVariantId = parts.promptVariantId ?? 'default';
  const id = `${parts.scenarioId}.${parts.targetId}.${promptVariantId}.${parts.repeatIndex}`;
  const spec = { id, scenarioId: parts.scenarioId, targetId: parts.targetId, promptVariantId, repeatIndex: parts.repeatIndex };
  if (parts.outcome === '-') return { spec, attempts: [], outcome: { kind: 'pending' } };
  const earlier = (parts.earlier ?? []).map((letter, index) => makeLetterAttempt(id, index + 1, { ...parts, outcome: letter }));
  const final = makeLetterAttempt(id, earlier.length + 1, parts);
  return { spec, attempts: [...earlier, final], outcome: final.outcome };
}

/** Specs of one cohort and scenario from a string of outcome letters, one per repeat: `PPFT`. */
export function makeRepeats(scenarioId: string, targetId: string, letters: string, extra: Partial<SpecParts> = {}): SpecSummary[] {
  return [...letters].map((letter, repeatIndex) => makeSpecSummary({ scenarioId, targetId, repeatIndex, ...extra, outcome: toLetter(letter) }));
}

export function makeTarget(id: string, quantization = 'fp16', model = `model-${id}`): ResolvedTarget {
  return { kind: 'scripted', id, model, quantization, limits: { context: 32768, output: 4096 }, sampling: { temperature: 0 } };
}

function toLetter(letter: string): OutcomeLetter {
  if (letter === 'P' || letter === 'F' || letter === 'T' || letter === 'I' || letter === '-') return letter;
  throw new Error(`unknown outcome letter ${letter}`);
}

function makeOutcome(parts: SpecParts): AttemptOutcome {
  switch (parts.outcome) {
    case 'P':
      return { kind: 'passed' };
    case 'F':
      return { kind: 'failed', failedChecks: parts.failedChecks ?? ['tests'] };
    case 'T':
      return { kind: 'timed-out', afterMs: parts.agentMs ?? 1000 };
    case 'I':
    case '-':
      return { kind: 'infra-error', source: 'endpoint', message: parts.infraMessage ?? 'connect ECONNREFUSED 127.0.0.1:8000' };
  }
}

function makeLetterAttempt(specId: string, attemptNumber: number, parts: SpecParts): AttemptRecord {
  const outcome = makeOutcome(parts);
  const agentMs = parts.agentMs ?? 1000;
  const failed = new Set(outcome.kind === 'failed' ? outcome.failedChecks : []);
  return makeAttempt({
    specId,
    attemptNumber,
    outcome,
    checks: outcome.kind === 'infra-error' ? [] : makeChecks(parts, failed),
    transcript: parts.transcript,
    tokens: parts.tokens,
    costUsd: parts.costUsd,
    timings: { sandboxMs: 10, agentMs, checksMs: 10, totalMs: parts.totalMs ?? agentMs + 20, checkMs: {} },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
  });
}

function makeChecks(parts: SpecParts, failed: ReadonlySet<CheckName>): CheckResult[] {
  const status = (name: CheckName) => (failed.has(name) ? ({ status: 'failed', reason: `${name} failed` } as const) : ({ status: 'passed' } as const));
  return [
    { check: 'typecheck', durationMs: 1, ...status('typecheck'), evidence: { exitCode: failed.has('typecheck') ? 2 : 0, diagnosticCount: 0, diagnostics: [] } },
    { check: 'lint', durationMs: 1, ...status('lint'), evidence: { exitCode: 0, errorCount: 0, warningCount: 0, findings: [] } },
    { check: 'tests', durationMs: 1, ...status('tests'), evidence: { exitCode: failed.has('tests') ? 1 : 0, suites: [acceptanceSuite(parts, failed.has('tests'))] } },
    { check: 'permissions', durationMs: 1, ...status('permissions'), evidence: { changedFiles: [], violations: parts.violations ?? [] } },
    {
      check: 'agent-health', durationMs: 1, ...status('agent-health'),
      evidence: {
        toolCalls: 3,
        textToolCalls: Array.from({ length: parts.textToolCalls ?? 0 }, () => ({ excerpt: '<tool_call>{}</tool_call>', pattern: '<tool_call>' })),
        invalidToolCalls: Array.from({ length: parts.invalidToolCalls ?? 0 }, () => ({ tool: 'edit', error: 'bad arguments' })),
        sessionErrors: [],
        contextOverflow: parts.contextOverflow ?? false,
      },
    },
  ];
}

function acceptanceSuite(parts: SpecParts, testsFailed: boolean): TestSuiteEvidence {
  const { passed, total } = parts.acceptance ?? { passed: testsFailed ? 2 : 4, total: 4 };
  return { suite: 'acceptance', total, passed, failed: total - passed, skipped: 0, failures: [] };
}
