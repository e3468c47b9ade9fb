import { describe, expect, it } from 'vitest';
import { buildDiffView, listHunkLines } from './model/diff-view.ts';

describe('buildDiffView', () => {
  it('says so when the agent changed nothing', () => {
    expect(buildDiffView('')).toMatchObject({ isEmpty: true, files: [] });
  });

  it('shows a file cut short by truncation raw, keeping the parsed files', () => {
    const diff = [
      'diff --git a/ok.ts b/ok.ts',
      '--- a/ok.ts',
      '+++ b/ok.ts',
      '@@ -1,1 +1,1 @@',
      '-old',
      '+new',
      'diff --git a/cut.ts b/cut.ts',
      '--- a/cut.ts',
      '+++ b/cut.ts',
      '@@ -1,10 +1,12 @@',
      ' same',
      '+added before the cut',
      '[diff truncated]',
    ].join('\n');
    const view = buildDiffView(diff);
    expect(view.files.map((file) => [file.name, file.changeLabel])).toEqual([
      ['ok.ts', 'modified'],
      ['cut.ts', 'shown raw'],
    ]);
    expect(view.files[1]?.note).toMatch(/could not be parsed/);
    const rawHunk = view.files[1]?.hunks[0];
    expect(rawHunk === undefined ? undefined : listHunkLines(rawHunk).find((line) => line.tone === 'add')?.text).toBe('added before the cut');
    expect(rawHunk === undefined ? [] : listHunkLines(rawHunk).map((line) => line.oldNumber)).toEqual(['', '', '', '', '', '', '']);
    expect(view.additions).toBe(2);
  });

  it('labels binary, deleted and renamed files', () => {
    const diff = [
      'diff --git a/logo.png b/logo.png',
      'Binary files a/logo.png and b/logo.png differ',
      'diff --git a/gone.ts b/gone.ts',
      'deleted file mode 100644',
      '--- a/gone.ts',
      '+++ /dev/null',
      '@@ -1,1 +0,0 @@',
      '-bye',
      'diff --git a/old-name.ts b/new-name.ts',
      'similarity index 100%',
      'rename from old-name.ts',
      'rename to new-name.ts',
      '',
    ].join('\n');
    expect(buildDiffView(diff).files.map((file) => [file.name, file.changeLabel])).toEqual([
      ['logo.png', 'binary'],
      ['gone.ts', 'deleted'],
      ['new-name.ts', 'renamed from old-name.ts'],
    ]);
  });

  it('caps a huge file and says how many lines it left out', () => {
    const lines = Array.from({ length: 2500 }, (_, index) => `+line ${index}`);
    const diff = ['--- /dev/null', '+++ b/big.txt', '@@ -0,0 +1,2500 @@', ...lines, ''].join('\n');
    const [file] = buildDiffView(diff).files;
    expect(file?.additions).toBe(2500);
    expect(file?.hunks.at(-1)?.header).toBe('… 500 more lines not shown');
  });

  it('cuts a diff longer than the limit at a line and says so', () => {
    const lines = Array.from({ length: 200 }, (_, index) => `+line ${index}`);
    const diff = ['--- /dev/null', '+++ b/big.txt', '@@ -0,0 +1,200 @@', ...lines, ''].join('\n');
    const view = buildDiffView(diff, 300);
    expect(view.note).toMatch(/cut to its first \d+ of [\d,]+ characters/);
    const shown = view.files.flatMap((file) => file.hunks.flatMap(listHunkLines));
    expect(shown.length).toBeLessThan(40);
    expect(shown.every((line) => /^line \d+$/.test(line.text) || line.tone === 'meta')).toBe(true);
    expect(buildDiffView(diff).note).toBeNull();
  });

  it('numbers context, added and removed lines from the hunk starts', () => {
    const diff = ['--- a/x.ts', '+++ b/x.ts', '@@ -5,3 +5,3 @@', ' keep', '-old', '+new', ' keep too', '\\ No newline at end of file', ''].join('\n');
    const hunk = buildDiffView(diff).files[0]?.hunks[0];
    expect(hunk === undefined ? [] : listHunkLines(hunk).map((line) => [line.oldNumber, line.newNumber, line.tone])).toEqual([
      ['5', '5', 'ctx'], ['6', '', 'del'], ['', '6', 'add'], ['7', '7', 'ctx'], ['', '', 'meta'],
    ]);
  });
});
