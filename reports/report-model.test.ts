import { describe, expect, it } from 'vitest';
import { buildReportModel, SCRIPTED_BANNER } from './report-model.ts';
import type { AttemptView } from './model/report-model-types.ts';
import { createSampleSummary } from './test-support/sample-summary.ts';

function findAttempt(attempts: AttemptView[], attemptId: string): AttemptView {
  const found = attempts.find((attempt) => attempt.attemptId === attemptId);
  if (found === undefined) throw new Error(`no attempt ${attemptId}`);
  return found;
}

describe('buildReportModel', () => {
  const model = buildReportModel(createSampleSummary());
  const attempts = model.scenarios.flatMap((scenario) => scenario.attempts);

  it('has one comparison row per target and prompt variant, in declared order', () => {
    expect(model.comparison.map((row) => [row.targetId, row.promptVariantId])).toEqual([
      ['qwen-fp16', 'default'],
      ['qwen-fp16', 'terse'],
      ['qwen-awq', 'default'],
    ]);
  });

  it('leaves infra errors out of the pass rate and counts them separately', () => {
    const awq = model.comparison.find((row) => row.targetId === 'qwen-awq');
    expect(awq).toMatchObject({ attempts: 3, passed: 1, failed: 1, timedOut: 0, infraErrors: 1, passRate: '50%', passRatePercent: 50 });
    const terse = model.comparison.find((row) => row.promptVariantId === 'terse');
    expect(terse).toMatchObject({ attempts: 1, infraErrors: 1, pendingSpecs: 1, passRate: '—', passRateTone: 'muted' });
  });

  it('counts a timeout against the model and takes the median agent time of model-attributable attempts', () => {
    const fp16 = model.comparison.find((row) => row.targetId === 'qwen-fp16' && row.promptVariantId === 'default');
    expect(fp16).toMatchObject({ passed: 1, timedOut: 1, passRate: '50%', medianAgentTime: '2m 46s' });
    const awq = model.comparison.find((row) => row.targetId === 'qwen-awq');
    expect(awq?.medianAgentTime).toBe('30.8 s');
  });

  it('builds the scenario matrix with pass counts and links to attempts', () => {
    expect(model.matrix.columns).toHaveLength(3);
    const currency = model.matrix.rows.find((row) => row.scenarioId === 'currency');
    expect(currency?.cells.map((cell) => cell.label)).toEqual(['0/1', '—', '1/1']);
    expect(currency?.cells[2]?.detail).toBe('1 infra');
    expect(currency?.cells[0]?.href).toMatch(/^#attempt-\d+$/);
    const sortable = model.matrix.rows.find((row) => row.scenarioId === 'sortable');
    expect(sortable?.cells[1]).toMatchObject({ label: '—', detail: 'pending', href: null });
  });

  it('names the failed checks, the timeout and the infra source in verdicts', () => {
    expect(findAttempt(attempts, 's1-attempt-1').verdict).toMatchObject({ tone: 'passed', title: 'Passed' });
    const failed = findAttempt(attempts, 's2-attempt-1').verdict;
    expect(failed.title).toBe('Failed: typecheck, tests, permissions');
    expect(failed.detail).toContain('typecheck: 2 type errors');
    expect(failed.detail).toContain('lint errored: eslint exited with code 2');
    expect(findAttempt(attempts, 's3-attempt-1').verdict.title).toBe('Timed out after 5m 00s');
    const infra = findAttempt(attempts, 's4-attempt-1').verdict;
    expect(infra).toMatchObject({ tone: 'infra-error', title: 'Infra error (model endpoint)', detail: 'connect ECONNREFUSED 10.0.0.7:8000' });
    expect(infra.note).toMatch(/not counted against the model/i);
  });

  it('keeps every attempt of a retried spec, labelled', () => {
    expect(findAttempt(attempts, 's4-attempt-1').attemptLabel).toBe('attempt 1 of 2');
    expect(findAttempt(attempts, 's4-attempt-2').attemptLabel).toBe('attempt 2 of 2');
  });

  it('shows typecheck diagnostics and permission violations as evidence rows', () => {
    const checks = findAttempt(attempts, 's2-attempt-1').checks;
    const typecheck = checks.find((check) => check.name === 'typecheck');
    expect(typecheck?.blocks[0]?.rows[0]?.map((cell) => cell.text)).toEqual([
      'src/components/HoldingsTable.tsx:11:18',
      'TS2304',
      "Cannot find name 'sortBy'.",
    ]);
    const violations = checks.find((check) => check.name === 'permissions')?.blocks.find((block) => block.title === 'Violations');
    expect(violations?.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['Edit outside allowed paths', 'package.json', 'edit', 'call_edit_pkg', 'effective', 'package.json is not matched by edit.allow (src/**)'],
      ['Denied read attempt', '.env', 'read', 'call_read_env', 'attempted only', 'read.deny matches .env; OpenCode refused the call'],
    ]);
    expect(checks.find((check) => check.name === 'lint')).toMatchObject({ status: 'errored', isOpen: true, blocks: [] });
  });

  it('renders the diff as files, hunks and numbered lines', () => {
    const diff = findAttempt(attempts, 's1-attempt-1').diff;
    expect(diff.files.map((file) => [file.name, file.changeLabel, file.additions, file.deletions])).toEqual([
      ['src/components/HoldingsTable.tsx', 'modified', 3, 1],
      ['src/lib/compare-by.ts', 'added', 3, 0],
    ]);
    const lines = diff.files[0]?.hunks[0]?.lines ?? [];
    expect(lines[1]).toMatchObject({ tone: 'del', oldNumber: '11', newNumber: '', text: '  const sorted = rows;' });
    expect(lines[2]).toMatchObject({ tone: 'add', oldNumber: '', newNumber: '11' });
    expect(diff.files[1]?.hunks[0]?.header).toBe('@@ -0,0 +1,3 @@');
  });

  it('turns every transcript entry into a timeline item', () => {
    const timeline = findAttempt(attempts, 's2-attempt-1').timeline;
    expect(timeline.map((item) => item.tone)).toEqual(['user', 'permission-rejected', 'tool-error', 'retry', 'tool', 'error', 'assistant', 'step']);
    expect(timeline[3]?.offset).toBe('+0:03');
    const passed = findAttempt(attempts, 's1-attempt-1').timeline;
    expect(passed.find((item) => item.tone === 'question')?.questions[0]).toMatchObject({ answer: 'Ascending', matchedBy: 'sort.*(ascending|descending)' });
    expect(passed.find((item) => item.label === 'Tool · read')?.folds.map((fold) => fold.title)).toEqual(['Input', 'Output']);
  });

  it('shows the scripted-model banner only for scripted runs', () => {
    expect(model.scriptedBanner).toBeNull();
    expect(buildReportModel(createSampleSummary({ scriptedModel: true })).scriptedBanner).toBe(SCRIPTED_BANNER);
  });

  it('summarises the run header and totals', () => {
    expect(model.header).toMatchObject({ status: 'incomplete', duration: '12m 41s', opencodeVersion: '1.18.33' });
    expect(model.totals.passRate).toBe('50%');
    expect(model.totals.checkFailures.find((entry) => entry.check === 'typecheck')).toEqual({ check: 'typecheck', count: 1, percent: 20 });
    expect(model.renderedPrompts.map((prompt) => prompt.key)).toEqual(['currency/terse', 'sortable/default']);
  });
});
