import { realpathSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

/** A path as the checks see it: relative (posix) inside the sandbox, absolute outside it. */
export type SandboxPath = { kind: 'inside'; path: string } | { kind: 'outside'; path: string };

/** The sandbox root as given and as resolved through symlinks (tools may report either). */
export function listSandboxRoots(sandboxDir: string): string[] {
  const roots = [path.resolve(sandboxDir)];
  try {
    const real = realpathSync(sandboxDir);
    if (!roots.includes(real)) roots.push(real);
  } catch {
    // A sandbox that is gone still has its given path.
  }
  return roots;
}

/** Places a path (absolute, or relative to the first root) inside or outside the sandbox. */
export function locatePath(roots: readonly string[], rawPath: string): SandboxPath {
  const firstRoot = roots[0] ?? '/';
  const absolute = path.resolve(firstRoot, rawPath);
  for (const root of roots) {
    const relative = path.relative(root, absolute);
    if (relative === '') return { kind: 'inside', path: '.' };
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) return { kind: 'inside', path: relative.split(path.sep).join('/') };
  }
  return { kind: 'outside', path: absolute };
}

/** Relative path for a tool's report entry; absolute when the file lies outside the sandbox. */
export function toReportPath(roots: readonly string[], rawPath: string): string {
  return locatePath(roots, rawPath).path;
}

/** Whether a relative path matches one of the globs (dotfiles included). */
export function matchesAnyGlob(globs: readonly string[], relativePath: string): boolean {
  return globs.length > 0 && picomatch(globs as string[], { dot: true })(relativePath);
}

/** Whether a path lies in a folder given relative to the sandbox root. */
export function isUnderFolder(relativePath: string, folder: string): boolean {
  const normalized = folder.replace(/^\.\//, '').replace(/\/+$/, '');
  if (normalized === '' || normalized === '.') return true;
  return relativePath === normalized || relativePath.startsWith(`${normalized}/`);
}

/** The changed files that configure a tool, e.g. `tsconfig.json` for tsc. */
export function findChangedConfigFiles(changedFiles: readonly string[], configGlobs: readonly string[]): string[] {
  return changedFiles.filter((file) => matchesAnyGlob(configGlobs, file));
}
