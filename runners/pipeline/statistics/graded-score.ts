/**
 * Graded scores in [0, 1] need no new statistics: a scenario's mean score plays the role of its pass
 * rate. clusteredRate takes the sum of scores as `passes` (its binomial reference variance
 * p(1 − p)/n bounds the variance of any [0, 1] score with mean p, so the design effect stays ≥ 1 and
 * the interval conservative), and pairedScenarioDifference takes scores directly (the sign-flip test
 * needs only symmetry under H0; non-lattice scores use exact enumeration or seeded Monte Carlo).
 */
import { clusteredRate, type ClusteredRate, type ClusteredRateOptions } from './clustered-rate.ts';
import { pairedScenarioDifference, type PairedDifference, type PairedDifferenceOptions, type ScenarioPair } from './paired-difference.ts';

export interface ScoredCell {
  scenario: string;
  /** One score in [0, 1] per answerable attempt. */
  scores: readonly number[];
}

function checkScores(cell: ScoredCell): void {
  for (const score of cell.scores) if (!(score >= 0 && score <= 1)) throw new RangeError(`graded score ${score} in scenario ${cell.scenario} is outside [0, 1]`);
}

/** Mean graded score over scenarios with its clustered interval (see clusteredRate). */
export function gradedRate(cells: readonly ScoredCell[], options: ClusteredRateOptions = {}): ClusteredRate {
  cells.forEach(checkScores);
  return clusteredRate(cells.map((cell) => ({ passes: cell.scores.reduce((sum, score) => sum + score, 0), trials: cell.scores.length })), options);
}

/** Paired difference of mean graded scores over shared scenarios (see pairedScenarioDifference). */
export function gradedDifference(pairs: readonly ScenarioPair[], options: PairedDifferenceOptions = {}): PairedDifference {
  return pairedScenarioDifference(pairs, options);
}
