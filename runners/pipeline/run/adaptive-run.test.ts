import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../bench/support/workspace.ts';
import { readEventLog } from '../events/event-log.ts';
import type { HarnessEvent, RoundPlannedEvent } from '../events/event-types.ts';
import { summarizeRun } from '../summary/summarize.ts';
import { planRun, runNew, runResumed, type RunRequest } from './run-lifecycle.ts';
import { fakeExecution, passWithRates, quietIo, type OutcomeOf } from './test-support.ts';

/** 8 scenarios × 2 repeats in round 1, cumulative 2, 4, 8 (3 looks at α = 0.05/3 each): the smallest sign-flip p, 2^−7, can decide at every look. */
const UNTIL_DECIDED = { initialRepeats: 2, maxRepeats: 8 };
/** Three configurations are 3 pairs: the first Holm step needs p ≤ α_t/3, so two looks (cumulative 2, 4) at α = 0.025 each. */
const THREE_WAY = { initialRepeats: 2, maxRepeats: 4 };
const THREE_RATES = { strong: 0.9, middle: 0.55, weak: 0.05 };

/** The eight scenarios the designs above are sized for, pinned so that the suite can grow. */
const SCENARIOS = ['add-stock-widget', 'market-news-widget', 'mcp-target-allocation', 'net-worth-currency', 'portfolio-allocation-page', 'price-alerts-trap', 'top-movers-multi-turn', 'transactions-table'];

function target(id: string): Record<string, unknown> {
  return { kind: 'scripted', id, model: 'reference', quantization: 'n/a' };
}

function setUp(targets: string[], untilDecided: Record<string, unknown> = UNTIL_DECIDED): { dir: string; request: RunRequest } {
  const dir = mkdtempSync(path.join(tmpdir(), 'harness-adaptive-'));
  const configFile = writeConfig(dir, { targets: targets.map(target), scenarios: SCENARIOS, concurrency: 2, untilDecided });
  return { dir, request: { configFile, invocation: { untilDecided: true } } };
}

async function runAdaptive(targets: string[], outcomeOf: OutcomeOf, untilDecided?: Record<string, unknown>) {
  const { dir, request } = setUp(targets, untilDecided);
  const fake = fakeExecution(outcomeOf);
  const io = quietIo();
  const run = await runNew(request, io, fake.dependencies);
  const { events } = readEventLog(run.runDir);
  return { dir, request, run, events, fake, io, summary: summarizeRun(events) };
}

const roundsOf = (events: readonly HarnessEvent[]) => events.filter((event): event is RoundPlannedEvent => event.type === 'round.planned');
const stoppedOf = (events: readonly HarnessEvent[]) => events.find((event) => event.type === 'adaptive.stopped');

