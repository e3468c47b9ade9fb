import type { ImportEdge } from './import-graph.ts';

/**
 * What one folder may import. A file follows the rule of the deepest folder that has one; it
 * may import its own folder (and below) and every folder the rule lists (and below).
 */
export interface FolderRule {
  folder: string;
  mayImport: string[];
  /** The README that declares the rule, for messages. */
  declaredIn: string;
}

export type ArchitectureProblem =
  | { kind: 'forbidden-import'; edge: ImportEdge; rule: FolderRule }
  | { kind: 'test-support-import'; edge: ImportEdge }
  | { kind: 'no-rule'; file: string }
  | { kind: 'cycle'; files: string[] }
  | { kind: 'rule-cycle'; folders: string[] };

/** Tests and their support code may import anything, and nothing but tests may import them. */
export function isTestFile(file: string): boolean {
  return /\.test\.tsx?$/.test(file) || /(^|\/)test-support(\/|\.ts$)/.test(file) || file.startsWith('runners/testing/');
}

export function isInsideFolder(folder: string, file: string): boolean {
  return folder === '.' || file === folder || file.startsWith(`${folder}/`);
}

/** The rule of the deepest folder holding `file`. */
export function ruleFor(rules: readonly FolderRule[], file: string): FolderRule | undefined {
  let best: FolderRule | undefined;
  for (const rule of rules) {
    if (isInsideFolder(rule.folder, file) && (best === undefined || rule.folder.length > best.folder.length)) best = rule;
  }
  return best;
}

/** Every import a folder's rule does not allow, and every production file importing test code. */
export function findForbiddenImports(rules: readonly FolderRule[], files: readonly string[], edges: readonly ImportEdge[]): ArchitectureProblem[] {
  const problems: ArchitectureProblem[] = [];
  for (const file of files) if (!isTestFile(file) && ruleFor(rules, file) === undefined) problems.push({ kind: 'no-rule', file });
  for (const edge of edges) {
    if (isTestFile(edge.from)) continue;
    if (isTestFile(edge.to)) {
      problems.push({ kind: 'test-support-import', edge });
      continue;
    }
    const rule = ruleFor(rules, edge.from);
    if (rule === undefined) continue;
    const allowed = isInsideFolder(rule.folder, edge.to) ? !isShadowed(rules, rule, edge.to) : rule.mayImport.some((folder) => isInsideFolder(folder, edge.to));
    if (!allowed) problems.push({ kind: 'forbidden-import', edge, rule });
  }
  return problems;
}

/**
 * A rule's own folder does not grant its subfolders that have rules of their own: a file in
 * `runners` may not reach into `runners/pipeline` unless its rule lists that folder.
 */
function isShadowed(rules: readonly FolderRule[], rule: FolderRule, target: string): boolean {
  const targetRule = ruleFor(rules, target);
  return targetRule !== undefined && targetRule !== rule && !rule.mayImport.some((folder) => isInsideFolder(folder, target));
}

/** Import cycles among production files, type-only imports included (Tarjan's strongly connected components). */
export function findCycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const production = new Set(files.filter((file) => !isTestFile(file)));
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!production.has(edge.from) || !production.has(edge.to)) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  return stronglyConnected([...production], (node) => next.get(node) ?? []).filter(
    (component) => component.length > 1 || (next.get(component[0] ?? '') ?? []).includes(component[0] ?? ''),
  );
}

/**
 * Folders whose rules allow each other, directly or through others: the declared layers must
 * form a DAG. A rule reaches another when it grants a folder holding files that rule governs.
 */
export function findRuleCycles(rules: readonly FolderRule[], files: readonly string[]): string[][] {
  const governed = files.filter((file) => !isTestFile(file)).map((file) => ({ file, rule: ruleFor(rules, file) }));
  const targetsOf = (rule: FolderRule): string[] => {
    const reached = governed.filter(({ file, rule: owner }) => owner !== undefined && owner !== rule && rule.mayImport.some((folder) => isInsideFolder(folder, file)));
    return [...new Set(reached.map(({ rule: owner }) => owner?.folder ?? ''))];
  };
  const byFolder = new Map(rules.map((rule) => [rule.folder, rule]));
  return stronglyConnected(
    rules.map((rule) => rule.folder),
    (folder) => {
      const rule = byFolder.get(folder);
      return rule === undefined ? [] : targetsOf(rule);
    },
  ).filter((component) => component.length > 1);
}

function stronglyConnected(nodes: readonly string[], successors: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const successor of successors(node)) {
      if (!index.has(successor)) {
        visit(successor);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(successor) ?? 0));
      } else if (onStack.has(successor)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(successor) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    components.push(component.sort());
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}
