import type { AdaptiveSummary, AdaptiveVerdict, FixedComparison } from '../../runners/pipeline/summary/adaptive-summary.ts';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { formatCount } from './format.ts';

/** The rounds of `run --until-decided`, formatted: the rule, each round, why it stopped, what it saved. */
export interface AdaptiveView {
  rule: string;
  /** Why it stopped (or that a round is still open). */
  state: string;
  stopped: boolean;
  rounds: Array<{ round: string; configurations: string; scenarios: string; repeats: string; attempts: string; alpha: string; family: string; decided: string }>;
  alphaSpent: string;
  verdicts: Array<{ cohort: string; kind: AdaptiveVerdict['kind']; label: string; sentence: string }>;
  attempts: Array<{ label: string; value: string; note: string }>;
}

const formatAlpha = (alpha: number): string => (alpha >= 0.001 ? alpha.toFixed(4) : alpha.toPrecision(2));

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** One plain sentence per verdict of the sequential test. */
export function describeAdaptiveVerdict(verdict: AdaptiveVerdict, summary: AdaptiveSummary): string {
  const cohorts = summary.design.cohorts.length;
  const family = `over ${plural((cohorts * (cohorts - 1)) / 2, 'pair')} and ${plural(summary.rounds.length, 'round')}, the chance of any false verdict is held at α = ${summary.design.alpha}`;
  const roundOf = (better: string, worse: string): number | undefined => summary.decisions.find((decision) => decision.better === better && decision.worse === worse)?.round;
  switch (verdict.kind) {
    case 'best':
      return `${verdict.cohort} is better than every other configuration (${verdict.beats.join(', ')}); ${family}.`;
    case 'significantly-worse':
      return `${verdict.cohort} is worse than ${verdict.worseThan.map((other) => `${other} (decided after round ${roundOf(other, verdict.cohort) ?? '?'})`).join(', ')}; it got no repeats after that.`;
    case 'top-group':
      return `${verdict.cohort} is not shown worse than any other configuration: it could be the best.`;
  }
}

function savingNote(planned: number, fixed: number): string {
  if (!(fixed > 0)) return '';
  const ratio = fixed / planned;
  return ratio >= 1 ? `${ratio.toFixed(1)}× this run's attempts (${formatCount(fixed - planned)} saved)` : `${(1 / ratio).toFixed(1)}× fewer than this run used`;
}

function fixedLine(fixed: FixedComparison, planned: number): { label: string; value: string; note: string } {
  const label = 'Fixed design of equal power';
  if (fixed.kind === 'unavailable') return { label, value: '—', note: fixed.reason };
  return { label, value: `${formatCount(fixed.attempts)} (${plural(fixed.repeats, 'repeat')} per cell)`, note: `${savingNote(planned, fixed.attempts)}; ${fixed.basis}` };
}

export function buildAdaptiveView(summary: RunSummary): AdaptiveView | null {
  const adaptive = summary.adaptive;
  if (adaptive === undefined) return null;
  const { attempts } = adaptive;
  return {
    rule: adaptive.rule,
    state: adaptive.state.kind === 'stopped' ? `Stopped after round ${adaptive.rounds.length}: ${adaptive.state.explanation}.` : `Round ${adaptive.state.round} has not finished; resume the run to go on deciding.`,
    stopped: adaptive.state.kind === 'stopped',
    rounds: adaptive.rounds.map((round) => ({
      round: String(round.round),
      configurations: round.cohorts.join(', '),
      scenarios: formatCount(round.scenarios),
      repeats: round.round === 1 ? `${round.repeats}` : `+${round.repeats}`,
      attempts: formatCount(round.specs),
      alpha: formatAlpha(round.alpha),
      family: round.familySize === undefined ? '—' : formatCount(round.familySize),
      decided: round.decided === undefined ? '—' : formatCount(round.decided),
    })),
    alphaSpent: `${formatAlpha(adaptive.alphaSpent)} of ${adaptive.design.alpha}`,
    verdicts: adaptive.verdicts.map((verdict) => ({
      cohort: verdict.cohort,
      kind: verdict.kind,
      label: verdict.kind === 'best' ? 'best' : verdict.kind === 'significantly-worse' ? 'significantly worse' : 'could be best',
      sentence: describeAdaptiveVerdict(verdict, adaptive),
    })),
    attempts: [
      { label: 'This run', value: formatCount(attempts.planned), note: 'one attempt per planned spec; infra retries not counted' },
      { label: `Fixed design to --max-repeats ${adaptive.design.maxRepeats}`, value: formatCount(attempts.fixedAtCap), note: savingNote(attempts.planned, attempts.fixedAtCap) },
      fixedLine(attempts.fixedEqualPower, attempts.planned),
    ],
  };
}
