import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { RunSummary } from '../runners/summary/summary-types.ts';
import type { ReportFile } from './report-file.ts';
import { buildReportModel } from './report-model.ts';
import type { ReportModel } from './report-model.ts';

export const HTML_REPORT_PATH = 'report.html';

const TEMPLATE_DIR = path.join(import.meta.dirname, 'templates');
/** Strict: a field the view names but the model lacks is a bug, not an empty string. */
const COMPILE_OPTIONS = { strict: true, preventIndent: true, knownHelpersOnly: true } as const;

interface HtmlContext {
  model: ReportModel;
  contentSecurityPolicy: string;
}

interface HtmlView {
  render: (context: HtmlContext) => string;
  contentSecurityPolicy: string;
}

let cachedView: HtmlView | undefined;

/** One self-contained HTML file: inline CSS, no external load, readable without JavaScript. */
export function renderHtmlReport(summary: RunSummary): ReportFile[] {
  const view = loadHtmlView();
  const contents = view.render({ model: buildReportModel(summary), contentSecurityPolicy: view.contentSecurityPolicy });
  return [{ path: HTML_REPORT_PATH, contents }];
}

/**
 * Compiles the templates once, in a private Handlebars environment. The stylesheet and the
 * enhancement script are our own static files, inserted verbatim as function partials; data
 * only ever goes through escaped `{{ }}` expressions.
 */
function loadHtmlView(): HtmlView {
  if (cachedView !== undefined) return cachedView;
  const handlebars = Handlebars.create();
  const styles = readTemplateFile('report.css');
  const script = readTemplateFile('enhance.js');
  handlebars.registerPartial('styles', () => styles);
  handlebars.registerPartial('script', () => script);
  const partials = readdirSync(TEMPLATE_DIR).filter((file) => file.endsWith('.hbs') && file !== 'report.hbs');
  for (const file of partials) {
    handlebars.registerPartial(path.basename(file, '.hbs'), handlebars.compile(readTemplateFile(file), COMPILE_OPTIONS));
  }
  const render = handlebars.compile<HtmlContext>(readTemplateFile('report.hbs'), COMPILE_OPTIONS);
  cachedView = { render, contentSecurityPolicy: buildContentSecurityPolicy(script) };
  return cachedView;
}

/** Nothing loads from anywhere; the only script that may run is ours, pinned by its hash. */
export function buildContentSecurityPolicy(script: string): string {
  const scriptHash = createHash('sha256').update(script, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `script-src 'sha256-${scriptHash}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function readTemplateFile(name: string): string {
  return readFileSync(path.join(TEMPLATE_DIR, name), 'utf8');
}
