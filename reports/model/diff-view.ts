import { parsePatch } from 'diff';
import type { StructuredPatch, StructuredPatchHunk } from 'diff';
import { formatCount } from './format.ts';
import type { DiffFileView, DiffHunkView, DiffLineTone, DiffLineView, DiffView } from './report-model-types.ts';

/** Lines shown per file; the rest is summarised, so one generated file cannot swamp the report. */
const MAX_LINES_PER_FILE = 2000;

/**
 * Renders a unified diff (git dialect) as files, hunks and numbered lines. A file whose patch
 * does not parse (for instance cut short by truncation) is shown raw, line by line.
 */
export function buildDiffView(diff: string): DiffView {
  if (diff.trim() === '') return { isEmpty: true, files: [], additions: 0, deletions: 0, note: null };
  const files = splitByFile(diff).flatMap(viewFileChunk);
  return {
    isEmpty: files.length === 0,
    files,
    additions: files.reduce((total, file) => total + file.additions, 0),
    deletions: files.reduce((total, file) => total + file.deletions, 0),
    note: null,
  };
}

function splitByFile(diff: string): string[] {
  const chunks: string[][] = [[]];
  for (const line of diff.split('\n')) {
    const current = chunks[chunks.length - 1];
    if (line.startsWith('diff --git ') && current !== undefined && current.length > 0) chunks.push([line]);
    else current?.push(line);
  }
  return chunks.map((lines) => lines.join('\n')).filter((chunk) => chunk.trim() !== '');
}

function viewFileChunk(chunk: string): DiffFileView[] {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(chunk);
  } catch (error) {
    return [viewRawChunk(chunk, error instanceof Error ? error.message : String(error))];
  }
  const files = patches.filter((patch) => patch.hunks.length > 0 || patch.oldFileName !== undefined || patch.newFileName !== undefined);
  return files.length === 0 ? [viewRawChunk(chunk, 'no file header or hunk found')] : files.map(viewPatch);
}

function viewPatch(patch: StructuredPatch): DiffFileView {
  const oldName = stripPrefix(patch.oldFileName);
  const newName = stripPrefix(patch.newFileName);
  const hunks = patch.hunks.map(viewHunk);
  const lines = hunks.flatMap((hunk) => hunk.lines);
  return {
    name: newName ?? oldName ?? '(unnamed file)',
    changeLabel: describeChange(patch, oldName),
    additions: lines.filter((line) => line.tone === 'add').length,
    deletions: lines.filter((line) => line.tone === 'del').length,
    note: patch.isBinary === true ? 'Binary file: contents not shown.' : null,
    hunks: capLines(hunks),
  };
}

function describeChange(patch: StructuredPatch, oldName: string | null): string {
  if (patch.isBinary === true) return 'binary';
  if (patch.isCreate === true || patch.oldFileName === '/dev/null') return 'added';
  if (patch.isDelete === true || patch.newFileName === '/dev/null') return 'deleted';
  if (patch.isRename === true) return `renamed from ${oldName ?? '?'}`;
  return 'modified';
}

function viewHunk(hunk: StructuredPatchHunk): DiffHunkView {
  let oldNumber = hunk.oldStart;
  let newNumber = hunk.newStart;
  const lines = hunk.lines.map((line): DiffLineView => {
    const sign = line.charAt(0);
    const text = line.slice(1);
    if (sign === '+') return { oldNumber: '', newNumber: String(newNumber++), sign, text, tone: 'add' };
    if (sign === '-') return { oldNumber: String(oldNumber++), newNumber: '', sign, text, tone: 'del' };
    if (sign === '\\') return { oldNumber: '', newNumber: '', sign: '', text: line, tone: 'meta' };
    return { oldNumber: String(oldNumber++), newNumber: String(newNumber++), sign: ' ', text, tone: 'ctx' };
  });
  // parsePatch moves the start of an empty side one line on; git prints the line before it.
  const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
  const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
  return { header: `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, lines };
}

function viewRawChunk(chunk: string, reason: string): DiffFileView {
  const lines = chunk.split('\n').map((line): DiffLineView => {
    const tone = classifyRawLine(line);
    const isChange = tone === 'add' || tone === 'del';
    return { oldNumber: '', newNumber: '', sign: isChange ? line.charAt(0) : '', text: isChange ? line.slice(1) : line, tone };
  });
  const header = /^diff --git a\/(.*) b\/(.*)$/.exec(chunk.split('\n', 1)[0] ?? '');
  return {
    name: header?.[2] ?? '(unparsed diff)',
    changeLabel: 'shown raw',
    additions: lines.filter((line) => line.tone === 'add').length,
    deletions: lines.filter((line) => line.tone === 'del').length,
    note: `This part of the diff could not be parsed (${reason}); it is shown as recorded.`,
    hunks: capLines([{ header: 'raw', lines }]),
  };
}

function classifyRawLine(line: string): DiffLineTone {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@') || line.startsWith('diff ')) return 'meta';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  if (line.startsWith(' ')) return 'ctx';
  return 'meta';
}

function capLines(hunks: DiffHunkView[]): DiffHunkView[] {
  const total = hunks.reduce((sum, hunk) => sum + hunk.lines.length, 0);
  if (total <= MAX_LINES_PER_FILE) return hunks;
  let budget = MAX_LINES_PER_FILE;
  const capped: DiffHunkView[] = [];
  for (const hunk of hunks) {
    if (budget <= 0) break;
    capped.push({ header: hunk.header, lines: hunk.lines.slice(0, budget) });
    budget -= hunk.lines.length;
  }
  capped.push({ header: `… ${formatCount(total - MAX_LINES_PER_FILE)} more lines not shown`, lines: [] });
  return capped;
}

function stripPrefix(name: string | undefined): string | null {
  if (name === undefined || name === '/dev/null') return null;
  return name.replace(/^[ab]\//, '');
}
