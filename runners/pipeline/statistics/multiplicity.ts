/**
 * Family-wise error control for a family of tests.
 */

export interface HolmResult {
  /** Number of tests in the family (m). */
  familySize: number;
  alpha: number;
  /** Holm-adjusted p-values, in input order. */
  adjusted: number[];
  /** adjusted ≤ alpha, in input order. */
  reject: boolean[];
}

/**
 * Holm's step-down procedure (Holm 1979, Scand. J. Statist. 6:65–70): sort p ascending, reject
 * while p_(i) ≤ α/(m − i + 1). Adjusted p-values (Wright 1992, Biometrics 48:1005):
 * p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)), so reject ⇔ p̃ ≤ α. Controls the family-wise
 * error rate at α under any dependence between the tests, and is uniformly more powerful than
 * Bonferroni. Ties keep input order (any order gives the same adjusted values).
 */
export function holm(pValues: readonly number[], alpha = 0.05): HolmResult {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`holm: alpha must lie in (0, 1), got ${alpha}`);
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`holm: p-value ${p} outside [0, 1]`);
  const familySize = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((left, right) => left.p - right.p || left.index - right.index);
  const adjusted = new Array<number>(familySize).fill(1);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (familySize - rank) * p));
    adjusted[index] = running;
  });
  return { familySize, alpha, adjusted, reject: adjusted.map((p) => p <= alpha) };
}

/** Bonferroni-adjusted p-values min(1, m·p), for reference and for union bounds. */
export function bonferroni(pValues: readonly number[]): number[] {
  return pValues.map((p) => Math.min(1, pValues.length * p));
}
