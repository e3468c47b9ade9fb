import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { buildPageScript } from './page-script.ts';

/**
 * The compiled templates, the stylesheet and the page script. Templates are compiled once,
 * in a private Handlebars environment; the stylesheet and the script are built from our own
 * static files and inserted verbatim; data only ever goes through escaped `{{ }}` expressions.
 */
export interface HtmlView {
  renderPage: (name: PageName, context: object) => string;
  /** The page script: the `diff` package's browser build, then the modules of `client/`, in order (see `page-script.ts`). */
  script: string;
  styles: string;
}

export type PageName = 'report' | 'history' | 'one-page';

const TEMPLATE_DIR = path.join(import.meta.dirname, 'templates');
const PAGES: readonly PageName[] = ['report', 'history', 'one-page'];
/** Strict: a field the view names but the model lacks is a bug, not an empty string. */
const COMPILE_OPTIONS = { strict: true, preventIndent: true, knownHelpersOnly: true } as const;

let cachedView: HtmlView | undefined;

export function loadHtmlView(): HtmlView {
  if (cachedView !== undefined) return cachedView;
  const handlebars = Handlebars.create();
  const styles = readFileSync(path.join(TEMPLATE_DIR, 'report.css'), 'utf8');
  handlebars.registerPartial('styles', () => styles);
  const onePageStyles = readFileSync(path.join(TEMPLATE_DIR, 'one-page.css'), 'utf8');
  handlebars.registerPartial('one-page-styles', () => onePageStyles);
  const partials = readdirSync(TEMPLATE_DIR).filter((file) => file.endsWith('.hbs') && !PAGES.includes(path.basename(file, '.hbs') as PageName));
  for (const file of partials) {
    handlebars.registerPartial(path.basename(file, '.hbs'), handlebars.compile(readTemplate(file), COMPILE_OPTIONS));
  }
  const pages = new Map(PAGES.map((name) => [name, handlebars.compile<object>(readTemplate(`${name}.hbs`), COMPILE_OPTIONS)]));
  const script = buildPageScript();
  cachedView = {
    renderPage: (name, context) => {
      const page = pages.get(name);
      if (page === undefined) throw new Error(`no page template ${name}`);
      return page(context);
    },
    script,
    styles,
  };
  return cachedView;
}

/** Nothing loads from anywhere; the only script that may run is ours, pinned by its hash. */
export function buildContentSecurityPolicy(script: string | null): string {
  const scriptSource = script === null ? "'none'" : `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
  return [
    "default-src 'none'",
    `script-src ${scriptSource}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function readTemplate(name: string): string {
  return readFileSync(path.join(TEMPLATE_DIR, name), 'utf8');
}
