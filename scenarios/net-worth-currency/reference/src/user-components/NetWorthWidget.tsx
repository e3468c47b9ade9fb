import { computeHoldings, formatCurrency, marketValue, useDataQuery } from '../core/index.ts';

/** The currency the user lives in (asked: Swiss francs). */
const DISPLAY_CURRENCY = 'CHF';

/** Market value of every holding in every portfolio, converted from USD. */
export function NetWorthWidget() {
  const state = useDataQuery(async (client) => {
    const [portfolios, { rates }] = await Promise.all([client.getPortfolios(), client.getExchangeRates()]);
    const values = await Promise.all(
      portfolios.map(async (portfolio) => {
        const holdings = computeHoldings(await client.getTransactions(portfolio.id));
        return marketValue(holdings, await client.getQuotes(holdings.map((holding) => holding.symbol)));
      }),
    );
    const rate = rates[DISPLAY_CURRENCY];
    if (rate === undefined) throw new Error(`no exchange rate for ${DISPLAY_CURRENCY}`);
    return values.reduce((total, value) => total + value, 0) * rate;
  }, []);

  if (state.status === 'loading') return <p role="status">Loading net worth…</p>;
  if (state.status === 'error') return <p role="alert">Could not load net worth: {state.error.message}</p>;
  return <p data-testid="net-worth">{formatCurrency(state.data, DISPLAY_CURRENCY)}</p>;
}
