import type { AttemptView } from './attempt-view-types.ts';
import type { OutcomeTone } from './view-primitives.ts';

/**
 * The page's data block, as types only: the server builds it (`report-data.ts`), the page's
 * script reads it (`client/load-data.js`), and both are checked against these. Types only, so
 * that the browser code's type check pulls in no server code.
 *
 * The block is JSON lines: first the head, then one `AttemptView` per attempt, in the order of
 * `head.attempts`. Strings in it may hold model output; the script only ever puts them into the
 * page as text.
 */
export interface ReportDataHead {
  version: 1;
  runId: string;
  scenarios: Array<{ id: string; title: string }>;
  cohorts: Array<{ targetId: string; promptVariantId: string }>;
  checks: string[];
  attempts: AttemptRowData[];
  prompts: Array<{ key: string; text: string }>;
  /** Set when long texts were cut to fit a large run into one file. */
  trimmedNote: string | null;
}

/** The whole block: the head and every drill-down, in the order of `attempts`. */
export interface ReportData extends ReportDataHead {
  details: AttemptView[];
}

/** One row of the attempt list; `scenario` and `cohort` are positions in the head's lists. */
export interface AttemptRowData {
  id: string;
  scenario: number;
  cohort: number;
  repeat: number;
  attempt: number;
  of: number;
  tone: OutcomeTone;
  title: string;
  time: string;
  tokens: string;
  /** Checks that failed, for the list's filter. */
  failed: string[];
  /** Whether this attempt decided its spec's outcome. */
  final: boolean;
  reused: boolean;
}
