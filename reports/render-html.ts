import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { encodeDataBlock, type DataBlock } from './embed-data.ts';
import { buildContentSecurityPolicy, loadHtmlView } from './html-view.ts';
import { createReportContext, type ReportContext } from './report-context.ts';
import type { ReportFile } from './report-file.ts';
import { buildReportDataModel, buildReportModel, type ReportData, type ReportDataHead } from './report-model.ts';

export { buildContentSecurityPolicy } from './html-view.ts';
export type { ReportContext } from './report-context.ts';

export const HTML_REPORT_PATH = 'report.html';
export const DATA_BLOCK_ID = 'report-data';

/**
 * One self-contained HTML file that loads nothing: the first screens (scorecard, heatmap,
 * quantization, failures, prompts) are rendered here and read without JavaScript or on paper;
 * the attempt list and drill-downs are drawn by the page's script from one embedded data block
 * (the attempt list first, then one line per drill-down, parsed when opened).
 * Pure: the same summary and context always give the same file. As a reporter it gets the build's
 * context; called alone, what the context lacks is worked out here, once.
 */
export function renderHtmlReport(summary: RunSummary, given: Partial<ReportContext> = {}): ReportFile[] {
  const context = createReportContext(summary, given);
  const view = loadHtmlView();
  const page = view.renderPage('report', {
    model: buildReportModel(summary, context),
    contentSecurityPolicy: buildContentSecurityPolicy(view.script),
  });
  const data = encodeReportData(buildReportDataModel(summary, context));
  return [{ path: HTML_REPORT_PATH, contents: `${page}${renderDataBlock(data)}\n<script>${view.script}</script>\n</body>\n</html>\n` }];
}

/** The block's lines, as `client/load-data.js` reads them: the head, then each drill-down. */
function encodeReportData(data: ReportData): DataBlock {
  const { details, ...rest } = data;
  const head: ReportDataHead = rest;
  return encodeDataBlock(head, details);
}

/** The block's text is escaped JSON or base64: neither can hold `<`, so it cannot end the element. */
function renderDataBlock(data: DataBlock): string {
  return `<script type="application/json" id="${DATA_BLOCK_ID}" data-encoding="${data.encoding}" data-json-bytes="${data.jsonBytes}">${data.text}</script>`;
}
