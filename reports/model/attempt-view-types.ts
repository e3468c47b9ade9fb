/**
 * The view model of one attempt's drill-down: verdict, checks with evidence, diff, transcript.
 * Every string may hold model-produced text and must be escaped by the view.
 */

import type { CellTone, FactView, OutcomeTone } from './view-primitives.ts';

export interface VerdictView {
  tone: OutcomeTone;
  title: string;
  detail: string | null;
  /** Set for infra errors: the result says nothing about the model. */
  note: string | null;
}

export interface EvidenceBlockView {
  title: string;
  note: string | null;
  columns: string[];
  rows: CellView[][];
}

export interface CellView {
  text: string;
  tone: CellTone;
}

export interface CheckView {
  name: string;
  status: 'passed' | 'failed' | 'errored';
  statusLabel: string;
  /** Failed and errored checks start unfolded. */
  isOpen: boolean;
  duration: string;
  /** Why it failed, or what went wrong when it errored. */
  reason: string | null;
  facts: FactView[];
  blocks: EvidenceBlockView[];
}

export type DiffLineTone = 'add' | 'del' | 'ctx' | 'meta';

/** A numbered diff line, as shown (see `listHunkLines`). */
export interface DiffLineView {
  oldNumber: string;
  newNumber: string;
  sign: string;
  text: string;
  tone: DiffLineTone;
}

/**
 * One hunk, compact: its lines as recorded, each starting with its sign (`+`, `-`, ` `, `\\`),
 * joined by newlines. Line numbers follow from the starts; a chunk shown raw has none.
 */
export interface DiffHunkView {
  header: string;
  oldStart: number | null;
  newStart: number | null;
  text: string;
}

export interface DiffFileView {
  name: string;
  changeLabel: string;
  additions: number;
  deletions: number;
  note: string | null;
  hunks: DiffHunkView[];
}

export interface DiffView {
  isEmpty: boolean;
  files: DiffFileView[];
  additions: number;
  deletions: number;
  note: string | null;
}

export type TimelineTone =
  | 'user'
  | 'assistant'
  | 'reasoning'
  | 'tool'
  | 'tool-error'
  | 'question'
  | 'permission'
  | 'permission-rejected'
  | 'retry'
  | 'error'
  | 'step'
  | 'todos'
  | 'compaction'
  | 'subagent';

export interface FoldView {
  title: string;
  text: string;
}

export interface QuestionView {
  question: string;
  options: string;
  answer: string;
  matchedBy: string;
}

/** Empty parts are left out, to keep a large run's data small. */
export interface TimelineItemView {
  tone: TimelineTone;
  label: string;
  /** Time since the first entry, e.g. `+1:05`. */
  offset: string;
  headline?: string | undefined;
  text?: string | undefined;
  folds?: FoldView[] | undefined;
  questions?: QuestionView[] | undefined;
  /** Set for entries of a subagent's session: shown nested under the task call that started it. */
  nested?: boolean | undefined;
}

export interface AttemptView {
  tone: OutcomeTone;
  verdict: VerdictView;
  targetId: string;
  promptVariantId: string;
  scenarioId: string;
  scenarioTitle: string;
  repeat: number;
  attemptLabel: string;
  specId: string;
  attemptId: string;
  /** Whether this attempt decided the spec's outcome (earlier ones were retried). */
  isFinal: boolean;
  /** Set when the result was reused from an earlier run with identical inputs. */
  reusedFrom: string | null;
  /** For a timed-out attempt: whether the model server was saturated in its window (vLLM /metrics), in words. */
  serverLoad: string | null;
  startedAt: string;
  totalTime: string;
  totalTokens: string;
  checks: CheckView[];
  changedFiles: string[];
  diff: DiffView;
  timeline: TimelineItemView[];
  /** What the attempt did with OpenCode's TODOs, subagents and compaction, one fact each; empty when it used none. */
  features: FactView[];
  /** The change as the platform's Publish made it; null for records made before publishing existed. */
  published: PublishedView | null;
  timings: FactView[];
  tokens: FactView[];
}

/** An attempt's published change: a commit on a branch of `<run dir>/changes.git` and a patch beside the report. */
export type PublishedView =
  | { status: 'published'; branch: string; commit: string; patchHref: string; files: number }
  | { status: 'empty' }
  | { status: 'errored'; error: string };
