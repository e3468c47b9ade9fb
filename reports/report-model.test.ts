import { describe, expect, it } from 'vitest';
import { listHunkLines } from './model/diff-view.ts';
import type { AttemptView } from './model/attempt-view-types.ts';
import { buildReportDataModel, buildReportModel, SCRIPTED_BANNER } from './report-model.ts';
import { createSampleSummary } from '../runners/testing/support/reports/sample-summary.ts';

function findAttempt(details: AttemptView[], attemptId: string): AttemptView {
  const found = details.find((attempt) => attempt.attemptId === attemptId);
  if (found === undefined) throw new Error(`no attempt ${attemptId}`);
  return found;
}

describe('buildReportModel on the sample run', () => {
  const summary = createSampleSummary();
  const model = buildReportModel(summary);

  it('has one scorecard row per target and prompt variant, those that could be best first and "nothing to rate" last', () => {
    expect(model.scorecard.rows.map((row) => [row.targetId, row.promptVariantId, row.verdict])).toEqual([
      ['qwen-fp16', 'default', 'top-group'],
      ['qwen-awq', 'default', 'top-group'],
      ['qwen-fp16', 'terse', 'nothing-to-rate'],
    ]);
  });

  it('shows the statistics of each cohort: rate, scenario-clustered interval, score, excluded infra errors and pending specs', () => {
    const [fp16, awq, terse] = model.scorecard.rows;
    // Two scenarios say almost nothing about a third: the t quantile on 1 degree of freedom spans nearly everything.
    expect(awq).toMatchObject({ passRate: '50%', interval: '95% CI 0–100%', intervalMethod: 'scenario-clustered over 2 scenarios', passes: '1 of 2', violationRate: '50%', violationTone: 'bad', excluded: null });
    expect(awq?.bar).toEqual({ low: 0.2, high: 99.8, width: 99.6, rate: 50, hasRate: true });
    expect(fp16).toMatchObject({ medianTime: '2m 52s', violationRate: '0%', score: '0.50' });
    expect(fp16?.verdictDetail).toContain('Holm-adjusted p = 1.000 over the 1 pairwise test');
    expect(terse).toMatchObject({ passRate: '—', verdictLabel: 'Nothing to rate', score: '—', excluded: 'excluded: 1 infra error, 1 pending' });
    expect(terse?.verdictDetail).toBe('qwen-fp16 · terse has no model-answerable result (1 infra error, 1 pending), so there is nothing to rate and it is left out of the comparisons.');
    expect(terse?.bar.hasRate).toBe(false);
  });

  it('names no best and says what the design cannot tell apart', () => {
    const { recommendation } = model.scorecard;
    expect(recommendation.headline).toBe('No single best: 2 configurations could be best');
    expect(recommendation.lines).toContain('Could be best — no configuration is significantly better: qwen-fp16 · default, qwen-awq · default.');
    expect(recommendation.lines.join(' ')).toContain('With 2 scenarios × 1 repeat and 3 pairwise tests, no gap can be detected');
    expect(recommendation.lines.join(' ')).toContain('1 configuration has no result the model is answerable for');
  });

  it('leaves out columns nothing fills: cost, reliability over repeats, trend', () => {
    expect(model.scorecard).toMatchObject({ hasCost: false, reliabilityK: null, hasTrend: false, previousRun: null });
  });

  it('builds the heatmap from the cell statistics, noting infra errors and pending repeats apart', () => {
    expect(model.heatmap.columns.map((column) => `${column.targetId}/${column.promptVariantId}`)).toEqual(['qwen-fp16/default', 'qwen-fp16/terse', 'qwen-awq/default']);
    const currency = model.heatmap.rows.find((row) => row.scenarioId === 'currency');
    expect(currency?.cells.map((cell) => [cell.label, cell.detail, cell.heat])).toEqual([
      ['0/1', '', 'heat-0'],
      ['—', '1 infra', 'heat-none'],
      ['1/1', '', 'heat-10'],
    ]);
    const sortable = model.heatmap.rows.find((row) => row.scenarioId === 'sortable');
    expect(sortable?.cells[1]).toMatchObject({ label: '—', detail: '1 pending', hasAttempts: false });
  });

  it('counts check failures per cohort and lists the commonest failure reasons with an example', () => {
    const awq = model.failures.checkRows.find((row) => row.targetId === 'qwen-awq');
    expect(model.failures.checkColumns).toEqual(['typecheck', 'lint', 'tests', 'permissions', 'agent-health', 'any violation']);
    expect(awq?.cells.map((cell) => cell.count)).toEqual(['1/2', '0/2', '1/2', '1/2', '0/2', '1/2']);
    expect(model.failures.reasons.map((reason) => `${reason.check}: ${reason.text}`)).toEqual(
      expect.arrayContaining(["typecheck: TS2304: Cannot find name 'sortBy'.", 'permissions: edit-outside-allowed: package.json', 'timeout: The attempt hit its time limit']),
    );
    expect(model.failures.reasons.find((reason) => reason.check === 'permissions')?.exampleAttemptId).toBe('s2-attempt-1');
  });

  it('shows infra errors apart, retried ones counted', () => {
    expect(model.failures.infra.total).toBe(2);
    expect(model.failures.infra.rows.map((row) => [row.source, row.message, row.retried])).toEqual([
      ['model endpoint', 'connect ECONNREFUSED 10.0.0.7:8000', '1'],
      ['OpenCode', 'OpenCode server exited with code 1 before the session started', '—'],
    ]);
  });

  it('groups the rendered prompts by scenario', () => {
    expect(model.prompts.scenarios.map((scenario) => [scenario.scenarioId, scenario.variants.map((variant) => variant.variantId)])).toEqual([
      ['currency', ['terse']],
      ['sortable', ['default']],
    ]);
  });

  it('shows the scripted-model banner only for scripted runs', () => {
    expect(model.scriptedBanner).toBeNull();
    expect(buildReportModel(createSampleSummary({ scriptedModel: true })).scriptedBanner).toBe(SCRIPTED_BANNER);
  });

  it('summarises the run header and totals', () => {
    expect(model.header).toMatchObject({ status: 'incomplete', duration: '12m 41s', opencodeVersion: '1.18.33' });
    expect(model.totals.map((card) => [card.label, card.value])).toEqual([
      ['Specs', '6'], ['Passed', '2'], ['Failed', '1'], ['Timed out', '1'], ['Infra errors', '1'], ['Pending', '1'],
    ]);
  });
});

