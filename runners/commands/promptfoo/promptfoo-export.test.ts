import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEventLog } from '../../testing/support/event-logs.ts';
import { createHostileSummary } from '../../testing/support/reports/hostile-summary.ts';
import { createSampleEvents, createSampleSummary } from '../../testing/support/reports/sample-summary.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';
import { exportCommand } from '../cli/export-command.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { toPromptfooEvalFile } from './promptfoo-export.ts';
import { RUN_DIR } from './test-support.ts';

const EXPORTED_AT = new Date('2025-06-03T10:00:00.000Z');

describe('toPromptfooEvalFile', () => {
  const file = toPromptfooEvalFile(createSampleSummary(), RUN_DIR, EXPORTED_AT);
  const { results } = file;

  it('is an EvaluateSummary v3 with one row per finished spec; pending specs are counted, not shown', () => {
    expect(file.evalId).toBe('eval-harness-2025-06-02T09-00-00Z-3f9a');
    expect(results.version).toBe(3);
    expect(results.results).toHaveLength(5);
    expect(file.metadata).toMatchObject({ evaluationCreatedAt: '2025-06-02T09:00:00.000Z', exportedAt: '2025-06-03T10:00:00.000Z', pendingSpecs: 1, runDir: RUN_DIR });
    expect(file.vars).toEqual(['scenario']);
  });

  it('makes one prompt column per target × prompt variant and one row per scenario × repeat', () => {
    expect(results.prompts.map((prompt) => prompt.provider)).toEqual(['qwen-fp16/default', 'qwen-awq/default', 'qwen-fp16/terse']);
    const cells = results.results.map((row) => [row.testIdx, row.promptIdx, row.vars.scenario, row.provider.label]);
    expect(cells).toEqual([
      [0, 0, 'sortable', 'qwen-fp16/default'],
      [0, 1, 'sortable', 'qwen-awq/default'],
      [1, 0, 'currency', 'qwen-fp16/default'],
      [1, 1, 'currency', 'qwen-awq/default'],
      [1, 2, 'currency', 'qwen-fp16/terse'],
    ]);
  });

  it('scores rows as the live provider and assertion would: pass, assertion failure, error', () => {
    const verdicts = results.results.map((row) => [row.provider.label, row.vars.scenario, row.success, row.failureReason]);
    expect(verdicts).toEqual([
      ['qwen-fp16/default', 'sortable', true, 0],
      ['qwen-awq/default', 'sortable', false, 1],
      ['qwen-fp16/default', 'currency', false, 1],
      ['qwen-awq/default', 'currency', true, 0],
      ['qwen-fp16/terse', 'currency', false, 2],
    ]);
    const failed = results.results[1];
    expect(failed?.gradingResult?.componentResults?.find((item) => item.assertion?.metric === 'permissions')?.reason).toContain('edit-outside-allowed package.json');
    expect(failed?.error).toContain('typecheck failed: 2 diagnostics');
    const errored = results.results[4];
    expect(errored?.gradingResult).toBeNull();
    expect(errored?.error).toContain('infra error [opencode]');
  });

  it('totals each column and the whole eval like promptfoo does', () => {
    expect(results.stats).toMatchObject({ successes: 2, failures: 2, errors: 1, durationMs: 761_000 });
    const fp16 = results.prompts[0]?.metrics;
    expect(fp16).toMatchObject({ testPassCount: 1, testFailCount: 1, testErrorCount: 0 });
    expect(fp16?.namedScores).toEqual({ typecheck: 1, lint: 1, tests: 1, permissions: 1, 'agent-health': 1 });
    expect(results.stats.tokenUsage.total).toBe(results.results.reduce((sum, row) => sum + (row.tokenUsage?.total ?? 0), 0));
    expect(results.stats.tokenUsage.total).toBeGreaterThan(0);
  });

  it('passes hostile model output on as text with no control characters', () => {
    const hostile = toPromptfooEvalFile(withEscapes(createHostileSummary()), RUN_DIR, EXPORTED_AT);
    const json = JSON.stringify(hostile);
    // Passed on as text (promptfoo's viewer escapes it), not dropped or mangled.
    expect(json).toMatch(/<script>[^<]*alert\(1\)<\/script>/);
    expect(json).not.toMatch(/\\u001b|\\u0007/);
    expect(JSON.stringify(hostile.results.results.map((row) => [row.response?.output, row.error, row.gradingResult]))).toContain('\\\\u{1b}[2J');
  });
});

describe('harness export --format promptfoo', () => {
  it('writes the export of a run folder’s event log, to --out or into the run folder', () => {
    const runDir = writeSampleRun();
    const out = path.join(runDir, 'elsewhere', 'pf.json');
    const written = exportCommand(runDir, { format: 'promptfoo', out });
    expect(written.file).toBe(out);
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as ReturnType<typeof toPromptfooEvalFile>;
    expect(parsed.results.results).toHaveLength(5);
    expect(parsed.metadata.runDir).toBe(runDir);
    expect(exportCommand(runDir, { format: 'promptfoo' }).file).toBe(path.join(runDir, 'promptfoo-eval.json'));
  });

  it('refuses an unknown format and a folder without an event log, saying what to pass', () => {
    const runDir = writeSampleRun();
    expect(() => exportCommand(runDir, { format: 'csv' })).toThrow('--format csv: unknown export format; known: promptfoo');
    expect(() => exportCommand(path.dirname(runDir), { format: 'promptfoo' })).toThrow(/no events\.jsonl here; pass the folder of a run/);
  });
});

/** The hostile sample with terminal escapes in the model's last message and in a diagnostic. */
function withEscapes(summary: RunSummary): RunSummary {
  const specs = summary.specs.map((spec) => ({
    ...spec,
    attempts: spec.attempts.map((attempt) => ({
      ...attempt,
      transcript: [...attempt.transcript, { type: 'assistant-text' as const, text: 'done\u001b[2J\u0007', atMs: 1 }],
      diff: `${attempt.diff}+\u001b[2J\n`,
    })),
  }));
  return { ...summary, specs };
}

/** A run folder whose events.jsonl holds the sample run, as the executor would have logged it. */
function writeSampleRun(): string {
  return writeEventLog(path.join(useWorkspace('harness-export-').dir, 'run'), createSampleEvents());
}
