import type { AttemptRecord } from '../../runners/core/domain/attempt.ts';
import type { TranscriptEntry } from '../../runners/core/domain/transcript.ts';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';

/**
 * How much of each long text an attempt's drill-down keeps. A small run keeps everything up to
 * generous caps; a large one shares a fixed budget of characters over all its attempts, so that
 * ten thousand attempts still make one file of a few megabytes. Every transcript entry, check
 * and changed file stays; only the longest texts (tool outputs, diffs) are cut, and the report
 * says so. The run's events.jsonl always has them in full.
 */
export interface DetailLimits {
  /** Tool inputs, outputs and errors, reasoning: each fold, in attempts that did not pass. */
  foldChars: number;
  /** The same in passed attempts, which explain less; 0 leaves their folds out. */
  passedFoldChars: number;
  /** User and assistant messages. */
  textChars: number;
  /** One attempt's whole diff. */
  diffChars: number;
  /** True when the budget, not the generous caps, set the limits. */
  isTrimmed: boolean;
}

export const FULL_LIMITS: DetailLimits = { foldChars: 8000, passedFoldChars: 8000, textChars: 20_000, diffChars: 400_000, isTrimmed: false };

/** Characters of long text the whole report may hold (about 5–7 MB once compressed). */
export const DETAIL_BUDGET_CHARS = 38_000_000;

const MIN_FOLD_CHARS = 120;
/** What a kept fold costs besides its text: title, truncation note, JSON. */
const FOLD_OVERHEAD_CHARS = 40;
/** Passed attempts get this share of the fold limit of the others. */
const PASSED_SHARE = 0.25;
/** Messages and diffs are worth more than a tool's output: they get this many times the fold limit. */
const TEXT_FACTOR = 2;
const DIFF_FACTOR = 6;

/**
 * The largest limits whose texts fit the budget. Under pressure, attempts that did not pass keep
 * more than passed ones (they are what people open to see why), and passed attempts lose their
 * folds first; the fold limit of the others never falls below a readable floor.
 */
export function planDetailLimits(summary: RunSummary, budgetChars = DETAIL_BUDGET_CHARS): DetailLimits {
  const lengths = measureTexts(summary.specs.flatMap((spec) => spec.attempts));
  if (costOf(lengths, FULL_LIMITS) <= budgetChars) return FULL_LIMITS;
  let low = MIN_FOLD_CHARS;
  let high = FULL_LIMITS.foldChars;
  while (high - low > 20) {
    const middle = Math.floor((low + high) / 2);
    if (costOf(lengths, limitsFor(middle)) <= budgetChars) low = middle;
    else high = middle;
  }
  return limitsFor(low);
}

function limitsFor(foldChars: number): DetailLimits {
  const passed = Math.floor(foldChars * PASSED_SHARE);
  return {
    foldChars,
    passedFoldChars: passed < MIN_FOLD_CHARS ? 0 : passed,
    textChars: Math.min(foldChars * TEXT_FACTOR, FULL_LIMITS.textChars),
    diffChars: Math.min(foldChars * DIFF_FACTOR, FULL_LIMITS.diffChars),
    isTrimmed: true,
  };
}

function costOf(lengths: TextLengths, limits: DetailLimits): number {
  const folds = (values: number[], cap: number): number => (cap === 0 ? 0 : sumCapped(values, cap) + values.length * FOLD_OVERHEAD_CHARS);
  return (
    folds(lengths.folds, limits.foldChars) +
    folds(lengths.passedFolds, limits.passedFoldChars) +
    sumCapped(lengths.texts, limits.textChars) +
    sumCapped(lengths.diffs, limits.diffChars)
  );
}

/** The fold limit for one attempt. */
export function foldLimitOf(limits: DetailLimits, attempt: AttemptRecord): number {
  return attempt.outcome.kind === 'passed' ? limits.passedFoldChars : limits.foldChars;
}

interface TextLengths {
  folds: number[];
  passedFolds: number[];
  texts: number[];
  diffs: number[];
}

function measureTexts(attempts: readonly AttemptRecord[]): TextLengths {
  const lengths: TextLengths = { folds: [], passedFolds: [], texts: [], diffs: [] };
  for (const attempt of attempts) {
    lengths.diffs.push(attempt.diff.length);
    const folds = attempt.outcome.kind === 'passed' ? lengths.passedFolds : lengths.folds;
    for (const entry of attempt.transcript) measureEntry(entry, { texts: lengths.texts, folds });
  }
  return lengths;
}

function measureEntry(entry: TranscriptEntry, lengths: { texts: number[]; folds: number[] }): void {
  switch (entry.type) {
    case 'user':
    case 'assistant-text':
      lengths.texts.push(entry.text.length);
      return;
    case 'reasoning':
      lengths.folds.push(entry.text.length);
      return;
    case 'tool':
      lengths.folds.push(estimateJsonLength(entry.input), entry.output?.length ?? 0, entry.error?.length ?? 0);
      return;
    case 'question':
    case 'permission':
    case 'retry':
    case 'session-error':
    case 'step':
      return;
  }
}

function estimateJsonLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

function sumCapped(values: readonly number[], cap: number): number {
  let total = 0;
  for (const value of values) total += Math.min(value, cap);
  return total;
}