describe('run --until-decided: rounds planned from the log', () => {
  it('stops after the first round when one configuration always passes and the other never does', async () => {
    const { events, summary, fake } = await runAdaptive(['good', 'bad'], passWithRates({ good: 1, bad: 0 }));
    expect(roundsOf(events).map((round) => round.round)).toEqual([1]);
    expect(stoppedOf(events)).toMatchObject({ reason: 'settled', rounds: 1 });
    expect(fake.ran).toHaveLength(2 * 8 * 2);
    expect(fake.endpointStarts).toBe(1);
    const adaptive = summary.adaptive;
    expect(adaptive?.state).toMatchObject({ kind: 'stopped', reason: 'settled' });
    expect(adaptive?.verdicts).toEqual([
      { kind: 'best', cohort: 'good/default', beats: ['bad/default'] },
      { kind: 'significantly-worse', cohort: 'bad/default', worseThan: ['good/default'] },
    ]);
    expect(adaptive?.attempts).toMatchObject({ planned: 32, fixedAtCap: 2 * 8 * 8 });
    expect(summary.totals.specs).toBe(32);
  });

  it('adds repeats with new repeat indexes only to open cells, on one set of servers, and the summary holds every round', async () => {
    const { events, summary, fake } = await runAdaptive(['strong', 'middle', 'weak'], passWithRates(THREE_RATES), THREE_WAY);
    const rounds = roundsOf(events);
    expect(rounds.length).toBeGreaterThan(1);
    expect(fake.endpointStarts).toBe(1);
    const seen = new Set<string>();
    for (const round of rounds) {
      for (const spec of round.specs) {
        expect(seen.has(spec.id)).toBe(false);
        seen.add(spec.id);
      }
      // Every cohort sampled in a round gets the same scenarios and repeats (the sign-flip null needs it).
      const byCohort = new Map<string, string[]>();
      for (const cell of round.cells) byCohort.set(cell.cohort, [...(byCohort.get(cell.cohort) ?? []), `${cell.scenario}×${cell.repeats}`]);
      expect(new Set([...byCohort.values()].map((cells) => cells.join())).size).toBe(1);
    }
    const second = rounds[1];
    expect(second?.specs.every((spec) => spec.repeatIndex >= 2 && spec.repeatIndex < 4)).toBe(true);
    expect(second?.cells.some((cell) => cell.cohort === 'weak/default')).toBe(false);
    expect(summary.specs.map((entry) => entry.spec.id).sort()).toEqual([...seen].sort());
    expect(fake.ran).toHaveLength(seen.size);
    expect(summary.adaptive?.rounds.map((round) => round.specs)).toEqual(rounds.map((round) => round.specs.length));
    expect(summary.adaptive?.verdicts.find((verdict) => verdict.cohort === 'weak/default')?.kind).toBe('significantly-worse');
    expect(summary.adaptive?.alphaSpent).toBeCloseTo((0.05 / 2) * rounds.length, 12);
  });

  it('names no winner between identical configurations', async () => {
    const { summary, events } = await runAdaptive(['a', 'b'], (spec) => passWithRates({ a: 0.5, b: 0.5 })({ ...spec, id: `${spec.scenarioId}:${spec.repeatIndex}:${spec.targetId}` }, 1));
    expect(summary.adaptive?.decisions).toEqual([]);
    expect(summary.adaptive?.verdicts.map((verdict) => verdict.kind)).toEqual(['top-group', 'top-group']);
    expect(['futile', 'max-rounds', 'nothing-discriminates']).toContain(stoppedOf(events)?.type === 'adaptive.stopped' ? summary.adaptive?.state.kind === 'stopped' && summary.adaptive.state.reason : '');
    expect(summary.adaptive?.attempts.fixedEqualPower.kind).toBe('unavailable');
  });

  it('does not start a round that would pass the budget', async () => {
    const { events, summary } = await runAdaptive(['a', 'b'], passWithRates({ a: 0.6, b: 0.4 }), { ...UNTIL_DECIDED, budget: 40 });
    expect(roundsOf(events)).toHaveLength(1);
    expect(stoppedOf(events)).toMatchObject({ reason: 'budget' });
    expect(summary.adaptive?.attempts.planned).toBeLessThanOrEqual(40);
  });

  it('--resume continues the current round, then goes on deciding, to the same result', async () => {
    const outcomeOf = passWithRates(THREE_RATES);
    const whole = await runAdaptive(['strong', 'middle', 'weak'], outcomeOf, THREE_WAY);
    expect(roundsOf(whole.events)).toHaveLength(2);
    // Crash during round 2: keep the log up to three attempts into it.
    const lines = readFileSync(path.join(whole.run.runDir, 'events.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
    const secondRound = lines.findIndex((line) => line.includes('"type":"round.planned"') && line.includes('"round":2'));
    const finishedAfter = lines.map((line, index) => index > secondRound && line.includes('"type":"attempt.finished"'));
    const thirdFinished = finishedAfter.reduce((found, isFinished, index) => (found.count < 3 && isFinished ? { count: found.count + 1, index } : found), { count: 0, index: -1 });
    const cut = lines.slice(0, thirdFinished.index + 1);
    const crashedDir = path.join(whole.dir, 'runs', 'crashed');
    mkdirSync(crashedDir);
    writeFileSync(path.join(crashedDir, 'events.jsonl'), `${cut.join('\n')}\n`);
    const before = summarizeRun(readEventLog(crashedDir).events);
    expect(before.adaptive?.state).toEqual({ kind: 'in-round', round: 2 });

    const fake = fakeExecution(outcomeOf);
    const io = quietIo();
    await runResumed(crashedDir, { configFile: whole.request.configFile }, io, fake.dependencies);
    const resumed = summarizeRun(readEventLog(crashedDir).events);
    const secondSpecs = roundsOf(whole.events)[1]?.specs.length ?? 0;
    expect(io.lines.join('\n')).toContain(`${secondSpecs - 3} of ${3 * 8 * 2 + secondSpecs} attempt(s) left`);
    expect(fake.ran.length).toBe(whole.fake.ran.length - 3 * 8 * 2 - 3);
    expect(resumed.adaptive?.rounds).toEqual(whole.summary.adaptive?.rounds);
    expect(resumed.adaptive?.verdicts).toEqual(whole.summary.adaptive?.verdicts);
    expect(resumed.adaptive?.state).toEqual(whole.summary.adaptive?.state);
    expect(resumed.status).toBe('complete');
  });

  it('--resume of a stopped run runs nothing and records the stop once', async () => {
    const whole = await runAdaptive(['good', 'bad'], passWithRates({ good: 1, bad: 0 }));
    const fake = fakeExecution(passWithRates({ good: 1, bad: 0 }));
    await runResumed(whole.run.runDir, { configFile: whole.request.configFile }, quietIo(), fake.dependencies);
    const events = readEventLog(whole.run.runDir).events;
    expect(fake.ran).toEqual([]);
    expect(events.filter((event) => event.type === 'adaptive.stopped')).toHaveLength(1);
  });

  it('--incremental reuses an earlier run’s results round by round, and reaches the same verdicts', async () => {
    const outcomeOf = passWithRates(THREE_RATES);
    const first = await runAdaptive(['strong', 'middle', 'weak'], outcomeOf, THREE_WAY);
    const fake = fakeExecution(outcomeOf);
    const second = await runNew({ ...first.request, incremental: true }, quietIo(), fake.dependencies);
    const events = readEventLog(second.runDir).events;
    expect(fake.ran).toEqual([]);
    expect(fake.endpointStarts).toBe(0);
    const summary = summarizeRun(events);
    expect(summary.adaptive?.rounds).toEqual(first.summary.adaptive?.rounds);
    expect(summary.adaptive?.verdicts).toEqual(first.summary.adaptive?.verdicts);
    expect(summary.specs.every((spec) => spec.attempts[0]?.reusedFrom !== undefined)).toBe(true);
  });
});

describe('run --until-decided: bad flag combinations are user errors that name the flag and the fix', () => {
  const planWith = (invocation: RunRequest['invocation'], untilDecided: Record<string, unknown> = UNTIL_DECIDED, targets = ['a', 'b']) => {
    const { request } = setUp(targets, untilDecided);
    return planRun({ ...request, invocation });
  };

  it.each([
    [{ untilDecided: true, repeats: 5 }, '--until-decided chooses the repeats itself, round by round: drop --repeats 5'],
    [{ untilDecided: true, shard: '1/2' }, '--until-decided cannot be sharded (--shard 1/2)'],
    [{ untilDecided: true, maxRepeats: 1 }, "--max-repeats 1 is below the first round's 2 repeats per cell: raise it to at least 2"],
    [{ untilDecided: true, budget: 31 }, '--budget 31 is below the first round: 2 configurations × 8 scenarios × 2 repeats = 32 attempts. Raise it to at least 32'],
    [{ maxRepeats: 8 }, '--max-repeats only applies to adaptive runs: add --until-decided'],
    [{ budget: 100 }, '--budget only applies to adaptive runs: add --until-decided'],
  ])('%j', async (invocation, message) => {
    await expect(planWith(invocation)).rejects.toThrow(message);
  });

  it('names the config field when the config sets the budget below round 1', async () => {
    await expect(planWith({ untilDecided: true }, { ...UNTIL_DECIDED, budget: 10 })).rejects.toThrow(/untilDecided\.budget 10 is below the first round/);
  });

  it('refuses one configuration, and too few scenarios to ever decide', async () => {
    await expect(planWith({ untilDecided: true }, UNTIL_DECIDED, ['only'])).rejects.toThrow('--until-decided compares configurations, but the selection has only one target × prompt variant (only/default)');
    await expect(planWith({ untilDecided: true, scenario: ['add-stock-widget', 'market-news-widget', 'net-worth-currency'] })).rejects.toThrow(
      /cannot reach a verdict with 3 scenarios: .* Select at least 7 scenarios/,
    );
  });

  it('plans round 1 as the first repeats of every cell, and every cell up to the cap for later rounds', async () => {
    const planned = await planWith({ untilDecided: true });
    expect(planned.specs).toHaveLength(2 * 8 * 2);
    expect(planned.specs.every((spec) => spec.repeatIndex < 2)).toBe(true);
    expect(planned.prepared.specs).toHaveLength(2 * 8 * 8);
    expect(planned.adaptive).toMatchObject({ initialRepeats: 2, repeatsPerRound: [2, 4], maxRounds: 3, maxRepeats: 8, alpha: 0.05 });
  });
});
