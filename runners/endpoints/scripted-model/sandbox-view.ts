import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SandboxView } from './profiles/profile-types.ts';

/** A SandboxView over the real file system; an unknown sandbox looks empty. */
export function createSandboxView(workingDirectory: string | undefined): SandboxView {
  if (workingDirectory === undefined) return { hasFile: () => false, listFiles: () => [], lineCount: () => 0 };
  return {
    hasFile(relativePath) {
      return statSync(path.join(workingDirectory, relativePath), { throwIfNoEntry: false })?.isFile() ?? false;
    },
    listFiles(relativeDir) {
      try {
        return readdirSync(path.join(workingDirectory, relativeDir), { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => entry.name)
          .sort();
      } catch {
        return [];
      }
    },
    lineCount(relativePath) {
      try {
        const text = readFileSync(path.join(workingDirectory, relativePath), 'utf8');
        return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
      } catch {
        return 0;
      }
    },
  };
}
