import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Handlebars from 'handlebars';

/**
 * The compiled templates, the stylesheet and the page script. Templates are compiled once,
 * in a private Handlebars environment; the stylesheet and the script are our own static
 * files, inserted verbatim; data only ever goes through escaped `{{ }}` expressions.
 */
export interface HtmlView {
  renderPage: (name: PageName, context: object) => string;
  /** The page script: the `diff` package's browser build, then the files of `client/`, in order. */
  script: string;
  styles: string;
}

export type PageName = 'report' | 'history';

const TEMPLATE_DIR = path.join(import.meta.dirname, 'templates');
const CLIENT_DIR = path.join(import.meta.dirname, 'client');
/** The page script's parts, in the order they must run. */
export const CLIENT_FILES = ['dom.js', 'load-data.js', 'attempt-detail.js', 'attempt-list.js', 'drawer.js', 'prompt-compare.js', 'main.js'] as const;
const PAGES: readonly PageName[] = ['report', 'history'];
/** Strict: a field the view names but the model lacks is a bug, not an empty string. */
const COMPILE_OPTIONS = { strict: true, preventIndent: true, knownHelpersOnly: true } as const;

let cachedView: HtmlView | undefined;

export function loadHtmlView(): HtmlView {
  if (cachedView !== undefined) return cachedView;
  const handlebars = Handlebars.create();
  const styles = readFileSync(path.join(TEMPLATE_DIR, 'report.css'), 'utf8');
  handlebars.registerPartial('styles', () => styles);
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

/**
 * One classic script, no module loading: the `diff` package's UMD build sees a local
 * `exports` and fills it instead of a global; each client file adds itself to `app`.
 */
function buildPageScript(): string {
  const require = createRequire(import.meta.url);
  const diffBuild = readFileSync(path.join(path.dirname(require.resolve('diff/package.json')), 'dist', 'diff.min.js'), 'utf8');
  const parts = CLIENT_FILES.map((file) => `// ---- ${file}\n${readFileSync(path.join(CLIENT_DIR, file), 'utf8')}`);
  const script = [
    '(() => {',
    "'use strict';",
    'const app = {};',
    `(function () { const exports = {}; const module = { exports }; ${diffBuild.trim()}\n; app.diff = exports; })();`,
    ...parts,
    'app.start();',
    '})();',
  ].join('\n');
  if (/<\/script|<!--/i.test(script)) throw new Error('the page script must not hold </script or <!--');
  return script;
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
