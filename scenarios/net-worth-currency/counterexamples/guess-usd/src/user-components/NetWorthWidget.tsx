import { computeHoldings, formatCurrency, marketValue, useDataQuery } from '../core/index.ts';

/** Guessed: the portfolios' base currency, so no conversion. */
export function NetWorthWidget() {
  const state = useDataQuery(async (client) => {
    const portfolios = await client.getPortfolios();
    const values = await Promise.all(
      portfolios.map(async (portfolio) => {
        const holdings = computeHoldings(await client.getTransactions(portfolio.id));
        return marketValue(holdings, await client.getQuotes(holdings.map((holding) => holding.symbol)));
      }),
    );
    return values.reduce((total, value) => total + value, 0);
  }, []);

  if (state.status === 'loading') return <p role="status">Loading net worth…</p>;
  if (state.status === 'error') return <p role="alert">Could not load net worth: {state.error.message}</p>;
  return <p data-testid="net-worth">{formatCurrency(state.data, 'USD')}</p>;
}
