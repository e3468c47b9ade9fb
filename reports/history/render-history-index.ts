import { buildContentSecurityPolicy, loadHtmlView } from '../html-view.ts';
import type { ReportFile } from '../report-file.ts';
import { buildHistoryModel } from './history-model.ts';
import type { RunDigest } from './run-digest.ts';

export const HISTORY_INDEX_PATH = 'index.html';

/**
 * The output folder's index: every run, newest first, linking to its report, and each target ×
 * prompt variant's pass rate across runs as a sparkline. Static HTML, no script at all. Pure.
 */
export function renderHistoryIndex(digests: readonly RunDigest[], options: { folder: string; problems?: string[] }): ReportFile {
  const view = loadHtmlView();
  const model = buildHistoryModel(digests, { folder: options.folder, problems: options.problems ?? [] });
  return { path: HISTORY_INDEX_PATH, contents: view.renderPage('history', { model, contentSecurityPolicy: buildContentSecurityPolicy(null) }) };
}
