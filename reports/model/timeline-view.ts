import type { TranscriptEntry } from '../../runners/core/domain/transcript.ts';
import { formatCount, formatDuration, formatOffset, truncateText } from './format.ts';
import { FULL_LIMITS, type DetailLimits } from './detail-budget.ts';
import type { FoldView, TimelineItemView } from './attempt-view-types.ts';

type EntryOf<T extends TranscriptEntry['type']> = Extract<TranscriptEntry, { type: T }>;
type ItemBody = Omit<TimelineItemView, 'offset'>;

const MAX_HEADLINE_CHARS = 200;
/** Tool input fields that best say what a call was about, most telling first. */
const HEADLINE_KEYS = ['filePath', 'path', 'command', 'pattern', 'url', 'description', 'query'];

/** One view per entry type: a new entry type fails to compile until it has one. */
const ENTRY_VIEWS: { [T in TranscriptEntry['type']]: (entry: EntryOf<T>) => ItemBody } = {
  user: (entry) => item('user', `User · turn ${entry.turnIndex + 1}`, { text: entry.text }),
  'assistant-text': (entry) => item('assistant', 'Assistant', { text: entry.text }),
  reasoning: (entry) =>
    item('reasoning', 'Reasoning', { headline: excerpt(entry.text), folds: [fold('Full reasoning', entry.text)] }),
  tool: viewToolEntry,
  question: (entry) =>
    item('question', 'Question', {
      questions: entry.questions.map((question, index) => ({
        question: question.question,
        options: question.options.length === 0 ? '(free text)' : question.options.join(' · '),
        answer: (entry.answers[index] ?? []).join(', ') || '(no answer)',
        matchedBy: entry.matchedBy[index] ?? 'default',
      })),
    }),
  permission: (entry) =>
    item(entry.decision === 'reject' ? 'permission-rejected' : 'permission', `Permission · ${entry.permission}`, {
      headline: `${entry.decision === 'reject' ? 'Rejected' : 'Allowed once'}: ${entry.patterns.join(', ') || '(no pattern)'}`,
      text: entry.reason,
    }),
  retry: (entry) => item('retry', `Retry #${entry.attempt}`, { text: entry.message }),
  'session-error': (entry) => item('error', `Session error · ${entry.name}`, { text: entry.message }),
  step: (entry) =>
    item('step', entry.compaction === true ? 'Compaction summary written' : 'Step finished', {
      headline: `tokens: ${formatCount(entry.tokens.input)} in · ${formatCount(entry.tokens.output)} out · ${formatCount(entry.tokens.reasoning)} reasoning · ${formatCount(entry.tokens.cacheRead)} cache read`,
    }),
  todos: (entry) => {
    const done = entry.todos.filter((todo) => todo.status === 'completed').length;
    return item('todos', `TODO list · ${done} of ${entry.todos.length} done`, {
      text: entry.todos.map((todo) => `${todo.status === 'completed' ? '[x]' : todo.status === 'cancelled' ? '[-]' : '[ ]'} ${todo.content}${todo.status === 'in_progress' ? ' (in progress)' : ''}`).join('\n') || '(empty list)',
    });
  },
  compaction: (entry) =>
    item('compaction', `Compaction · ${entry.auto ? 'automatic' : 'requested'}${entry.overflow ? ', after an overflow error' : ''}`, {
      headline: `context ${entry.tokensBefore === null ? '?' : formatCount(entry.tokensBefore)} → ${entry.tokensAfter === null ? '?' : formatCount(entry.tokensAfter)} tokens`,
      folds: [fold('Summary the conversation went on from', entry.summary)],
    }),
  subagent: (entry) =>
    item('subagent', `Subagent · ${entry.agent}`, {
      headline: `${entry.description} — ${entry.steps} step(s), ${entry.toolCalls} tool call(s)${entry.callId === undefined ? '' : ` · started by call ${entry.callId}`}`,
    }),
};

/**
 * The transcript as a timeline, each entry timed from the first one; long texts cut to the
 * limits, folds left out when their limit is 0.
 */
