import type { AttemptOutcome, AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName } from '../../core/domain/check-result.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { makeAttempt } from './attempt-record.ts';
import { createRandom, type Random } from './random.ts';
import { createSummaryFromSpecs, type SpecAttempts } from './summary-from-specs.ts';
import { makeSyntheticChecks, makeSyntheticDiff, makeSyntheticTranscript } from './synthetic-attempt.ts';

export interface SyntheticOptions {
  /** About how many attempts (retries add a few percent). */
  attempts: number;
  repeats?: number;
  seed?: number;
  scriptedModel?: boolean;
  runId?: string;
  startedAt?: string;
  /** Added to every target's pass probability, e.g. -0.1 for a worse run. */
  qualityShift?: number;
}

interface TargetProfile {
  target: ResolvedTarget;
  /** Chance a spec passes, before the scenario's difficulty. */
  quality: number;
  tokensPerSecond: number;
}

const TARGETS: TargetProfile[] = [
  profile('qwen32-fp16', 'Qwen/Qwen2.5-Coder-32B-Instruct', 'fp16', 0.82, 28),
  profile('qwen32-fp8', 'Qwen/Qwen2.5-Coder-32B-Instruct-FP8', 'fp8', 0.8, 41),
  profile('qwen32-awq', 'Qwen/Qwen2.5-Coder-32B-Instruct-AWQ', 'awq-int4', 0.72, 55),
  profile('qwen32-gptq4', 'Qwen/Qwen2.5-Coder-32B-Instruct-GPTQ-Int4', 'gptq-int4', 0.66, 58),
  profile('qwen14-fp16', 'Qwen/Qwen2.5-Coder-14B-Instruct', 'fp16', 0.55, 62),
];
const VARIANTS = [
  { id: 'default', description: 'The full system prompt.' },
  { id: 'terse', description: 'A short system prompt.' },
];
const FAILURE_MODES: Array<{ checks: CheckName[]; weight: number }> = [
  { checks: ['tests'], weight: 5 },
  { checks: ['typecheck', 'tests'], weight: 3 },
  { checks: ['lint'], weight: 1 },
  { checks: ['permissions'], weight: 2 },
  { checks: ['agent-health'], weight: 1 },
];

/**
 * A large, varied, deterministic run for scale tests and the benchmark: five targets (one base
 * model at four quantizations and a smaller one), two prompt variants, many scenarios and
 * repeats, with failures, timeouts, infra errors retried, transcripts and diffs of realistic size.
 */
export function createSyntheticSummary(options: SyntheticOptions): RunSummary {
  const random = createRandom(options.seed ?? 7);
  const repeats = options.repeats ?? 10;
  const scenarioCount = Math.max(1, Math.ceil(options.attempts / (TARGETS.length * VARIANTS.length * repeats)));
  const scenarios = Array.from({ length: scenarioCount }, (_, index) => ({
    id: `scenario-${String(index + 1).padStart(3, '0')}`,
    title: `${random.pick(['Add', 'Refactor', 'Fix', 'Extend', 'Localise'])} ${random.pick(['the holdings table', 'the quote widget', 'the portfolio chart', 'the watchlist', 'the settings page', 'the alerts panel'])} (${index + 1})`,
    fixture: 'portfolio-dashboard',
    tags: [random.pick(['ui', 'data', 'i18n', 'refactor'])],
    turns: ['Please make the change described in the ticket.', 'Keep the existing tests passing.'],
    difficulty: random.next() * 0.35,
  }));
  const startedMs = Date.parse(options.startedAt ?? '2025-06-02T09:00:00.000Z');
  const specs: SpecAttempts[] = [];
  for (const scenario of scenarios) {
    for (const profileEntry of TARGETS) {
      for (const [variantIndex, variant] of VARIANTS.entries()) {
        for (let repeatIndex = 0; repeatIndex < repeats; repeatIndex += 1) {
          const quality = profileEntry.quality - scenario.difficulty - variantIndex * 0.06 + (options.qualityShift ?? 0);
          const spec = { id: `${scenario.id}.${profileEntry.target.id}.${variant.id}.${repeatIndex}`, scenarioId: scenario.id, targetId: profileEntry.target.id, promptVariantId: variant.id, repeatIndex };
          const attempts = makeAttempts({ random, specId: spec.id, quality, profile: profileEntry, startedMs, turns: scenario.turns });
          specs.push({ spec, attempts });
        }
      }
    }
  }
  return createSummaryFromSpecs(specs, TARGETS.map((entry) => entry.target), {
    runId: options.runId ?? '2025-06-02T09-00-00-000Z-synthetic',
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(startedMs + 3 * 3600_000).toISOString(),
    scriptedModel: options.scriptedModel ?? false,
    scenarios: scenarios.map(({ difficulty: _difficulty, ...scenario }) => scenario),
    promptVariants: VARIANTS,
    renderedPrompts: Object.fromEntries(scenarios.slice(0, 3).flatMap((scenario) => VARIANTS.map((variant) => [`${scenario.id}/${variant.id}`, makePrompt(variant.id, scenario.title)]))),
  });
}