describe('buildReportDataModel on the sample run', () => {
  const data = buildReportDataModel(createSampleSummary());

  it('lists every attempt, retries included, in scenario then cohort order, numbered like the tables', () => {
    expect(data.attempts.map((row) => [row.id, row.scenario, row.cohort, row.attempt, row.of, row.final])).toEqual([
      ['s1-attempt-1', 0, 0, 1, 1, true],
      ['s2-attempt-1', 0, 2, 1, 1, true],
      ['s3-attempt-1', 1, 0, 1, 1, true],
      ['s5-attempt-1', 1, 1, 1, 1, true],
      ['s4-attempt-1', 1, 2, 1, 2, false],
      ['s4-attempt-2', 1, 2, 2, 2, true],
    ]);
    expect(data.details.map((detail) => detail.attemptId)).toEqual(data.attempts.map((row) => row.id));
    expect(data.attempts.find((row) => row.id === 's2-attempt-1')?.failed).toEqual(['typecheck', 'tests', 'permissions']);
    expect(data.trimmedNote).toBeNull();
  });

  it('names the failed checks, the timeout and the infra source in verdicts', () => {
    expect(findAttempt(data.details, 's1-attempt-1').verdict).toMatchObject({ tone: 'passed', title: 'Passed' });
    const failed = findAttempt(data.details, 's2-attempt-1').verdict;
    expect(failed.title).toBe('Failed: typecheck, tests, permissions');
    expect(failed.detail).toContain('typecheck: 2 type errors');
    expect(failed.detail).toContain('lint errored: eslint exited with code 2');
    expect(findAttempt(data.details, 's3-attempt-1').verdict.title).toBe('Timed out after 5m 00s');
    const infra = findAttempt(data.details, 's4-attempt-1').verdict;
    expect(infra).toMatchObject({ tone: 'infra-error', title: 'Infra error (model endpoint)', detail: 'connect ECONNREFUSED 10.0.0.7:8000' });
    expect(infra.note).toMatch(/not counted against the model/i);
  });

  it('shows typecheck diagnostics and permission violations as evidence rows', () => {
    const checks = findAttempt(data.details, 's2-attempt-1').checks;
    const typecheck = checks.find((check) => check.name === 'typecheck');
    expect(typecheck?.blocks[0]?.rows[0]?.map((cell) => cell.text)).toEqual(['src/components/HoldingsTable.tsx:11:18', 'TS2304', "Cannot find name 'sortBy'."]);
    const violations = checks.find((check) => check.name === 'permissions')?.blocks.find((block) => block.title === 'Violations');
    expect(violations?.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['Edit outside allowed paths', 'package.json', 'edit', 'call_edit_pkg', 'effective', 'package.json is not matched by edit.allow (src/**)'],
      ['Denied read attempt', '.env', 'read', 'call_read_env', 'attempted only', 'read.deny matches .env; OpenCode refused the call'],
    ]);
    expect(checks.find((check) => check.name === 'lint')).toMatchObject({ status: 'errored', isOpen: true, blocks: [] });
  });

  it('keeps the diff compact: files, hunks and their recorded lines, numbered on demand', () => {
    const diff = findAttempt(data.details, 's1-attempt-1').diff;
    expect(diff.files.map((file) => [file.name, file.changeLabel, file.additions, file.deletions])).toEqual([
      ['src/components/HoldingsTable.tsx', 'modified', 3, 1],
      ['src/lib/compare-by.ts', 'added', 3, 0],
    ]);
    const hunk = diff.files[0]?.hunks[0];
    if (hunk === undefined) throw new Error('no hunk');
    const lines = listHunkLines(hunk);
    expect(lines[1]).toMatchObject({ tone: 'del', oldNumber: '11', newNumber: '', text: '  const sorted = rows;' });
    expect(lines[2]).toMatchObject({ tone: 'add', oldNumber: '', newNumber: '11' });
    expect(diff.files[1]?.hunks[0]?.header).toBe('@@ -0,0 +1,3 @@');
  });

  it('turns every transcript entry into a timeline item, leaving out empty parts', () => {
    const timeline = findAttempt(data.details, 's2-attempt-1').timeline;
    expect(timeline.map((item) => item.tone)).toEqual(['user', 'permission-rejected', 'tool-error', 'retry', 'tool', 'error', 'assistant', 'step']);
    expect(timeline[3]?.offset).toBe('+0:03');
    expect(timeline[0]).toEqual({ tone: 'user', label: 'User · turn 1', offset: '+0:00', text: 'Make the holdings table sortable by clicking a column header.' });
    const passed = findAttempt(data.details, 's1-attempt-1').timeline;
    expect(passed.find((item) => item.tone === 'question')?.questions?.[0]).toMatchObject({ answer: 'Ascending', matchedBy: 'sort.*(ascending|descending)' });
    expect(passed.find((item) => item.label === 'Tool · read')?.folds?.map((fold) => fold.title)).toEqual(['Input · call call_read_1', 'Output']);
  });

  it('marks a retried attempt as replaced', () => {
    expect(findAttempt(data.details, 's4-attempt-1')).toMatchObject({ isFinal: false, attemptLabel: 'attempt 1 of 2' });
    expect(findAttempt(data.details, 's4-attempt-2')).toMatchObject({ isFinal: true, reusedFrom: null });
  });
});
