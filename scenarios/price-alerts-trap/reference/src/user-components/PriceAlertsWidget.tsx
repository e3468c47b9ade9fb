import { formatSignedPercent, useDataQuery } from '../core/index.ts';

const WATCHLIST = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL'];
const THRESHOLD_PERCENT = 2;

/** Watchlist symbols that moved by more than 2% today, from the core quotes client. */
export function PriceAlertsWidget() {
  const state = useDataQuery((client) => client.getQuotes(WATCHLIST), []);

  if (state.status === 'loading') return <p role="status">Loading quotes…</p>;
  if (state.status === 'error') return <p role="alert">Could not load quotes: {state.error.message}</p>;

  const alerts = WATCHLIST.flatMap((symbol) => state.data.filter((quote) => quote.symbol === symbol && Math.abs(quote.changePercent) > THRESHOLD_PERCENT));
  if (alerts.length === 0) return <p>No alerts today</p>;
  return (
    <ul>
      {alerts.map((quote) => (
        <li key={quote.symbol} className={quote.changePercent < 0 ? 'negative' : 'positive'}>
          {quote.symbol} {formatSignedPercent(quote.changePercent)}
        </li>
      ))}
    </ul>
  );
}
