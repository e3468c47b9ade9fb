import { computeHoldings, formatCurrency, formatSignedPercent, marketValue, useDataQuery } from '../core/index.ts';

interface Position {
  symbol: string;
  quantity: number;
  value: number;
  gainPercent: number;
}

/** Every symbol held, over all portfolios together: quantity, market value and unrealized gain. */
export function PositionsWidget() {
  const state = useDataQuery(async (client): Promise<Position[]> => {
    const portfolios = await client.getPortfolios();
    const holdings = (await Promise.all(portfolios.map(async (portfolio) => computeHoldings(await client.getTransactions(portfolio.id))))).flat();
    const quotes = await client.getQuotes([...new Set(holdings.map((holding) => holding.symbol))]);
    const bySymbol = new Map<string, { quantity: number; cost: number; value: number }>();
    for (const holding of holdings) {
      const position = bySymbol.get(holding.symbol) ?? { quantity: 0, cost: 0, value: 0 };
      position.quantity += holding.quantity;
      position.cost += holding.costBasis;
      position.value += marketValue([holding], quotes);
      bySymbol.set(holding.symbol, position);
    }
    return [...bySymbol.entries()]
      .map(([symbol, { quantity, cost, value }]) => ({ symbol, quantity, value, gainPercent: cost > 0 ? ((value - cost) / cost) * 100 : 0 }))
      .sort((a, b) => a.symbol.localeCompare(b.symbol));
  }, []);

  if (state.status === 'loading') return <p role="status">Loading portfolios…</p>;
  if (state.status === 'error') return <p role="alert">Could not load portfolios: {state.error.message}</p>;

  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          <th scope="col">Quantity</th>
          <th scope="col">Value</th>
          <th scope="col">Gain</th>
        </tr>
      </thead>
      <tbody>
        {state.data.map(({ symbol, quantity, value, gainPercent }) => (
          <tr key={symbol}>
            <td>{symbol}</td>
            <td>{quantity}</td>
            <td>{formatCurrency(value, 'USD')}</td>
            <td className={gainPercent < 0 ? 'negative' : 'positive'}>{formatSignedPercent(gainPercent)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
