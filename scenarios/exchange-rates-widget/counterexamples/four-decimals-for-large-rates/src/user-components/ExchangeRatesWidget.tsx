import { formatDate, formatNumber, useDataQuery } from '../core/index.ts';

/** The data client's exchange rates, shown by the platform's conventions (docs: exchange-rates.html). */
export function ExchangeRatesWidget() {
  const state = useDataQuery((client) => client.getExchangeRates(), []);

  if (state.status === 'loading') return <p role="status">Loading exchange rates…</p>;
  if (state.status === 'error') return <p role="alert">Could not load exchange rates: {state.error.message}</p>;

  const { base, rates, asOf } = state.data;
  const rows = Object.entries(rates)
    .filter(([code]) => code !== base)
    .sort(([left], [right]) => left.localeCompare(right));
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col">Rate</th>
            <th scope="col">Inverse</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([code, rate]) => (
            <tr key={code}>
              <td>{code}</td>
              <td>{formatNumber(rate, 4)}</td>
              <td>{formatNumber(1 / rate, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Rates as of {formatDate(asOf)}</p>
    </>
  );
}
