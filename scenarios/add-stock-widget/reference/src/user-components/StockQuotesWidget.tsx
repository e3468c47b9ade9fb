import { formatNumber, formatSignedPercent, useDataQuery } from '../core/index.ts';

const WATCHLIST = ['AAPL', 'MSFT', 'NVDA'];

/** Last price and today's change for the watchlist, from the core quotes client. */
export function StockQuotesWidget() {
  const state = useDataQuery((client) => client.getQuotes(WATCHLIST), []);

  if (state.status === 'loading') return <p role="status">Loading quotes…</p>;
  if (state.status === 'error') return <p role="alert">Could not load quotes: {state.error.message}</p>;

  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          <th scope="col">Last price</th>
          <th scope="col">Change %</th>
        </tr>
      </thead>
      <tbody>
        {state.data.map((quote) => (
          <tr key={quote.symbol}>
            <th scope="row">{quote.symbol}</th>
            <td>{formatNumber(quote.lastPrice)}</td>
            <td className={quote.changePercent < 0 ? 'negative' : 'positive'}>
              {formatSignedPercent(quote.changePercent)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
