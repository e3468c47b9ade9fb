import { describe, expect, it } from 'vitest';
import { buildPageScript, gatherModules } from './page-script.ts';

describe('gatherModules', () => {
  const dom = { file: 'dom.js', source: "// @ts-check\n/** @import { X } from '../model/x.ts' */\nexport const el = () => 1;\nexport function clear() {}\nconst hidden = 2;" };

  it('turns each module into a function returning its exports, and imports into reads of earlier ones', () => {
    const [first, second] = gatherModules([dom, { file: 'main.js', source: "import { el, clear as wipe } from './dom.js';\nimport { diffLines } from 'diff';\nexport async function start() { wipe(el()); }" }]);
    expect(first).toBe(
      [
        '// ---- dom.js',
        "modules[\"./dom.js\"] = (() => {",
        '// @ts-check',
        "/** @import { X } from '../model/x.ts' */",
        'const el = () => 1;',
        'function clear() {}',
        'const hidden = 2;',
        'return { el, clear };',
        '})();',
      ].join('\n'),
    );
    expect(second).toContain('const { el, clear: wipe } = modules["./dom.js"];\nconst { diffLines } = modules["diff"];\nasync function start()');
    expect(second).toContain('return { start };');
  });

  it('refuses an import of a file not gathered before it', () => {
    expect(() => gatherModules([{ file: 'main.js', source: "import { el } from './dom.js';" }, dom])).toThrow("reports/client/main.js:1: imports ./dom.js, which is not a client file listed before it");
  });

  it('refuses module syntax it does not rewrite, rather than ship it', () => {
    for (const source of ['export default 1;', "import {\n  el,\n} from './dom.js';", "import * as dom from './dom.js';", 'export { el };', "export * from './dom.js';"]) {
      expect(() => gatherModules([dom, { file: 'main.js', source }])).toThrow(/reports\/client\/main\.js:1: the page script supports only/);
    }
  });
});

describe('buildPageScript', () => {
  const script = buildPageScript();

  it('is one classic script: no module syntax left, and it starts the page', () => {
    expect(script).not.toMatch(/^\s*(import|export)\b/m);
    expect(script.trimEnd().endsWith('modules["./main.js"].start();\n})();')).toBe(true);
    expect(script).toContain('modules["diff"] = (function () {');
  });

  it('parses as a classic script', () => {
    expect(() => new Function(script)).not.toThrow();
  });
});
