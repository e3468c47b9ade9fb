import path from 'node:path';
import { loadRunHistory, loadRunSummary, type RunHistory } from '../../../reports/history/load-run-history.ts';
import { renderHistoryIndex } from '../../../reports/history/render-history-index.ts';
import { buildRunDigest, renderRunDigest } from '../../../reports/history/run-digest.ts';
import { selectPreviousRun } from '../../../reports/history/select-previous-run.ts';
import { REPORTERS, renderAllReports, type Reporter } from '../../../reports/reporters.ts';
import { writeReportFiles } from '../../../reports/write-report-files.ts';
import { OutputError } from '../../core/errors.ts';
import type { Redactor } from '../../core/redact.ts';
import { describeIoError, readEventLog } from '../../pipeline/events/event-log.ts';
import { FIX_HINT } from '../../pipeline/run/run-log.ts';
import { buildReportRedactor } from '../../pipeline/run/start-run.ts';
import { summarizeRun } from '../../pipeline/summary/summarize.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';

export interface WrittenReports {
  summary: RunSummary;
  /** Absolute paths of the files written; the HTML report first. */
  paths: string[];
  /** Reporters that failed; the run is still recorded. */
  failures: Array<{ reporter: string; error: string }>;
  logProblems: Array<{ line: number; reason: string }>;
  /** The output folder's index of runs (`<outputDir>/index.html`), when it was written. */
  historyIndexPath?: string | null;
}

/**
 * Rebuilds summary and reports from a run's event log: the log is the source of truth. The run
 * folder's parent is the output folder: the HTML report compares with the newest earlier run
 * there that shares a target × prompt variant, and the folder's index of runs is rewritten.
 */
export async function writeRunReports(runDir: string): Promise<WrittenReports> {
  const { events, problems } = readEventLog(runDir);
  const summary = summarizeRun(events);
  const redactor = buildReportRedactor(summary.targets);
  const outputDir = path.dirname(path.resolve(runDir));
  const history = loadRunHistory(outputDir);
  const previous = findPreviousSummary(summary, history);
  const reporters: Reporter[] = [...REPORTERS, { name: 'run-digest', render: renderRunDigest }];
  const results = renderAllReports(summary, { previous, reporters });
  const files = results.flatMap((result) => (result.status === 'rendered' ? result.files : []));
  const failures = results.flatMap((result) => (result.status === 'failed' ? [{ reporter: result.reporter, error: result.error }] : []));
  const paths = await writeReportFiles(runDir, files, redactor);
  paths.sort((a, b) => Number(b.endsWith('.html')) - Number(a.endsWith('.html')));
  const historyIndexPath = await writeHistoryIndex({ outputDir, summary, history, failures, redactor });
  return { summary, paths, failures, logProblems: problems, historyIndexPath };
}

/** The newest earlier comparable run that can still be read; undefined when there is none. */
function findPreviousSummary(summary: RunSummary, history: RunHistory): RunSummary | undefined {
  const candidates = [...history.entries];
  for (let found = selectPreviousRun(summary, candidates); found !== undefined; found = selectPreviousRun(summary, candidates)) {
    try {
      return loadRunSummary(found.runDir);
    } catch {
      // A damaged earlier run only costs the trend arrows: try the one before it.
      candidates.splice(candidates.indexOf(found), 1);
    }
  }
  return undefined;
}

interface HistoryIndexParts {
  outputDir: string;
  summary: RunSummary;
  history: RunHistory;
  failures: WrittenReports['failures'];
  redactor: Redactor;
}

/** Rewrites `<outputDir>/index.html` with this run's fresh digest; a failure is recorded, not thrown. */
async function writeHistoryIndex({ outputDir, summary, history, failures, redactor }: HistoryIndexParts): Promise<string | null> {
  try {
    const digests = [...history.entries.map((entry) => entry.digest).filter((digest) => digest.runId !== summary.runId), buildRunDigest(summary)];
    const index = renderHistoryIndex(digests, { folder: path.basename(outputDir), problems: history.problems });
    const [written] = await writeReportFiles(outputDir, [index], redactor);
    return written ?? null;
  } catch (error) {
    failures.push({ reporter: 'history-index', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return null;
  }
}

/** Writes the summary and reports; a disk failure says that the log is complete and how to retry. */
export async function writeReportsOf(runDir: string): Promise<WrittenReports> {
  try {
    return await writeRunReports(runDir);
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    if (!isDiskError(cause)) throw error;
    throw new OutputError(
      `${runDir}: the run is recorded in full in its event log, but its reports could not be written: ${describeIoError(cause)}. ${FIX_HINT} Then rebuild them with \`harness report ${runDir}\`.`,
      { file: runDir, cause: error },
    );
  }
}

const DISK_ERROR_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG']);

export function isDiskError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && DISK_ERROR_CODES.has(error.code);
}
