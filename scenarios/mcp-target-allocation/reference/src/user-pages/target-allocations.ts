import type { AssetClass } from '../core/index.ts';

/** Target share of each asset class, in percent, per portfolio id (from the backend's get_portfolios). */
export const TARGET_ALLOCATIONS: Record<string, Record<AssetClass, number>> = {
  growth: { stock: 72.5, etf: 20, bond: 7.5 },
  retirement: { stock: 15, etf: 47.5, bond: 37.5 },
};
