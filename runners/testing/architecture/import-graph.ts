import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** One import or re-export between two of the project's own files (paths relative to the root). */
export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time, but still an arrow in the design. */
  typeOnly: boolean;
  line: number;
}

const SOURCE_FILE = /\.(ts|tsx|js|mjs)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'runs', 'bad-inputs']);
/** Static imports and re-exports, dynamic `import('…')`: every relative specifier is an arrow. */
const IMPORT_PATTERN = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Every source file under the given folders, relative to `root`, sorted. */
export function listSourceFiles(root: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (SKIPPED_FOLDERS.has(entry.name)) continue;
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (SOURCE_FILE.test(entry.name)) files.push(relative);
    }
  };
  for (const folder of folders) walk(folder);
  return files.sort();
}

/** The relative imports of one file's text, resolved against its folder. */
export function parseImports(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(IMPORT_PATTERN)) {
    const specifier = match[2] ?? match[3];
    if (specifier === undefined) continue;
    // The match may begin with the whitespace before `import` (the end of the line above).
    const line = text.slice(0, match.index + match[0].search(/\S/)).split('\n').length;
    edges.push({ from: file, to: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)), typeOnly: match[1] !== undefined, line });
  }
  return edges;
}

export function readImportGraph(root: string, files: readonly string[]): ImportEdge[] {
  return files.flatMap((file) => parseImports(file, readFileSync(path.join(root, file), 'utf8')));
}
