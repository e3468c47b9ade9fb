import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RoundPlannedEvent } from '../../pipeline/events/event-types.ts';
import { readEventLog } from '../../pipeline/events/event-log.ts';
import { onlyRunDir, readSummary, runCli, writeConfig } from '../support/harness-cli.ts';
import { useWorkspace, type Workspace } from '../support/workspace.ts';

/**
 * `run --until-decided` through the real CLI, OpenCode and checks, with seeded stochastic scripted
 * profiles: each attempt really writes the reference solution or the scenario's counterexample.
 * Seven scenarios, because the sign-flip test over G scenarios cannot go below p = 2^(1 − G):
 * 2^−6 ≈ 0.016 fits under each look's α when there are at most three looks (α/3 ≈ 0.017).
 * The scripted model's seed is fixed, so the draws are the same multiset on every run.
 */
const SCENARIOS = ['add-stock-widget', 'market-news-widget', 'mcp-target-allocation', 'net-worth-currency', 'portfolio-allocation-page', 'price-alerts-trap', 'transactions-table'];

function setUp(name: string, targets: Array<[id: string, model: string]>): { workspace: Workspace; dir: string; config: string } {
  const workspace = useWorkspace(`harness-e2e-${name}-`);
  const dir = workspace.dir;
  const config = writeConfig(dir, {
    targets: targets.map(([id, model]) => ({ kind: 'scripted', id, model, quantization: 'n/a' })),
    scenarios: SCENARIOS,
    concurrency: 2,
    // Two repeats a cell in round 1; a scenario where both sides agree on every outcome so far gets no more.
    untilDecided: { initialRepeats: 2, dropAfterRepeats: 2 },
  });
  return { workspace, dir, config };
}

const roundsOf = (runDir: string) => readEventLog(runDir).events.filter((event): event is RoundPlannedEvent => event.type === 'round.planned');

describe('harness run --until-decided, end to end', () => {
  it('stops early and names the truly better profile (chance-95 against chance-20)', async () => {
    const { workspace, dir, config } = setUp('decided', [['better', 'chance-95'], ['worse', 'chance-20']]);
    const cli = await runCli(['run', '--config', config, '--until-decided', '--max-repeats', '8'], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1); // chance-20 fails attempts: the ordinary exit code of a run with failures
    expect(cli.stderr).toContain('Until decided: stopped after round');
    const runDir = onlyRunDir(path.join(dir, 'runs'));
    const summary = readSummary(runDir);
    const adaptive = summary.adaptive;
    expect(adaptive?.state).toMatchObject({ kind: 'stopped', reason: 'settled' });
    expect(adaptive?.verdicts).toEqual([
      { kind: 'best', cohort: 'better/default', beats: ['worse/default'] },
      { kind: 'significantly-worse', cohort: 'worse/default', worseThan: ['better/default'] },
    ]);
    // Early: fewer rounds than the three up to --max-repeats 8, and far fewer attempts than running every cell 8 times.
    const rounds = roundsOf(runDir);
    expect(rounds.length).toBeLessThan(3);
    expect(adaptive?.attempts.fixedAtCap).toBe(2 * 7 * 8);
    expect(adaptive?.attempts.planned).toBe(rounds.reduce((sum, round) => sum + round.specs.length, 0));
    expect(adaptive?.attempts.planned).toBeLessThanOrEqual(2 * 7 * 4);
    expect(summary.specs).toHaveLength(adaptive?.attempts.planned ?? -1);
    // Attempts really wrote the reference or the counterexample: the better profile passes, the worse mostly fails on the hidden tests.
    const outcomesOf = (target: string) => summary.specs.filter((spec) => spec.spec.targetId === target).map((spec) => spec.outcome.kind);
    expect(outcomesOf('better').filter((kind) => kind === 'passed').length).toBeGreaterThan(outcomesOf('worse').filter((kind) => kind === 'passed').length);
    expect(summary.specs.some((spec) => spec.outcome.kind === 'failed' && spec.outcome.failedChecks.includes('tests'))).toBe(true);
    expect(readFileSync(path.join(runDir, 'summary.md'), 'utf8')).toContain('## Until decided');
    expect(readFileSync(path.join(runDir, 'report.html'), 'utf8')).toContain('<section id="adaptive"');
  });

  it('names no winner between two identical profiles (chance-80 against chance-80)', async () => {
    const { workspace, dir, config } = setUp('aa', [['first', 'chance-80-a'], ['second', 'chance-80-b']]);
    const cli = await runCli(['run', '--config', config, '--until-decided', '--max-repeats', '4'], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1);
    const runDir = onlyRunDir(path.join(dir, 'runs'));
    const adaptive = readSummary(runDir).adaptive;
    expect(adaptive?.decisions).toEqual([]);
    expect(adaptive?.verdicts.map((verdict) => verdict.kind)).toEqual(['top-group', 'top-group']);
    expect(adaptive?.state.kind).toBe('stopped');
    // A second round ran only on the scenarios where the two still disagreed.
    const rounds = roundsOf(runDir);
    expect(rounds.length).toBe(2);
    expect(rounds[1]?.cells.length).toBeLessThan(2 * SCENARIOS.length);
    // `harness report` rebuilds the same from the log.
    const report = await runCli(['report', runDir], workspace);
    expect(report.exitCode, report.stderr).toBe(0);
    expect(readSummary(runDir).adaptive).toEqual(adaptive);
  });
});
