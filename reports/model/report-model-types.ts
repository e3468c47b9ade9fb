import type { AttemptView } from './attempt-view-types.ts';

/**
 * The view model of the HTML report: plain strings, numbers and lists, already formatted,
 * so that templates only place values. Every string may hold model-produced text and must
 * be escaped by the view.
 */

/** How an outcome is shown; also a CSS class. */
export type OutcomeTone = 'passed' | 'failed' | 'timed-out' | 'infra-error' | 'pending';

/** How a table cell is shown; also a CSS class. */
export type CellTone = 'text' | 'code' | 'pre' | 'good' | 'bad' | 'warn' | 'muted';

export interface FactView {
  label: string;
  value: string;
}

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
}

export interface TotalCardView {
  label: string;
  value: string;
  tone: OutcomeTone | 'neutral';
}

export interface CheckFailureView {
  check: string;
  count: number;
  /** Share of finished specs, 0–100, for a bar. */
  percent: number;
}

export interface TotalsView {
  cards: TotalCardView[];
  /** Over model-attributable spec outcomes: infra errors and pending excluded. */
  passRate: string;
  checkFailures: CheckFailureView[];
}

export interface ComparisonRowView {
  targetId: string;
  model: string;
  quantization: string;
  kind: string;
  promptVariantId: string;
  attempts: number;
  passed: number;
  failed: number;
  timedOut: number;
  infraErrors: number;
  pendingSpecs: number;
  /** `passed / (passed + failed + timed out)`, formatted; `—` when nothing counts. */
  passRate: string;
  /** 0–100 for the bar; 0 when there is no rate. */
  passRatePercent: number;
  passRateTone: 'good' | 'warn' | 'bad' | 'muted';
  medianAgentTime: string;
  totalTokens: string;
  tokenBreakdown: string;
  cost: string;
}

export interface MatrixColumnView {
  targetId: string;
  promptVariantId: string;
}

export interface MatrixCellView {
  /** e.g. `2/3`, or `—` when the cell has no spec. */
  label: string;
  detail: string;
  tone: 'good' | 'warn' | 'bad' | 'muted' | 'empty';
  /** Anchor of the cell's first attempt, or null. */
  href: string | null;
}

export interface MatrixRowView {
  scenarioId: string;
  title: string;
  cells: MatrixCellView[];
}

export interface MatrixView {
  columns: MatrixColumnView[];
  rows: MatrixRowView[];
}

export type {
  AttemptView,
  CellView,
  CheckView,
  DiffFileView,
  DiffHunkView,
  DiffLineTone,
  DiffLineView,
  DiffView,
  EvidenceBlockView,
  FoldView,
  QuestionView,
  TimelineItemView,
  TimelineTone,
  VerdictView,
} from './attempt-view-types.ts';

export interface ScenarioSectionView {
  anchor: string;
  id: string;
  title: string;
  fixture: string;
  tags: string[];
  turns: string[];
  attempts: AttemptView[];
  /** Specs of the scenario that have no finished attempt yet. */
  pendingSpecs: number;
}

export interface RenderedPromptView {
  key: string;
  text: string;
  lineCount: number;
}

export interface ReportModel {
  title: string;
  header: RunHeaderView;
  /** Shown on top when the results come from the embedded scripted model. */
  scriptedBanner: string | null;
  totals: TotalsView;
  comparison: ComparisonRowView[];
  matrix: MatrixView;
  scenarios: ScenarioSectionView[];
  renderedPrompts: RenderedPromptView[];
}
