import { createHash } from 'node:crypto';

/** One planned cell of the matrix: scenario × target × prompt variant × repeat. */

export interface RunSpec {
  /** Deterministic: a hash of scenario, target, prompt variant and repeat index. */
  id: string;
  scenarioId: string;
  targetId: string;
  promptVariantId: string;
  repeatIndex: number;
}

/** Deterministic spec id: the same cell and repeat always gets the same id. */
export function specIdOf(parts: Omit<RunSpec, 'id'>): string {
  const key = JSON.stringify([parts.scenarioId, parts.targetId, parts.promptVariantId, parts.repeatIndex]);
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}
