import { computeHoldings, marketValue, type AssetClass, type DataClient } from '../core/index.ts';

/** The asset classes, in the order the page and the widget list them. */
export const ASSET_CLASSES: readonly AssetClass[] = ['stock', 'etf', 'bond'];

/** The target mix, in percent of the total value. */
export const TARGET_MIX: Record<AssetClass, number> = { stock: 60, etf: 30, bond: 10 };

/** Drift (percentage points) beyond which an asset class needs rebalancing. */
export const DRIFT_LIMIT = 5;

export interface RebalanceRow {
  assetClass: AssetClass;
  currentPercent: number;
  targetPercent: number;
  driftPercent: number;
  trade: number;
}

/** Market value of every holding of every portfolio, summed by asset class. */
export async function loadAssetClassValues(client: DataClient): Promise<Record<AssetClass, number>> {
  const [portfolios, assets] = await Promise.all([client.getPortfolios(), client.getAssets()]);
  const classOf = new Map(assets.map((asset) => [asset.symbol, asset.assetClass]));
  const holdings = (await Promise.all(portfolios.map(async (portfolio) => computeHoldings(await client.getTransactions(portfolio.id))))).flat();
  const quotes = await client.getQuotes([...new Set(holdings.map((holding) => holding.symbol))]);
  const values: Record<AssetClass, number> = { stock: 0, etf: 0, bond: 0 };
  for (const holding of holdings) {
    const assetClass = classOf.get(holding.symbol);
    if (assetClass !== undefined) values[assetClass] += marketValue([holding], quotes);
  }
  return values;
}

/** Current share, drift and the trade that restores the target share, per asset class. */
export function planRebalancing(values: Record<AssetClass, number>, target: Record<AssetClass, number>): RebalanceRow[] {
  const total = ASSET_CLASSES.reduce((sum, assetClass) => sum + values[assetClass], 0);
  return ASSET_CLASSES.map((assetClass) => {
    const currentPercent = total > 0 ? (values[assetClass] * 100) / total : 0;
    const targetPercent = target[assetClass];
    return {
      assetClass,
      currentPercent,
      targetPercent,
      driftPercent: currentPercent - targetPercent,
      trade: (targetPercent / 100) * total - values[assetClass],
    };
  });
}

/** The asset classes that drifted more than DRIFT_LIMIT points from their target, in row order. */
export function classesOffTarget(rows: readonly RebalanceRow[]): AssetClass[] {
  return rows.filter((row) => Math.abs(row.driftPercent) > DRIFT_LIMIT).map((row) => row.assetClass);
}
