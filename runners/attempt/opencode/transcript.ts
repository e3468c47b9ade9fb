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
  info: {
    role: string;
    time: { created: number };
    tokens?: { total?: number; input: number; output: number; reasoning: number; cache: { read: number; write: number } };
    cost?: number;
    /** Assistant messages: OpenCode's compaction summary. */
    summary?: unknown;
    mode?: string;
  };
  parts: Part[];
}

type CompactionEntry = Extract<TranscriptEntry, { type: 'compaction' }>;

export interface MessagesDigest {
  entries: TranscriptEntry[];
  tokens: TokenUsage;
  costUsd: number;
}

/**
 * Turns a session's stored messages into transcript entries, tokens and cost. Entries of a child
 * (subagent) session are tagged with its id. A compaction (a user message with a `compaction`
 * part, then OpenCode's summary) becomes one `compaction` entry with the context size before and
 * after; the summary's model call is a step marked `compaction`.
 */
export function digestMessages(messages: readonly MessageLike[], session?: string): MessagesDigest {
  const entries: TranscriptEntry[] = [];
  const tag = session === undefined ? {} : { session };
  let tokens = ZERO_TOKENS;
  let costUsd = 0;
  let contextTokens: number | null = null;
  let pending: CompactionEntry | undefined;
  for (const message of messages) {
    const info = message.info;
    if (info.role === 'user') {
      const part = message.parts.find((candidate) => candidate.type === 'compaction');
      if (part !== undefined) {
        pending = { type: 'compaction', auto: part.auto, overflow: part.overflow === true, tokensBefore: contextTokens, tokensAfter: null, summary: '', atMs: info.time.created, ...tag };
        entries.push(pending);
      }
      continue;
    }
    if (info.role !== 'assistant') continue;
    const isSummary = info.summary === true || info.mode === 'compaction';
    if (info.tokens !== undefined) {
      const usage = toUsage(info.tokens);
      tokens = addTokens(tokens, usage);
      entries.push({ type: 'step', tokens: usage, atMs: info.time.created, ...tag, ...(isSummary ? { compaction: true } : {}) });
      // A call that failed (e.g. an overflow refused by the endpoint) reports no tokens: it says nothing of the context.
      const size = info.tokens.total ?? usage.input + usage.output + usage.reasoning + usage.cacheRead + usage.cacheWrite;
      if (!isSummary && size > 0) {
        if (pending !== undefined && pending.tokensAfter === null && pending.summary !== '') pending.tokensAfter = usage.input + usage.cacheRead;
        contextTokens = size;
      }
    }
    costUsd += info.cost ?? 0;
    if (isSummary) {
      if (pending !== undefined) pending.summary = truncateText(summaryText(message.parts) || '(empty summary)', 4000);
      continue;
    }
    for (const part of message.parts) {
      const entry = partToEntry(part, info.time.created);
      if (entry !== undefined) entries.push({ ...entry, ...tag } as TranscriptEntry);
    }
  }
  return { entries, tokens, costUsd };
}

function toUsage(tokens: NonNullable<MessageLike['info']['tokens']>): TokenUsage {
  return { input: tokens.input, output: tokens.output, reasoning: tokens.reasoning, cacheRead: tokens.cache.read, cacheWrite: tokens.cache.write };
}

function summaryText(parts: readonly Part[]): string {
  return parts
    .flatMap((part) => (part.type === 'text' ? [part.text.trim()] : []))
    .filter((text) => text !== '')
    .join('\n');
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
      const child = part.tool === 'task' ? childSessionOf(state) : undefined;
      const base = { type: 'tool' as const, tool: part.tool, callId: part.callID, input: truncateValue(state.input), ...(child === undefined ? {} : { subagentSession: child }) };
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

/** The child session a `task` call runs its subagent in (OpenCode puts it in the part's metadata). */
function childSessionOf(state: unknown): string | undefined {
  const metadata = typeof state === 'object' && state !== null && 'metadata' in state ? state.metadata : undefined;
  const id = typeof metadata === 'object' && metadata !== null && 'sessionId' in metadata ? metadata.sessionId : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Orders entries by time; entries at the same instant keep their order. */
export function mergeTranscript(...lists: TranscriptEntry[][]): TranscriptEntry[] {
  return lists
    .flat()
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.atMs - b.entry.atMs || a.index - b.index)
    .map(({ entry }) => entry);
}
