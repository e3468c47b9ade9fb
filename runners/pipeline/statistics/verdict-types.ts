/** The types of a scorecard's verdicts, shared by the decision and its explanations. */
import type { ClusteredRate } from './clustered-rate.ts';

export interface CohortCell {
  scenario: string;
  /** Model-answerable outcomes (0/1 or scores in [0, 1]); infra errors are not outcomes. */
  outcomes: readonly number[];
  infraErrors?: number;
}

export interface CohortResults {
  id: string;
  cells: readonly CohortCell[];
}

export interface VerdictOptions {
  /** Family-wise error rate for the whole scorecard; 0.05 unless told. */
  alpha?: number;
  /** A cohort needs answerable results on at least this many scenarios to be named best (5). */
  minScenariosForBest?: number;
  /** … and at least this many answerable attempts in all (10). */
  minTrialsForBest?: number;
}

/** One pairwise comparison seen from one cohort: positive effect means this cohort is better. */
export interface Matchup {
  other: string;
  scenarios: number;
  effect: number;
  better: number;
  worse: number;
  pValue: number;
  adjustedP: number;
  significant: boolean;
}

interface VerdictBase {
  cohort: string;
  rate: ClusteredRate;
  explanation: string;
}

export type CohortVerdict =
  | (VerdictBase & { kind: 'best'; beats: Matchup[] })
  | (VerdictBase & { kind: 'top-group'; strongestChallenger: Matchup | undefined; notBestBecause: string | undefined })
  | (VerdictBase & { kind: 'significantly-worse'; worseThan: Matchup[] })
  | (VerdictBase & { kind: 'nothing-to-rate'; infraErrors: number })
  | (VerdictBase & { kind: 'nothing-passed' });

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A verdict before its sentence is written. */
export type VerdictWithoutExplanation = DistributiveOmit<CohortVerdict, 'explanation'>;

export interface Scorecard {
  status: 'rated' | 'nothing-passed' | 'nothing-to-rate';
  best: string | undefined;
  /** Pairwise tests in the Holm family (pairs sharing at least one scenario). */
  familySize: number;
  /** Cohorts with at least one answerable result. */
  ratedCohorts: number;
  alpha: number;
  verdicts: CohortVerdict[];
}
