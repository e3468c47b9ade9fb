import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { checkArchitecture, describeProblem } from './check-architecture.ts';

/**
 * The checker on small trees written for each case: a pipeline whose summary may import only
 * the core, and a CLI that may import both. Each case must fail exactly as `npm run lint` would.
 */
const RULES = `# runners/

## Import rules

| folder | may import |
|---|---|
| \`runners/core\` | — |
| \`runners/summary\` | \`runners/core\` |
| \`runners/cli\` | \`runners/core\`, \`runners/summary\` |
| \`reports\` | \`runners/core\` |
`;

let root: string;

function tree(files: Record<string, string>): string {
  root = mkdtempSync(path.join(tmpdir(), 'architecture-'));
  for (const [file, text] of Object.entries({ 'runners/README.md': RULES, 'reports/README.md': '# reports/\n', ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

const base = {
  'runners/core/ids.ts': 'export const ID = 1;\n',
  'runners/summary/summarize.ts': "import { ID } from '../core/ids.ts';\nexport const total = ID;\n",
  'runners/cli/main.ts': "import { total } from '../summary/summarize.ts';\nexport const run = total;\n",
  'reports/render.ts': "import { ID } from '../runners/core/ids.ts';\nexport const html = ID;\n",
};

describe('the architecture check', () => {
  it('passes a tree whose imports follow the rules', () => {
    expect(checkArchitecture(tree(base))).toEqual([]);
  });

  it('fails when the summary imports the CLI, naming the file, the line and the rule', () => {
    const problems = checkArchitecture(tree({ ...base, 'runners/summary/summarize.ts': "import { ID } from '../core/ids.ts';\nimport { run } from '../cli/main.ts';\nexport const total = ID + run;\n" }));
    expect(problems.map(describeProblem)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^runners\/summary\/summarize\.ts:2: imports runners\/cli\/main\.ts, but runners\/summary may import only runners\/core/)]),
    );
  });

  it('fails when two modules import each other, even for types only', () => {
    const problems = checkArchitecture(
      tree({
        ...base,
        'runners/core/a.ts': "import type { B } from './b.ts';\nexport type A = { b?: B };\n",
        'runners/core/b.ts': "import type { A } from './a.ts';\nexport type B = { a?: A };\n",
      }),
    );
    expect(problems).toEqual([{ kind: 'cycle', files: expect.arrayContaining(['runners/core/a.ts', 'runners/core/b.ts']) }]);
  });

  it('fails when production code imports test support, and when a folder has no rule', () => {
    const problems = checkArchitecture(
      tree({
        ...base,
        'runners/core/test-support.ts': 'export const fake = 1;\n',
        'runners/core/ids.ts': "import { fake } from './test-support.ts';\nexport const ID = fake;\n",
        'runners/orphan/thing.ts': 'export const x = 1;\n',
      }),
    );
    expect(problems.map((problem) => problem.kind).sort()).toEqual(['no-rule', 'test-support-import']);
  });

  it('passes the project itself', () => {
    expect(checkArchitecture(PROJECT_ROOT).map(describeProblem)).toEqual([]);
  });
});
