import { diffLines } from 'diff';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { truncateText } from './format.ts';
import { composeVariantText, listVariantKeys } from './variant-text.ts';

export type PromptDiffTone = 'add' | 'del' | 'ctx' | 'skip';

export interface PromptDiffLineView {
  tone: PromptDiffTone;
  sign: string;
  text: string;
}

export interface PromptDiffView {
  from: string;
  to: string;
  isIdentical: boolean;
  added: number;
  removed: number;
  lines: PromptDiffLineView[];
}

export interface PromptVariantTextView {
  variantId: string;
  key: string;
  text: string;
  lineCount: number;
}

export interface PromptScenarioView {
  scenarioId: string;
  title: string;
  variants: PromptVariantTextView[];
  /** Each variant after the first against the first. */
  diffs: PromptDiffView[];
}

export interface PromptsView {
  scenarios: PromptScenarioView[];
  count: number;
}

/** Unchanged lines kept around each change; longer unchanged runs fold into one line. */
const CONTEXT_LINES = 3;
const MAX_PROMPT_CHARS = 120_000;

/**
 * Each scenario's variants side by side — prompt, AGENTS.md and effective OpenCode config — each
 * variant diffed against the first.
 */
export function buildPromptsView(summary: RunSummary): PromptsView {
  const titles = new Map(summary.scenarios.map((scenario) => [scenario.id, scenario.title]));
  const byScenario = new Map<string, PromptVariantTextView[]>();
  const keys = listVariantKeys(summary);
  for (const key of keys) {
    const { scenarioId, variantId } = splitPromptKey(key);
    const text = truncateText(composeVariantText(summary, key), MAX_PROMPT_CHARS);
    const list = byScenario.get(scenarioId) ?? [];
    list.push({ variantId, key, text, lineCount: text.split('\n').length });
    byScenario.set(scenarioId, list);
  }
  const scenarios = [...byScenario.entries()].map(([scenarioId, variants]) => {
    const [first, ...rest] = variants;
    return {
      scenarioId,
      title: titles.get(scenarioId) ?? scenarioId,
      variants,
      diffs: first === undefined ? [] : rest.map((other) => buildPromptDiff(first, other)),
    };
  });
  return { scenarios, count: keys.length };
}

/** Keys are `scenario/variant`; a variant id never holds a slash, a scenario id might. */
export function splitPromptKey(key: string): { scenarioId: string; variantId: string } {
  const slash = key.lastIndexOf('/');
  return slash === -1 ? { scenarioId: key, variantId: '' } : { scenarioId: key.slice(0, slash), variantId: key.slice(slash + 1) };
}

export function buildPromptDiff(from: PromptVariantTextView, to: PromptVariantTextView): PromptDiffView {
  const lines: PromptDiffLineView[] = [];
  let added = 0;
  let removed = 0;
  // A last line without a newline is the same line as one with it.
  for (const change of diffLines(withFinalNewline(from.text), withFinalNewline(to.text))) {
    const changeLines = change.value.replace(/\n$/, '').split('\n');
    if (change.added) added += changeLines.length;
    if (change.removed) removed += changeLines.length;
    const tone: PromptDiffTone = change.added ? 'add' : change.removed ? 'del' : 'ctx';
    for (const text of changeLines) lines.push({ tone, sign: tone === 'add' ? '+' : tone === 'del' ? '−' : ' ', text });
  }
  return { from: from.variantId, to: to.variantId, isIdentical: added === 0 && removed === 0, added, removed, lines: foldUnchanged(lines) };
}

function foldUnchanged(lines: PromptDiffLineView[]): PromptDiffLineView[] {
  const isNearChange = (index: number): boolean =>
    lines.slice(Math.max(0, index - CONTEXT_LINES), index + CONTEXT_LINES + 1).some((line) => line.tone !== 'ctx');
  const folded: PromptDiffLineView[] = [];
  let skipped = 0;
  lines.forEach((line, index) => {
    if (line.tone === 'ctx' && !isNearChange(index)) {
      skipped += 1;
      return;
    }
    if (skipped > 0) folded.push({ tone: 'skip', sign: '', text: `… ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
    skipped = 0;
    folded.push(line);
  });
  if (skipped > 0) folded.push({ tone: 'skip', sign: '', text: `… ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
  return folded;
}

function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