interface AttemptInput {
  random: Random;
  specId: string;
  quality: number;
  profile: TargetProfile;
  startedMs: number;
  turns: string[];
}

function makeAttempts(input: AttemptInput): AttemptRecord[] {
  const attempts: AttemptRecord[] = [];
  // About 3% of attempts hit an infra error; a retry usually recovers.
  while (attempts.length < 3) {
    const isInfra = input.random.next() < (attempts.length === 0 ? 0.03 : 0.3);
    attempts.push(makeSyntheticAttempt(input, attempts.length + 1, isInfra));
    if (!isInfra) break;
  }
  return attempts;
}

function makeSyntheticAttempt(input: AttemptInput, attemptNumber: number, isInfra: boolean): AttemptRecord {
  const { random } = input;
  const outcome = isInfra ? makeInfraOutcome(random) : drawOutcome(random, input.quality);
  const agentMs = outcome.kind === 'infra-error' ? 200 + random.int(2000) : outcome.kind === 'timed-out' ? 600_000 : 20_000 + random.int(240_000);
  const output = outcome.kind === 'infra-error' ? 0 : Math.round((agentMs / 1000) * input.profile.tokensPerSecond * (0.55 + random.next() * 0.3));
  const tokens = { input: outcome.kind === 'infra-error' ? 0 : 8000 + random.int(40_000), output, reasoning: Math.round(output * 0.2), cacheRead: random.int(20_000), cacheWrite: 0 };
  const checks = outcome.kind === 'infra-error' || outcome.kind === 'timed-out' ? [] : makeSyntheticChecks(random, outcome.kind === 'failed' ? outcome.failedChecks : []);
  const checksMs = Math.max(0, ...checks.map((check) => check.durationMs));
  const cost = input.profile.target.costPerMillionTokens;
  const startedMs = input.startedMs + random.int(3 * 3600_000);
  // The draws stay in this order (transcript, diff, sandbox time), so a seed gives the same run as before.
  const transcript = outcome.kind === 'infra-error' ? [] : makeSyntheticTranscript(random, input.turns, startedMs);
  const diff = outcome.kind === 'infra-error' ? '' : makeSyntheticDiff(random);
  const sandboxMs = 800 + random.int(1500);
  return makeAttempt({
    specId: input.specId,
    attemptNumber,
    outcome,
    checks,
    transcript,
    diff,
    tokens,
    costUsd: cost === undefined ? 0 : (tokens.input * cost.input + (tokens.output + tokens.reasoning) * cost.output) / 1e6,
    timings: { sandboxMs, agentMs, checksMs, totalMs: agentMs + checksMs + 2000 },
    startedAt: new Date(startedMs).toISOString(),
  });
}

function drawOutcome(random: Random, quality: number): AttemptOutcome {
  const roll = random.next();
  if (roll < quality) return { kind: 'passed' };
  if (roll > 0.985) return { kind: 'timed-out', afterMs: 600_000 };
  const total = FAILURE_MODES.reduce((sum, mode) => sum + mode.weight, 0);
  let pick = random.next() * total;
  for (const mode of FAILURE_MODES) {
    pick -= mode.weight;
    if (pick <= 0) return { kind: 'failed', failedChecks: mode.checks };
  }
  return { kind: 'failed', failedChecks: ['tests'] };
}

function makeInfraOutcome(random: Random): AttemptOutcome {
  return random.next() < 0.7
    ? { kind: 'infra-error', source: 'endpoint', message: random.pick(['connect ECONNREFUSED 10.0.0.7:8000', 'vLLM returned 503 Service Unavailable', 'request timed out after 120000 ms']) }
    : { kind: 'infra-error', source: 'opencode', message: 'OpenCode server exited with code 1 before the session started' };
}

function profile(id: string, model: string, quantization: string, quality: number, tokensPerSecond: number): TargetProfile {
  return {
    target: { kind: 'openai-compatible', id, model, quantization, baseURL: 'http://10.0.0.7:8000/v1', limits: { context: 32_768, output: 4096 }, sampling: { temperature: 0 }, costPerMillionTokens: { input: 0.2, output: 0.6 } },
    quality,
    tokensPerSecond,
  };
}

function makePrompt(variant: string, title: string): string {
  const common = ['You are a careful coding agent working in a React + TypeScript app.', `Task: ${title}.`, 'Only edit files under src/.', 'Never read .env or secrets/.'];
  return variant === 'terse' ? common.slice(1).join('\n') : [...common, 'Run the type checker before you finish.', 'Ask one clarifying question when the request is ambiguous.', 'Explain your change in two sentences at the end.'].join('\n');
}
