/** Prices typed in from a quote website instead of the core quotes client. */
const QUOTES = [
  { symbol: 'AAPL', lastPrice: '189.84', change: '+1.23%' },
  { symbol: 'MSFT', lastPrice: '412.50', change: '-0.46%' },
  { symbol: 'NVDA', lastPrice: '118.10', change: '+2.05%' },
];

export function StockQuotesWidget() {
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
        {QUOTES.map((quote) => (
          <tr key={quote.symbol}>
            <th scope="row">{quote.symbol}</th>
            <td>{quote.lastPrice}</td>
            <td>{quote.change}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
