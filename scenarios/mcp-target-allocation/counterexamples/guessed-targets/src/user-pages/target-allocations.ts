import type { AssetClass } from '../core/index.ts';

/** Guessed, typical model portfolios — not looked up in the backend. */
export const TARGET_ALLOCATIONS: Record<string, Record<AssetClass, number>> = {
  growth: { stock: 70, etf: 20, bond: 10 },
  retirement: { stock: 20, etf: 40, bond: 40 },
};
