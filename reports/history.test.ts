import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHistoryModel } from './history/history-model.ts';
import { loadRunHistory } from './history/load-run-history.ts';
import { renderHistoryIndex } from './history/render-history-index.ts';
import { buildRunDigest, parseRunDigest, renderRunDigest, RUN_DIGEST_PATH, type RunDigest } from './history/run-digest.ts';
import { selectPreviousRun } from './history/select-previous-run.ts';
import { makeRepeats, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';
import { HOSTILE_PAYLOADS } from '../runners/testing/support/reports/hostile-summary.ts';

function createRun(runId: string, startedAt: string, cohorts: Record<string, string>) {
  const specs = Object.entries(cohorts).flatMap(([targetId, letters]) => [...letters].flatMap((letter, index) => makeRepeats(`s${index}`, targetId, letter)));
  return createSummaryFromSpecs(specs, Object.keys(cohorts).map((id) => makeTarget(id)), { runId, startedAt });
}

function entryOf(summary: ReturnType<typeof createRun>): { digest: RunDigest } {
  return { digest: buildRunDigest(summary) };
}

describe('selectPreviousRun', () => {
  const current = createRun('current', '2025-06-05T00:00:00.000Z', { a: 'PP', b: 'PF' });

  it('takes the newest earlier run sharing a cohort', () => {
    const candidates = [
      entryOf(createRun('oldest', '2025-06-01T00:00:00.000Z', { a: 'PF' })),
      entryOf(createRun('newer', '2025-06-03T00:00:00.000Z', { b: 'FF' })),
      entryOf(createRun('unrelated', '2025-06-04T00:00:00.000Z', { z: 'PP' })),
      entryOf(createRun('later', '2025-06-06T00:00:00.000Z', { a: 'PP' })),
      entryOf(current),
    ];
    expect(selectPreviousRun(current, candidates)?.digest.runId).toBe('newer');
  });

  it('finds none without a comparable earlier run; a shared cohort with only infra errors does not count', () => {
    expect(selectPreviousRun(current, [entryOf(createRun('infra', '2025-06-01T00:00:00.000Z', { a: 'II' }))])).toBeUndefined();
    expect(selectPreviousRun(current, [])).toBeUndefined();
  });
});

describe('run digests', () => {
  it('round-trip through their file, and refuse anything else', () => {
    const summary = createRun('r1', '2025-06-01T00:00:00.000Z', { a: 'PPF' });
    const [file] = renderRunDigest(summary);
    expect(file?.path).toBe(RUN_DIGEST_PATH);
    expect(parseRunDigest(file?.contents ?? '')).toEqual(buildRunDigest(summary));
    expect(buildRunDigest(summary).cohorts[0]).toMatchObject({ targetId: 'a', passes: 2, trials: 3, verdict: 'top-group' });
    // A digest written before the scorecard's verdicts changed still reads.
    const older = JSON.parse(file?.contents ?? '{}') as RunDigest;
    older.cohorts = older.cohorts.map((cohort) => ({ ...cohort, verdict: 'not-distinguishable-from-best' }));
    expect(parseRunDigest(JSON.stringify(older))?.cohorts[0]?.verdict).toBe('not-distinguishable-from-best');
    expect(parseRunDigest('{"version": 2}')).toBeNull();
    expect(parseRunDigest('not json')).toBeNull();
  });
});

describe('the history index', () => {
  const runs = [
    createRun('first', '2025-06-01T00:00:00.000Z', { a: 'PFFF' }),
    createRun('second', '2025-06-02T00:00:00.000Z', { a: 'PPFF', b: 'PPPP' }),
    createRun('third', '2025-06-03T00:00:00.000Z', { a: 'PPPF' }),
  ].map(buildRunDigest);

  it('lists runs newest first and traces each cohort across the runs that had it', () => {
    const model = buildHistoryModel(runs, { folder: 'runs', problems: [] });
    expect(model.runs.map((run) => [run.runId, run.href])).toEqual([
      ['third', './third/report.html'],
      ['second', './second/report.html'],
      ['first', './first/report.html'],
    ]);
    const a = model.trends.find((trend) => trend.targetId === 'a');
    expect(a).toMatchObject({ latest: '75%', change: '+25 pts', changeTone: 'up', runs: '3' });
    expect(a?.sparkline.points.map((point) => point.y)).toEqual([22.5, 15, 7.5]);
    expect(model.trends.find((trend) => trend.targetId === 'b')).toMatchObject({ latest: '100%', change: 'first run', runs: '1' });
  });

  it('is a static page: no script may run, links stay relative, hostile run ids are escaped', () => {
    const hostile = { ...runs[0], runId: HOSTILE_PAYLOADS[2] } as RunDigest;
    const html = renderHistoryIndex([...runs, hostile], { folder: 'runs' }).contents;
    expect(html).toContain('script-src &#x27;none&#x27;');
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toContain(HOSTILE_PAYLOADS[2]);
    expect(html).toContain('href="./%3C%2Fscript%3E%3Cscript%3Ewindow.__pwned');
    expect(renderHistoryIndex(runs, { folder: 'runs' }).contents).toContain('<path d="M0 22.5L80 15L160 7.5"></path>');
  });
});

describe('loadRunHistory', () => {
  let outputDir = '';
  beforeEach(() => {
    outputDir = mkdtempSync(path.join(tmpdir(), 'run-history-'));
  });
  afterEach(() => rmSync(outputDir, { recursive: true, force: true }));

  it('reads digests, skips folders that are not runs, and names runs it cannot read', () => {
    const summary = createRun('with-digest', '2025-06-01T00:00:00.000Z', { a: 'PF' });
    mkdirSync(path.join(outputDir, 'with-digest'));
    writeFileSync(path.join(outputDir, 'with-digest', RUN_DIGEST_PATH), renderRunDigest(summary)[0]?.contents ?? '');
    mkdirSync(path.join(outputDir, 'not-a-run'));
    mkdirSync(path.join(outputDir, 'broken'));
    writeFileSync(path.join(outputDir, 'broken', 'events.jsonl'), '{"v":1,"type":"attempt.started","at":"x"}\n');
    writeFileSync(path.join(outputDir, 'index.html'), '');
    const history = loadRunHistory(outputDir);
    expect(history.entries.map((entry) => entry.digest.runId)).toEqual(['with-digest']);
    expect(history.problems).toEqual([expect.stringMatching(/^broken: .*must begin with a run.started event/)]);
  });

  it('is empty for a folder that does not exist', () => {
    expect(loadRunHistory(path.join(outputDir, 'missing'))).toEqual({ entries: [], problems: [] });
  });
});
