import { parsePatch } from 'diff';
import type { StructuredPatch, StructuredPatchHunk } from 'diff';
import { formatCount } from './format.ts';
import type { DiffFileView, DiffHunkView, DiffLineTone, DiffLineView, DiffView } from './attempt-view-types.ts';

/** Lines shown per file; the rest is summarised, so one generated file cannot swamp the report. */
const MAX_LINES_PER_FILE = 2000;

/**
 * Renders a unified diff (git dialect) as files, hunks and numbered lines. A file whose patch
 * does not parse (for instance cut short by truncation) is shown raw, line by line.
 */
export function buildDiffView(diff: string, maxChars = Number.POSITIVE_INFINITY): DiffView {
  if (diff.trim() === '') return { isEmpty: true, files: [], additions: 0, deletions: 0, note: null };
  const shown = diff.length <= maxChars ? diff : diff.slice(0, Math.max(0, diff.lastIndexOf('\n', maxChars)));
  const files = splitByFile(shown).flatMap(viewFileChunk);
  return {
    isEmpty: files.length === 0,
    files,
    additions: files.reduce((total, file) => total + file.additions, 0),
    deletions: files.reduce((total, file) => total + file.deletions, 0),
    note: shown.length < diff.length ? `The diff is cut to its first ${formatCount(shown.length)} of ${formatCount(diff.length)} characters in this report; the run's events.jsonl holds it whole.` : null,
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
  const lines = patch.hunks.flatMap((hunk) => hunk.lines);
  return {
    name: newName ?? oldName ?? '(unnamed file)',
    changeLabel: describeChange(patch, oldName),
    additions: lines.filter((line) => line.startsWith('+')).length,
    deletions: lines.filter((line) => line.startsWith('-')).length,
    note: patch.isBinary === true ? 'Binary file: contents not shown.' : null,
    hunks: capLines(patch.hunks.map(viewHunk)),
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
  // parsePatch moves the start of an empty side one line on; git prints the line before it.
  const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
  const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
  return { header: `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, oldStart: hunk.oldStart, newStart: hunk.newStart, text: hunk.lines.join('\n') };
}

function viewRawChunk(chunk: string, reason: string): DiffFileView {
  const lines = chunk.split('\n');
  const header = /^diff --git a\/(.*) b\/(.*)$/.exec(lines[0] ?? '');
  const tones = lines.map(classifyRawLine);
  return {
    name: header?.[2] ?? '(unparsed diff)',
    changeLabel: 'shown raw',
    additions: tones.filter((tone) => tone === 'add').length,
    deletions: tones.filter((tone) => tone === 'del').length,
    note: `This part of the diff could not be parsed (${reason}); it is shown as recorded.`,
    hunks: capLines([{ header: 'raw', oldStart: null, newStart: null, text: chunk }]),
  };
}

/** How a line of a hunk is shown; the page's script classifies the same way. */
export function classifyRawLine(line: string): DiffLineTone {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@') || line.startsWith('diff ')) return 'meta';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  if (line.startsWith(' ')) return 'ctx';
  return 'meta';
}

/**
 * The numbered lines of a hunk, as the page shows them: the reference for the page's script,
 * which does the same over the compact hunk text.
 */
export function listHunkLines(hunk: DiffHunkView): DiffLineView[] {
  let oldNumber = hunk.oldStart;
  let newNumber = hunk.newStart;
  return hunk.text.split('\n').map((line): DiffLineView => {
    if (oldNumber === null || newNumber === null) {
      const tone = classifyRawLine(line);
      const isChange = tone === 'add' || tone === 'del';
      return { oldNumber: '', newNumber: '', sign: isChange ? line.charAt(0) : '', text: isChange ? line.slice(1) : line, tone };
    }
    const sign = line.charAt(0);
    if (sign === '+') return { oldNumber: '', newNumber: String(newNumber++), sign, text: line.slice(1), tone: 'add' };
    if (sign === '-') return { oldNumber: String(oldNumber++), newNumber: '', sign, text: line.slice(1), tone: 'del' };
    if (sign === '\\') return { oldNumber: '', newNumber: '', sign: '', text: line, tone: 'meta' };
    return { oldNumber: String(oldNumber++), newNumber: String(newNumber++), sign: ' ', text: line.slice(1), tone: 'ctx' };
  });
}

function capLines(hunks: DiffHunkView[]): DiffHunkView[] {
  const counts = hunks.map((hunk) => hunk.text.split('\n').length);
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= MAX_LINES_PER_FILE) return hunks;
  let budget = MAX_LINES_PER_FILE;
  const capped: DiffHunkView[] = [];
  hunks.forEach((hunk, index) => {
    if (budget <= 0) return;
    capped.push({ ...hunk, text: hunk.text.split('\n').slice(0, budget).join('\n') });
    budget -= counts[index] ?? 0;
  });
  capped.push({ header: `… ${formatCount(total - MAX_LINES_PER_FILE)} more lines not shown`, oldStart: null, newStart: null, text: '' });
  return capped;
}

function stripPrefix(name: string | undefined): string | null {
  if (name === undefined || name === '/dev/null') return null;
  return name.replace(/^[ab]\//, '');
}
