import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReportFiles } from './write-report-files.ts';

describe('writeReportFiles', () => {
  let runDir = '';

  beforeEach(async () => {
    runDir = await mkdtemp(path.join(tmpdir(), 'report-files-'));
  });

  afterEach(async () => {
    await rm(runDir, { recursive: true, force: true });
  });

  it('writes each file, creating folders, and returns absolute paths in order', async () => {
    const paths = await writeReportFiles(path.join(runDir, 'new-run'), [
      { path: 'report.html', contents: '<!doctype html>' },
      { path: 'extra/summary.json', contents: '{}\n' },
    ]);
    expect(paths).toEqual([path.join(runDir, 'new-run', 'report.html'), path.join(runDir, 'new-run', 'extra', 'summary.json')]);
    expect(await readFile(paths[1] ?? '', 'utf8')).toBe('{}\n');
  });

  it('replaces an existing file and leaves no temporary file behind', async () => {
    await writeReportFiles(runDir, [{ path: 'report.html', contents: 'old' }]);
    await writeReportFiles(runDir, [{ path: 'report.html', contents: 'new' }]);
    expect(await readFile(path.join(runDir, 'report.html'), 'utf8')).toBe('new');
    expect(await readdir(runDir)).toEqual(['report.html']);
  });

  it('refuses a path that leaves the run directory, before writing anything', async () => {
    const files = [
      { path: 'report.html', contents: 'x' },
      { path: '../escape.html', contents: 'x' },
    ];
    await expect(writeReportFiles(runDir, files)).rejects.toThrow(/must be relative and inside the run directory/);
    await expect(writeReportFiles(runDir, [{ path: '/etc/passwd', contents: 'x' }])).rejects.toThrow(/inside the run directory/);
    expect(await readdir(runDir)).toEqual([]);
  });
});
