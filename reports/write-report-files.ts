import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NO_REDACTION, type Redactor } from '../runners/core/redact.ts';
import type { ReportFile } from './report-file.ts';

/**
 * The one place reports touch the disk. Each file is written to a temporary sibling and
 * renamed over its target, so a reader never sees half a report. Every known secret value is
 * replaced by `[redacted NAME]` on the way (the event log they come from is redacted already:
 * this is the second wall). Returns absolute paths, in the order of `files`.
 */
export async function writeReportFiles(runDir: string, files: ReportFile[], redactor: Redactor = NO_REDACTION): Promise<string[]> {
  const root = path.resolve(runDir);
  const targets = files.map((file) => ({ file, target: resolveInside(root, file.path) }));
  const written: string[] = [];
  for (const { file, target } of targets) {
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, redactor.redactText(file.contents), 'utf8');
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new Error(`Could not write report file ${target}`, { cause: error });
    }
    written.push(target);
  }
  return written;
}

/** A reporter's path must stay inside the run directory. */
function resolveInside(root: string, relativePath: string): string {
  const target = path.resolve(root, relativePath);
  const relative = path.relative(root, target);
  if (path.isAbsolute(relativePath) || relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new Error(`Report file path ${JSON.stringify(relativePath)} must be relative and inside the run directory.`);
  }
  return target;
}
