import { describe, expect, it } from 'vitest';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';
import { describeFeatureUse } from '../runners/core/domain/feature-use.ts';
import { makeFeatureTranscript, makeRepeats, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import type { SpecSummary } from '../runners/pipeline/summary/summary-types.ts';
import { describeAttemptFeatures, buildFeaturesView } from './model/feature-view.ts';
import { buildRunIndex } from './model/run-index.ts';
import { renderHtmlReport } from './render-html.ts';
import { buildReportDataModel } from './report-model.ts';

const hostileAgent = '<img src=x onerror=alert(1)>';
/** Three items written, two done, one left open; two subagents; one compaction after an overflow. */
const planned = makeFeatureTranscript({
  todoLists: [{ read: 'pending', edit: 'pending', test: 'pending' }, { read: 'completed', edit: 'completed', test: 'in_progress' }],
  subagents: [{ agent: 'general', steps: 4, toolCalls: 6 }, { agent: hostileAgent, steps: 3 }],
  compactions: [{ atMs: 65_000, tokensBefore: 30_000, tokensAfter: 4200, overflow: true }],
});
/** Every item done, one compaction whose context after is unknown. */
const finished = makeFeatureTranscript({ todoLists: [{ only: 'completed' }], compactions: [{ atMs: 5000, tokensBefore: 28_000, tokensAfter: null }] });

function summaryOf(specs: SpecSummary[]) {
  return createSummaryFromSpecs(specs, [makeTarget('tools'), makeTarget('plain')]);
}

const withFeatures = summaryOf([
  ...makeRepeats('s1', 'tools', 'P', { transcript: planned }),
  ...makeRepeats('s2', 'tools', 'F', { transcript: finished }),
  ...makeRepeats('s3', 'tools', 'I', { transcript: finished }),
  ...makeRepeats('s1', 'plain', 'PF'),
]);
const without = summaryOf([...makeRepeats('s1', 'tools', 'PF'), ...makeRepeats('s1', 'plain', 'P')]);

describe('the OpenCode features table', () => {
  it('has one row per configuration, the counts beside every rate, infra errors left out', () => {
    const view = buildFeaturesView(withFeatures, buildRunIndex(withFeatures));
    expect(view?.rows).toEqual([
      {
        cohortIndex: 0, targetId: 'tools', promptVariantId: 'default', attempts: '2',
        todoCompletion: '3/4 (75%)', todosOpen: '1', todoAttempts: '2 of 2',
        subagentAttempts: '1 of 2', subagentsStarted: '2', subagentSteps: '7', subagentAgents: `general, ${hostileAgent}`,
        compactionAttempts: '2 of 2', compactions: '2 (1 after an overflow)', passedAfterCompacting: '1 of 2',
      },
      {
        cohortIndex: 1, targetId: 'plain', promptVariantId: 'default', attempts: '2',
        todoCompletion: '—', todosOpen: '0', todoAttempts: '0 of 2',
        subagentAttempts: '0 of 2', subagentsStarted: '0', subagentSteps: '0', subagentAgents: '',
        compactionAttempts: '0 of 2', compactions: '0', passedAfterCompacting: null,
      },
    ]);
  });

  it('is left out when no attempt used any feature', () => {
    expect(buildFeaturesView(without, buildRunIndex(without))).toBeNull();
  });

  it('is on the report page beside the scorecard, agent names escaped, and only when a feature was used', () => {
    const html = renderHtmlReport(withFeatures)[0]?.contents ?? '';
    expect(html).toContain('<section id="features" class="section section-features">');
    expect(html).toContain('<a href="#features">OpenCode features</a>');
    expect(html.indexOf('id="features"')).toBeGreaterThan(html.indexOf('id="scorecard"'));
    expect(html).toContain('<td class="num"><b>3/4 (75%)</b><div class="muted small">1 left open · 2 of 2 attempts</div></td>');
    expect(html).toContain('general, &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain(hostileAgent);
    const plain = renderHtmlReport(without)[0]?.contents ?? '';
    expect(plain).not.toContain('id="features"');
    expect(plain).not.toContain('#features');
  });
});

describe('the OpenCode features of one attempt', () => {
  it('says the TODOs done and open, the subagents and their steps, each compaction with its time and tokens', () => {
    expect(describeAttemptFeatures(describeFeatureUse(planned), 0)).toEqual([
      { label: 'TODOs', value: '2/3 done (1 open)' },
      { label: 'Subagents', value: `2 started (general, ${hostileAgent}) · 7 steps · 6 tool calls` },
      { label: 'Compactions', value: '1 (1 after an overflow): +1:05 30,000 → 4,200 tokens' },
    ]);
    expect(describeAttemptFeatures(describeFeatureUse(finished), 0)).toEqual([
      { label: 'TODOs', value: '1/1 done (0 open)' },
      { label: 'Compactions', value: '1: +0:05 28,000 → ? tokens' },
    ]);
  });

  it('names cancelled items, and is empty for an attempt that used no feature', () => {
    const cancelled = makeFeatureTranscript({ todoLists: [{ a: 'completed', b: 'cancelled', c: 'pending' }] });
    expect(describeAttemptFeatures(describeFeatureUse(cancelled), 0)).toEqual([{ label: 'TODOs', value: '1/3 done (1 open, 1 cancelled)' }]);
    expect(describeAttemptFeatures(describeFeatureUse(makeFeatureTranscript({})), 0)).toEqual([]);
  });

  it('is in each attempt drill-down of the report data, timed from the transcript start', () => {
    const { details } = buildReportDataModel(withFeatures);
    const byScenario = (scenarioId: string, targetId: string) => details.find((detail) => detail.scenarioId === scenarioId && detail.targetId === targetId)?.features;
    expect(byScenario('s1', 'tools')?.map((fact) => fact.label)).toEqual(['TODOs', 'Subagents', 'Compactions']);
    expect(byScenario('s2', 'tools')).toEqual([
      { label: 'TODOs', value: '1/1 done (0 open)' },
      { label: 'Compactions', value: '1: +0:05 28,000 → ? tokens' },
    ]);
    expect(byScenario('s1', 'plain')).toEqual([]);
  });
});
