import { formatNumber, formatSignedPercent, useDataQuery } from '../core/index.ts';

const TOP = 3;

/** The three assets with the largest absolute change today. */
export function TopMoversWidget() {
  const state = useDataQuery(async (client) => {
    const assets = await client.getAssets();
    const quotes = await client.getQuotes(assets.map((asset) => asset.symbol));
    return [...quotes].sort((a, b) => Math.abs(b.changePercent) - Math.abs(a.changePercent)).slice(0, TOP);
  }, []);

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
            <td>{formatSignedPercent(quote.changePercent)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
