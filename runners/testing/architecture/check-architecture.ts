/**
 * `npm run lint` runs this after eslint: every import must follow the rules the folders'
 * READMEs declare, production code never imports test code, and no two modules import each
 * other, even through others or only for types. Exit 1 with one line per problem.
 *
 *   node runners/testing/architecture/check-architecture.ts [--root <dir>]
 */
import { globSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listSourceFiles, readImportGraph } from './import-graph.ts';
import { findCycles, findForbiddenImports, findRuleCycles, type ArchitectureProblem } from './import-rules.ts';
import { readFolderRules } from './read-folder-rules.ts';

export const CHECKED_FOLDERS = ['runners', 'reports'] as const;

export function checkArchitecture(root: string): ArchitectureProblem[] {
  const files = listSourceFiles(root, CHECKED_FOLDERS);
  const readmes = CHECKED_FOLDERS.flatMap((folder) => globSync(`${folder}/**/README.md`, { cwd: root })).sort();
  const rules = readFolderRules(root, readmes);
  const edges = readImportGraph(root, files);
  return [
    ...findRuleCycles(rules, files).map((folders): ArchitectureProblem => ({ kind: 'rule-cycle', folders })),
    ...findForbiddenImports(rules, files, edges),
    ...findCycles(files, edges).map((component): ArchitectureProblem => ({ kind: 'cycle', files: component })),
  ];
}

export function describeProblem(problem: ArchitectureProblem): string {
  switch (problem.kind) {
    case 'forbidden-import': {
      const { edge, rule } = problem;
      const allowed = rule.mayImport.length === 0 ? 'nothing outside itself' : rule.mayImport.join(', ');
      return `${edge.from}:${edge.line}: imports ${edge.to}, but ${rule.folder} may import only ${allowed} (${rule.declaredIn}). Move the shared piece down, or pass it in.`;
    }
    case 'test-support-import':
      return `${problem.edge.from}:${problem.edge.line}: imports test code ${problem.edge.to}; production code must not depend on tests or their support.`;
    case 'no-rule':
      return `${problem.file}: no README declares what its folder may import; add a row to the nearest README's "Import rules" table.`;
    case 'cycle':
      return `import cycle (type-only imports count): ${problem.files.join(' → ')}`;
    case 'rule-cycle':
      return `the import rules allow a cycle between ${problem.folders.join(', ')}; layers must point one way.`;
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { root: { type: 'string', default: path.resolve(import.meta.dirname, '..', '..', '..') } } });
  const problems = checkArchitecture(values.root);
  for (const problem of problems) process.stderr.write(`${describeProblem(problem)}\n`);
  if (problems.length > 0) {
    process.stderr.write(`architecture: ${problems.length} problem(s)\n`);
    process.exitCode = 1;
  }
}
