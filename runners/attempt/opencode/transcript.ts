import type { Part } from '@opencode-ai/sdk/v2';
import type { TokenUsage, TranscriptEntry } from '../../core/domain/transcript.ts';
import { MAX_TEXT_CHARS, truncateText } from '../../core/text.ts';
import { ZERO_TOKENS, addTokens } from '../../core/tokens.ts';

/** Bounds every string inside a tool input (e.g. a written file's content). */
export function truncateValue(value: unknown, limit = MAX_TEXT_CHARS): unknown {
  if (typeof value === 'string') return truncateText(value, limit);
  if (Array.isArray(value)) return value.map((item) => truncateValue(item, limit));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, truncateValue(inner, limit)]));
  }
  return value;
}

interface MessageLike {
  info: { role: string; time: { created: number }; tokens?: { input: number; output: number; reasoning: number; cache: { read: number; write: number } }; cost?: number };
  parts: Part[];
}

export interface MessagesDigest {
  entries: TranscriptEntry[];
  tokens: TokenUsage;
  costUsd: number;
}

/** Turns the stored assistant messages into transcript entries, tokens and cost. */
export function digestMessages(messages: readonly MessageLike[]): MessagesDigest {
  const entries: TranscriptEntry[] = [];
  let tokens = ZERO_TOKENS;
  let costUsd = 0;
  for (const message of messages) {
    if (message.info.role !== 'assistant') continue;
    const info = message.info;
    if (info.tokens !== undefined) {
      const usage: TokenUsage = {
        input: info.tokens.input,
        output: info.tokens.output,
        reasoning: info.tokens.reasoning,
        cacheRead: info.tokens.cache.read,
        cacheWrite: info.tokens.cache.write,
      };
      tokens = addTokens(tokens, usage);
      entries.push({ type: 'step', tokens: usage, atMs: info.time.created });
    }
    costUsd += info.cost ?? 0;
    for (const part of message.parts) {
      const entry = partToEntry(part, info.time.created);
      if (entry !== undefined) entries.push(entry);
    }
  }
  return { entries, tokens, costUsd };
}

function partToEntry(part: Part, fallbackMs: number): TranscriptEntry | undefined {
  switch (part.type) {
    case 'text':
      if (part.synthetic === true || part.text.trim() === '') return undefined;
      return { type: 'assistant-text', text: truncateText(part.text), atMs: part.time?.start ?? fallbackMs };
    case 'reasoning':
      return { type: 'reasoning', text: truncateText(part.text), atMs: part.time.start };
    case 'tool': {
      const state = part.state;
      const base = { type: 'tool' as const, tool: part.tool, callId: part.callID, input: truncateValue(state.input) };
      switch (state.status) {
        case 'pending':
          return { ...base, status: 'pending', atMs: fallbackMs };
        case 'running':
          return { ...base, status: 'running', atMs: state.time.start };
        case 'completed':
          return { ...base, status: 'completed', output: truncateText(state.output, 4000), atMs: state.time.start, durationMs: state.time.end - state.time.start };
        case 'error':
          return { ...base, status: 'error', error: truncateText(state.error, 4000), atMs: state.time.start, durationMs: state.time.end - state.time.start };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Orders entries by time; entries at the same instant keep their order. */
export function mergeTranscript(...lists: TranscriptEntry[][]): TranscriptEntry[] {
  return lists
    .flat()
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.atMs - b.entry.atMs || a.index - b.index)
    .map(({ entry }) => entry);
}
