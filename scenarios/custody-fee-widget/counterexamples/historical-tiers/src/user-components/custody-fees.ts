/** A custody fee tier of the fee schedule (docs/fee-schedule.md). */
export interface CustodyTier {
  name: 'Starter' | 'Core' | 'Premium' | 'Private';
  /** Upper bound of the tier's Portfolio Value in USD, inclusive; null for the last tier. */
  upTo: number | null;
  annualRatePercent: number;
}

/** The tiers of the fee schedule's first custody table (§ 3), lowest first. */
export const CUSTODY_TIERS: readonly CustodyTier[] = [
  { name: 'Starter', upTo: 20_000, annualRatePercent: 0.45 },
  { name: 'Core', upTo: 200_000, annualRatePercent: 0.3 },
  { name: 'Premium', upTo: 750_000, annualRatePercent: 0.2 },
  { name: 'Private', upTo: null, annualRatePercent: 0.1 },
];

/** The tier a Portfolio Value (USD) falls in. */
export function custodyTier(portfolioValue: number): CustodyTier {
  return CUSTODY_TIERS.find((tier) => tier.upTo === null || portfolioValue <= tier.upTo) ?? CUSTODY_TIERS[CUSTODY_TIERS.length - 1];
}

/** The monthly custody fee: the whole value at its tier's annual rate, one twelfth of it. */
export function monthlyCustodyFee(portfolioValue: number): number {
  return (portfolioValue * custodyTier(portfolioValue).annualRatePercent) / 100 / 12;
}
