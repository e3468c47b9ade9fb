import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The report's page script: one classic script, pinned by its hash in the page's policy, built
 * from the ES modules of `client/` (checked by `tsconfig.client.json` against the view types).
 * Nothing is transpiled: the files are plain JavaScript with types in JSDoc, so building only
 * turns each module into a function whose exports are gathered, in order, under its name.
 *
 * A client file may use only two module forms, one per line — `import { a, b as c } from '…';`
 * (another client file, or `diff`) and `export function|async function|const name` — and may import
 * only files listed before it. Anything else is refused here rather than shipped half-rewritten.
 */

const CLIENT_DIR = path.join(import.meta.dirname, 'client');
/** The page script's modules, each after those it imports; the last one's `start` runs the page. */
export const CLIENT_FILES = ['dom.js', 'load-data.js', 'attempt-detail.js', 'attempt-list.js', 'drawer.js', 'prompt-compare.js', 'main.js'] as const;
/** The one package the page uses, with the build that runs as a classic script. */
const PACKAGE_BUILDS: Readonly<Record<string, string>> = { diff: 'dist/diff.min.js' };

const IMPORT_LINE = /^import \{([^}]*)\} from '([^']+)';$/;
const EXPORT_LINE = /^export (async function|function|const) ([A-Za-z_$][\w$]*)\b/;
const MODULE_SYNTAX = /^\s*(import|export)\b/;

export function buildPageScript(): string {
  const sources = CLIENT_FILES.map((file) => ({ file, source: readFileSync(path.join(CLIENT_DIR, file), 'utf8') }));
  const entry = `./${CLIENT_FILES[CLIENT_FILES.length - 1]}`;
  const script = [
    '(() => {',
    "'use strict';",
    'const modules = {};',
    ...Object.keys(PACKAGE_BUILDS).map(bundlePackage),
    ...gatherModules(sources),
    `modules[${JSON.stringify(entry)}].start();`,
    '})();',
  ].join('\n');
  if (/<\/script|<!--/i.test(script)) throw new Error('the page script must not hold </script or <!--');
  return script;
}

/**
 * Each module as `modules['./file.js'] = (() => { …; return { exports }; })();`, in the given
 * order. Pure, for the tests: `sources` stands for the files of `client/`.
 */
export function gatherModules(sources: ReadonlyArray<{ file: string; source: string }>): string[] {
  const gathered = new Set<string>(Object.keys(PACKAGE_BUILDS));
  return sources.map(({ file, source }) => {
    const exported: string[] = [];
    const lines = source.split('\n').map((line, index) => {
      const where = `reports/client/${file}:${index + 1}`;
      const imported = IMPORT_LINE.exec(line);
      if (imported !== null) return rewriteImport(imported[1] ?? '', imported[2] ?? '', { where, gathered });
      const exportedName = EXPORT_LINE.exec(line);
      if (exportedName?.[2] !== undefined) {
        exported.push(exportedName[2]);
        return line.slice('export '.length);
      }
      if (MODULE_SYNTAX.test(line)) throw new Error(`${where}: the page script supports only one-line \`import { … } from '…';\` and \`export function|const\`.`);
      return line;
    });
    gathered.add(`./${file}`);
    return [`// ---- ${file}`, `modules[${JSON.stringify(`./${file}`)}] = (() => {`, ...lines, `return { ${exported.join(', ')} };`, '})();'].join('\n');
  });
}

function rewriteImport(names: string, specifier: string, context: { where: string; gathered: ReadonlySet<string> }): string {
  if (!context.gathered.has(specifier)) throw new Error(`${context.where}: imports ${specifier}, which is not a client file listed before it, nor a package the page bundles.`);
  const bindings = names
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => name.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1: $2'));
  return `const { ${bindings.join(', ')} } = modules[${JSON.stringify(specifier)}];`;
}

/** A UMD build sees a local `exports` and fills it instead of a global. */
function bundlePackage(name: string): string {
  const require = createRequire(import.meta.url);
  const build = readFileSync(path.join(path.dirname(require.resolve(`${name}/package.json`)), PACKAGE_BUILDS[name] ?? ''), 'utf8');
  return `modules[${JSON.stringify(name)}] = (function () { const exports = {}; const module = { exports }; ${build.trim()}\n; return exports; })();`;
}
