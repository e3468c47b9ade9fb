import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';

/** Stands for the prompt when a variant keeps OpenCode's own (no system.hbs, no agent.md body). */
export const OPENCODE_PROMPT_NOTE = "(no prompt of the variant's own: OpenCode's built-in prompt for the model)";

/**
 * What one (scenario, variant) pair ran with, as one text to show and diff: the agent's prompt,
 * the AGENTS.md instructions and the effective OpenCode config (the real merge: OpenCode's
 * defaults, the variant, the harness's invariants, the scenario's policy last).
 */
export function composeVariantText(summary: Pick<RunSummary, 'renderedPrompts' | 'renderedInstructions' | 'effectiveConfigs'>, key: string): string {
  const prompt = summary.renderedPrompts[key];
  const instructions = summary.renderedInstructions?.[key];
  const configId = summary.effectiveConfigs?.byPair[key];
  const config = configId === undefined ? undefined : summary.effectiveConfigs?.configs[configId];
  const sections = [`── Prompt ──\n${prompt ?? OPENCODE_PROMPT_NOTE}`];
  if (summary.effectiveConfigs !== undefined) {
    sections.push(`── AGENTS.md (instructions) ──\n${instructions ?? '(none)'}`);
    sections.push(`── Effective OpenCode config ──\n${config === undefined ? '(not recorded)' : JSON.stringify(config, null, 2)}`);
  }
  return `${sections.map((section) => section.replace(/\n+$/, '')).join('\n\n')}\n`;
}

/** Every `scenario/variant` key the summary has something for, sorted. */
export function listVariantKeys(summary: Pick<RunSummary, 'renderedPrompts' | 'renderedInstructions' | 'effectiveConfigs'>): string[] {
  const keys = new Set([...Object.keys(summary.renderedPrompts), ...Object.keys(summary.renderedInstructions ?? {}), ...Object.keys(summary.effectiveConfigs?.byPair ?? {})]);
  return [...keys].sort((left, right) => left.localeCompare(right));
}
