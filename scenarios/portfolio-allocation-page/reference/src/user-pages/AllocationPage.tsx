import { computeHoldings, formatCurrency, marketValue, useDataQuery, type AssetClass } from '../core/index.ts';

interface Slice {
  assetClass: AssetClass;
  value: number;
  share: number;
}

const COLORS: Record<AssetClass, string> = { stock: '#2f6fdf', etf: '#1f9d73', bond: '#d9822b' };
const CHART_WIDTH = 400;
const BAR_HEIGHT = 32;

/** Market value of all holdings by asset class, as a stacked bar and a table. */
export function AllocationPage() {
  const state = useDataQuery(async (client): Promise<Slice[]> => {
    const [portfolios, assets] = await Promise.all([client.getPortfolios(), client.getAssets()]);
    const classOf = new Map(assets.map((asset) => [asset.symbol, asset.assetClass]));
    const holdings = (await Promise.all(portfolios.map(async (portfolio) => computeHoldings(await client.getTransactions(portfolio.id))))).flat();
    const quotes = await client.getQuotes([...new Set(holdings.map((holding) => holding.symbol))]);
    const byClass = new Map<AssetClass, number>();
    for (const holding of holdings) {
      const assetClass = classOf.get(holding.symbol);
      if (assetClass === undefined) continue;
      byClass.set(assetClass, (byClass.get(assetClass) ?? 0) + marketValue([holding], quotes));
    }
    const total = [...byClass.values()].reduce((sum, value) => sum + value, 0);
    return [...byClass.entries()]
      .filter(([, value]) => value > 0)
      .map(([assetClass, value]) => ({ assetClass, value, share: total > 0 ? (value / total) * 100 : 0 }))
      .sort((a, b) => b.value - a.value);
  }, []);

  if (state.status === 'loading') return <p role="status">Loading allocation…</p>;
  if (state.status === 'error') return <p role="alert">Could not load allocation: {state.error.message}</p>;

  let offset = 0;
  return (
    <section>
      <h2>Allocation</h2>
      <svg role="img" aria-label="Allocation by asset class" width={CHART_WIDTH} height={BAR_HEIGHT} viewBox={`0 0 ${CHART_WIDTH} ${BAR_HEIGHT}`}>
        {state.data.map(({ assetClass, share }) => {
          const width = (share / 100) * CHART_WIDTH;
          const x = offset;
          offset += width;
          return <rect key={assetClass} data-asset-class={assetClass} x={x} y={0} width={width} height={BAR_HEIGHT} fill={COLORS[assetClass]} />;
        })}
      </svg>
      <table>
        <thead>
          <tr>
            <th scope="col">Asset class</th>
            <th scope="col">Value</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {state.data.map(({ assetClass, value, share }) => (
            <tr key={assetClass}>
              <th scope="row">{assetClass}</th>
              <td>{formatCurrency(value, 'USD')}</td>
              <td>{`${share.toFixed(1)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