export function buildTimeline(transcript: TranscriptEntry[], limits: Pick<DetailLimits, 'foldChars' | 'textChars'> = FULL_LIMITS): TimelineItemView[] {
  const startMs = transcriptStartOf(transcript);
  const subagents = new Map(transcript.flatMap((entry) => (entry.type === 'subagent' ? [[entry.session, entry.agent] as const] : [])));
  return transcript.map((entry) => {
    const body = viewEntry(entry);
    const session = 'session' in entry && entry.type !== 'subagent' ? entry.session : undefined;
    const label = session === undefined ? body.label : `↳ ${subagents.get(session) ?? 'subagent'} · ${body.label}`;
    const view: TimelineItemView = { tone: body.tone, label, offset: formatOffset(entry.atMs - startMs) };
    if (session !== undefined || entry.type === 'subagent') view.nested = true;
    if (body.headline !== undefined) view.headline = body.headline;
    if (body.text !== undefined) view.text = truncateText(body.text, limits.textChars);
    if (body.folds !== undefined && limits.foldChars > 0) view.folds = body.folds.map((part) => ({ title: part.title, text: truncateText(part.text, limits.foldChars) }));
    if (body.questions !== undefined) view.questions = body.questions;
    return view;
  });
}

/** When the transcript's first entry happened: every offset shown is from here. */
export function transcriptStartOf(transcript: readonly TranscriptEntry[]): number {
  return transcript.reduce((earliest, entry) => Math.min(earliest, entry.atMs), Number.POSITIVE_INFINITY);
}

function viewEntry<T extends TranscriptEntry['type']>(entry: EntryOf<T>): ItemBody {
  const view = ENTRY_VIEWS[entry.type] as (entry: EntryOf<T>) => ItemBody;
  return view(entry);
}

function viewToolEntry(entry: EntryOf<'tool'>): ItemBody {
  const duration = entry.durationMs === undefined ? '' : ` in ${formatDuration(entry.durationMs)}`;
  const subject = describeToolSubject(entry.input);
  const folds = [fold(`Input · call ${entry.callId}`, stringifyInput(entry.input))];
  if (entry.output !== undefined) folds.push(fold('Output', entry.output));
  const errorExcerpt = entry.error === undefined ? null : excerpt(entry.error);
  if (entry.error !== undefined && errorExcerpt !== entry.error.trim()) folds.push(fold('Full error', entry.error));
  return item(entry.status === 'error' ? 'tool-error' : 'tool', `Tool · ${entry.tool}`, {
    headline: `${subject === null ? '' : `${subject} — `}${entry.status}${duration}`,
    text: errorExcerpt,
    folds,
  });
}

function describeToolSubject(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  for (const key of HEADLINE_KEYS) {
    const value: unknown = Reflect.get(input, key);
    if (typeof value === 'string' && value !== '') return excerpt(value);
  }
  return null;
}

function stringifyInput(input: unknown): string {
  if (typeof input === 'string') return input;
  try {
    return JSON.stringify(input, null, 2) ?? String(input);
  } catch {
    return String(input);
  }
}

/** Only the parts an entry has: absent, not null or empty, keeps a large run's data small. */
function item(tone: ItemBody['tone'], label: string, parts: { headline?: string | null; text?: string | null; folds?: FoldView[]; questions?: ItemBody['questions'] }): ItemBody {
  const body: ItemBody = { tone, label };
  if (parts.headline !== undefined && parts.headline !== null) body.headline = parts.headline;
  if (parts.text !== undefined && parts.text !== null) body.text = parts.text;
  if (parts.folds !== undefined && parts.folds.length > 0) body.folds = parts.folds;
  if (parts.questions !== undefined && parts.questions.length > 0) body.questions = parts.questions;
  return body;
}

function fold(title: string, text: string): FoldView {
  return { title, text };
}

function excerpt(text: string): string {
  const firstLine = text.trim().split('\n', 1)[0] ?? '';
  return firstLine.length > MAX_HEADLINE_CHARS || firstLine.length < text.trim().length
    ? `${firstLine.slice(0, MAX_HEADLINE_CHARS)}…`
    : firstLine;
}
