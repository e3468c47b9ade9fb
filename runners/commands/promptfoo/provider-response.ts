import type { ProviderResponse, TokenUsage as PromptfooTokenUsage } from 'promptfoo';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { TokenUsage } from '../../core/domain/transcript.ts';
import { sumTokens } from '../../core/tokens.ts';
import { HARNESS_METADATA_KEY, buildAttemptMetadata } from './attempt-metadata.ts';
import { fenceCode, neutralizeControlCharacters } from './safe-text.ts';

export interface AttemptResponseInput {
  runId: string;
  runDir: string;
  spec: RunSpec;
  /** The spec's attempts in order (infra retries first); the last one is reported. */
  attempts: AttemptRecord[];
}

/**
 * One attempt as a promptfoo provider response: the agent's last message and its diff as
 * output, tokens, cost, the OpenCode session, and the harness record as metadata. An infra
 * error becomes promptfoo's `error`, so promptfoo counts it as an error, never as a failed
 * assertion — the model is not blamed for a broken endpoint or harness.
 */
export function toProviderResponse(input: AttemptResponseInput): ProviderResponse {
  const attempt = input.attempts.at(-1);
  if (attempt === undefined) throw new Error(`internal: spec ${input.spec.id} finished without an attempt`);
  const common: ProviderResponse = {
    cached: false,
    cost: attempt.costUsd,
    latencyMs: attempt.timings.totalMs,
    tokenUsage: toPromptfooTokens(attempt.tokens, attempt.transcript.filter((entry) => entry.type === 'step').length),
    metadata: { [HARNESS_METADATA_KEY]: buildAttemptMetadata(input) },
    ...(attempt.sessionId === undefined ? {} : { sessionId: attempt.sessionId }),
  };
  if (attempt.outcome.kind === 'infra-error') {
    const { source, message } = attempt.outcome;
    return {
      ...common,
      error: neutralizeControlCharacters(`infra error [${source}] (not counted against the model): ${message} — attempt ${attempt.attemptId} of ${input.attempts.length}, run ${input.runDir}`),
    };
  }
  // No `prompt` (the system prompt and turns actually sent): promptfoo's table would then
  // overwrite a test's only var with it, and `vars.scenario` must stay the scenario id.
  return { ...common, output: renderOutput(attempt) };
}

/** The agent's final message, then what it changed, as a Markdown diff block. */
export function renderOutput(attempt: AttemptRecord): string {
  const message = attempt.transcript.findLast((entry) => entry.type === 'assistant-text');
  const lines = [message?.type === 'assistant-text' && message.text.trim() !== '' ? message.text.trim() : '(the agent wrote no message)', ''];
  if (attempt.outcome.kind === 'timed-out') lines.push(`(timed out after ${(attempt.outcome.afterMs / 1000).toFixed(1)} s; the session was aborted)`, '');
  if (attempt.diff.trim() === '') {
    lines.push('(no changes)');
  } else {
    lines.push(`Changed files: ${attempt.changedFiles.join(', ')}`, '', fenceCode(attempt.diff, 'diff'));
  }
  return neutralizeControlCharacters(lines.join('\n'));
}

/** Harness token counts in promptfoo's shape; `numRequests` counts model steps. */
export function toPromptfooTokens(tokens: TokenUsage, requests: number): PromptfooTokenUsage {
  return {
    total: sumTokens(tokens),
    prompt: tokens.input,
    completion: tokens.output + tokens.reasoning,
    cached: tokens.cacheRead,
    numRequests: requests,
    completionDetails: { reasoning: tokens.reasoning, cacheReadInputTokens: tokens.cacheRead, cacheCreationInputTokens: tokens.cacheWrite },
  };
}
