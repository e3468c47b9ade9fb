/** A custody fee tier of the fee schedule (docs/fee-schedule.md, § 14, effective 2026-01-01). */
export interface CustodyTier {
  name: 'Starter' | 'Core' | 'Premium' | 'Private';
  /** Upper bound of the tier's Portfolio Value in USD, inclusive; null for the last tier. */
  upTo: number | null;
  annualRatePercent: number;
}

/** The tiers from 2026 on, lowest first. A value exactly on a boundary belongs to the lower tier. */
export const CUSTODY_TIERS: readonly CustodyTier[] = [
  { name: 'Starter', upTo: 25_000, annualRatePercent: 0.35 },
  { name: 'Core', upTo: 250_000, annualRatePercent: 0.25 },
  { name: 'Premium', upTo: 1_000_000, annualRatePercent: 0.15 },
  { name: 'Private', upTo: null, annualRatePercent: 0.08 },
];

/** The tier a Portfolio Value (USD) falls in. */
export function custodyTier(portfolioValue: number): CustodyTier {
  return CUSTODY_TIERS.find((tier) => tier.upTo === null || portfolioValue <= tier.upTo) ?? CUSTODY_TIERS[CUSTODY_TIERS.length - 1];
}

/** The monthly custody fee: the whole value at its tier's annual rate, one twelfth of it. */
export function monthlyCustodyFee(portfolioValue: number): number {
  return (portfolioValue * custodyTier(portfolioValue).annualRatePercent) / 100 / 12;
}
