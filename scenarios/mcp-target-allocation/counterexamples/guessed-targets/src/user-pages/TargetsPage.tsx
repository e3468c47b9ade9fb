import { computeHoldings, marketValue, useDataQuery, type AssetClass } from '../core/index.ts';
import { TARGET_ALLOCATIONS } from './target-allocations.ts';

const ASSET_CLASSES: AssetClass[] = ['stock', 'etf', 'bond'];

const formatShare = (percent: number) => `${percent.toFixed(1)}%`;

/** Target against current allocation by asset class, per portfolio. */
export function TargetsPage() {
  const state = useDataQuery(async (client) => {
    const [portfolios, assets] = await Promise.all([client.getPortfolios(), client.getAssets()]);
    const classOf = new Map(assets.map((asset) => [asset.symbol, asset.assetClass]));
    return Promise.all(
      portfolios.map(async (portfolio) => {
        const holdings = computeHoldings(await client.getTransactions(portfolio.id));
        const quotes = await client.getQuotes(holdings.map((holding) => holding.symbol));
        const total = marketValue(holdings, quotes);
        const current = Object.fromEntries(
          ASSET_CLASSES.map((assetClass) => {
            const value = marketValue(holdings.filter((holding) => classOf.get(holding.symbol) === assetClass), quotes);
            return [assetClass, total > 0 ? (value / total) * 100 : 0];
          }),
        ) as Record<AssetClass, number>;
        return { portfolio, current };
      }),
    );
  }, []);

  if (state.status === 'loading') return <p role="status">Loading allocations…</p>;
  if (state.status === 'error') return <p role="alert">Could not load allocations: {state.error.message}</p>;

  return (
    <section>
      <h2>Targets</h2>
      {state.data.map(({ portfolio, current }) => (
        <table key={portfolio.id}>
          <caption>{portfolio.name}</caption>
          <thead>
            <tr>
              <th scope="col">Asset class</th>
              <th scope="col">Target</th>
              <th scope="col">Current</th>
            </tr>
          </thead>
          <tbody>
            {ASSET_CLASSES.map((assetClass) => (
              <tr key={assetClass}>
                <th scope="row">{assetClass}</th>
                <td>{formatShare(TARGET_ALLOCATIONS[portfolio.id]?.[assetClass] ?? 0)}</td>
                <td>{formatShare(current[assetClass])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
