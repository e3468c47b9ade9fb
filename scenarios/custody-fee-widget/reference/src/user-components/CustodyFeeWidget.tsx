import { computeHoldings, formatCurrency, marketValue, useDataQuery } from '../core/index.ts';
import { custodyTier, monthlyCustodyFee } from './custody-fees.ts';

/** Each portfolio's custody tier and monthly custody fee at its current market value. */
export function CustodyFeeWidget() {
  const state = useDataQuery(async (client) => {
    const portfolios = await client.getPortfolios();
    return Promise.all(
      portfolios.map(async (portfolio) => {
        const holdings = computeHoldings(await client.getTransactions(portfolio.id));
        const quotes = await client.getQuotes(holdings.map((holding) => holding.symbol));
        const value = marketValue(holdings, quotes);
        return { portfolio, value, tier: custodyTier(value).name, fee: monthlyCustodyFee(value) };
      }),
    );
  }, []);

  if (state.status === 'loading') return <p role="status">Loading portfolios…</p>;
  if (state.status === 'error') return <p role="alert">Could not load portfolios: {state.error.message}</p>;

  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Portfolio</th>
          <th scope="col">Value</th>
          <th scope="col">Tier</th>
          <th scope="col">Monthly fee</th>
        </tr>
      </thead>
      <tbody>
        {state.data.map(({ portfolio, value, tier, fee }) => (
          <tr key={portfolio.id}>
            <td>{portfolio.name}</td>
            <td>{formatCurrency(value, 'USD')}</td>
            <td>{tier}</td>
            <td>{formatCurrency(fee, 'USD')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
