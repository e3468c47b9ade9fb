import type { ConcurrencyView } from './concurrency-view.ts';
import type { AdaptiveView } from './adaptive-view.ts';
import type { FailureBreakdownView } from './failure-view.ts';
import type { FeaturesView } from './feature-view.ts';
import type { HeatmapView } from './heatmap-view.ts';
import type { PromptsView } from './prompt-view.ts';
import type { QuantizationView } from './quantization-view.ts';
import type { ScorecardView } from './scorecard-view.ts';
import type { OutcomeTone } from './view-primitives.ts';

/**
 * The view model of the HTML report: plain strings, numbers and lists, already formatted,
 * so that templates only place values. Every string may hold model-produced text and must
 * be escaped by the view.
 */

export interface RunHeaderView {
  runId: string;
  startedAt: string;
  finishedAt: string;
  duration: string;
  status: 'complete' | 'incomplete';
  statusLabel: string;
  opencodeVersion: string;
  harnessVersion: string;
  configFile: string;
  /** How the agent was confined. */
  isolation: string;
  /** The guarantees of containment this run did not have, each stated in full; empty when it had them all. */
  lostGuarantees: string[];
}

export interface TotalCardView {
  label: string;
  value: string;
  tone: OutcomeTone | 'neutral';
}


export interface ReportModel {
  title: string;
  header: RunHeaderView;
  /** Shown on top when the results come from the embedded scripted model. */
  scriptedBanner: string | null;
  /** Spec outcomes of the whole run, counted. */
  totals: TotalCardView[];
  scorecard: ScorecardView;
  /** `run --until-decided`: its rounds, stopping rule and attempts saved; null for an ordinary run. */
  adaptive: AdaptiveView | null;
  /** Per configuration, how the attempts used OpenCode's TODOs, subagents and compaction; null when none did. */
  features: FeaturesView | null;
  /** `concurrency: auto` per model server; null when the run used a fixed concurrency. */
  concurrency: ConcurrencyView | null;
  heatmap: HeatmapView;
  quantization: QuantizationView;
  failures: FailureBreakdownView;
  prompts: PromptsView;
  attemptCount: string;
}
