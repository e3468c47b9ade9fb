import { z } from 'zod';
import type { AgentHealthEvidence, CheckStatus, TextToolCall } from '../../core/domain/check-result.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import type { Check } from './check-context.ts';
import { detectTextToolCalls } from './detect-text-tool-calls.ts';
import { truncateText } from './format-text.ts';

const MAX_LISTED = 20;
/** Tool errors OpenCode gives when the model's arguments do not fit the tool's schema. */
const INVALID_ARGUMENTS = /invalid arguments|SchemaError|Invalid input for tool|JSON parsing failed|arguments provided to the tool are invalid/i;
const invalidToolInput = z.object({ tool: z.string().optional(), error: z.string().optional() });
const CONTEXT_OVERFLOW = /ContextOverflowError|maximum context length|context overflow|context length|too large to compact/i;

/** Fails when the model's output broke the agent loop; invalid tool calls alone are only evidence. */
export const checkAgentHealth: Check<'agent-health'> = async (context) => {
  const started = performance.now();
  const status = judgeAgentHealth(context.transcript);
  return { check: 'agent-health', durationMs: Math.round(performance.now() - started), ...status };
};

export function judgeAgentHealth(transcript: readonly TranscriptEntry[]): CheckStatus<AgentHealthEvidence> {
  const evidence = collectAgentHealth(transcript);
  const reasons: string[] = [];
  if (evidence.textToolCalls.length > 0) {
    const patterns = [...new Set(evidence.textToolCalls.map((call) => call.pattern))].join(', ');
    const lastText = transcript.findLast((entry) => entry.type === 'assistant-text');
    const endedOnIt = lastText !== undefined && detectTextToolCalls(lastText.text).length > 0;
    const how = evidence.toolCalls === 0 ? ' and made no structured tool call at all' : endedOnIt ? ', and the run ended on one' : '';
    reasons.push(`the model wrote ${evidence.textToolCalls.length} tool call(s) as text (${patterns})${how}`);
  }
  if (evidence.contextOverflow) reasons.push('the conversation overflowed the context window');
  if (evidence.sessionErrors.length > 0) reasons.push(`${evidence.sessionErrors.length} session error(s): ${evidence.sessionErrors.map((error) => error.name).join(', ')}`);
  if (reasons.length === 0) return { status: 'passed', evidence };
  const invalid = evidence.invalidToolCalls.length > 0 ? ` (also ${evidence.invalidToolCalls.length} invalid tool call(s))` : '';
  return { status: 'failed', evidence, reason: `${reasons.join('; ')}${invalid}` };
}

export function collectAgentHealth(transcript: readonly TranscriptEntry[]): AgentHealthEvidence {
  const callIds = new Set<string>();
  const textToolCalls: TextToolCall[] = [];
  const invalidByCallId = new Map<string, { tool: string; error: string }>();
  const sessionErrors: AgentHealthEvidence['sessionErrors'] = [];
  let recoveredOverflows = 0;
  for (const [index, entry] of transcript.entries()) {
    if (entry.type === 'assistant-text') textToolCalls.push(...detectTextToolCalls(entry.text));
    if (entry.type === 'tool') {
      // Call ids are unique per session only: a subagent's may repeat its parent's.
      const key = `${entry.session ?? ''}:${entry.callId}`;
      callIds.add(key);
      const invalid = describeInvalidCall(entry);
      if (invalid !== undefined) invalidByCallId.set(key, invalid);
    }
    if (entry.type !== 'session-error' || entry.name === 'MessageAbortedError') continue;
    if (isRecoveredOverflow(transcript, index)) recoveredOverflows += 1;
    else sessionErrors.push({ name: entry.name, message: truncateText(entry.message, 500) });
  }
  return {
    toolCalls: callIds.size,
    textToolCalls: textToolCalls.slice(0, MAX_LISTED),
    invalidToolCalls: [...invalidByCallId.values()].slice(0, MAX_LISTED),
    sessionErrors: sessionErrors.slice(0, MAX_LISTED),
    contextOverflow: sessionErrors.some((error) => CONTEXT_OVERFLOW.test(`${error.name} ${error.message}`)),
    compactions: transcript.filter((entry) => entry.type === 'compaction').length,
    recoveredOverflows,
  };
}

/**
 * OpenCode reports an endpoint's overflow error (the prompt did not fit), then compacts and goes
 * on: an overflow followed by a compaction of the same session is handled, not a failure.
 */
function isRecoveredOverflow(transcript: readonly TranscriptEntry[], index: number): boolean {
  const entry = transcript[index];
  if (entry?.type !== 'session-error' || entry.name === COMPACTION_LOOP_NAME || !CONTEXT_OVERFLOW.test(`${entry.name} ${entry.message}`) || /too large to compact/i.test(entry.message)) return false;
  return transcript.slice(index + 1).some((later) => later.type === 'compaction' && later.session === entry.session);
}

/** The session-error the harness records when it stops a compaction loop (runners/attempt/opencode/step-watch.ts). */
const COMPACTION_LOOP_NAME = 'CompactionLoop';

/** OpenCode's `invalid` tool (unparseable arguments, unknown tool) or a schema error on a real tool. */
function describeInvalidCall(entry: Extract<TranscriptEntry, { type: 'tool' }>): { tool: string; error: string } | undefined {
  if (entry.tool === 'invalid') {
    const parsed = invalidToolInput.safeParse(entry.input);
    const input = parsed.success ? parsed.data : {};
    return { tool: input.tool ?? 'invalid', error: truncateText(input.error ?? entry.output ?? entry.error ?? 'invalid tool call', 300) };
  }
  if (entry.status === 'error' && INVALID_ARGUMENTS.test(entry.error ?? '')) return { tool: entry.tool, error: truncateText(entry.error ?? '', 300) };
  return undefined;
}
