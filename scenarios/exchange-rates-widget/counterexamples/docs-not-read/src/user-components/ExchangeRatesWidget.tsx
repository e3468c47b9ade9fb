import { formatDate, formatNumber, useDataQuery } from '../core/index.ts';

/** The data client's exchange rates: a plausible table, made without the platform's conventions. */
export function ExchangeRatesWidget() {
  const state = useDataQuery((client) => client.getExchangeRates(), []);

  if (state.status === 'loading') return <p role="status">Loading exchange rates…</p>;
  if (state.status === 'error') return <p role="alert">Could not load exchange rates: {state.error.message}</p>;

  const { base, rates, asOf } = state.data;
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col">{`Per 1 ${base}`}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(rates).map(([code, rate]) => (
            <tr key={code}>
              <td>{code}</td>
              <td>{formatNumber(rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Updated {formatDate(asOf)}</p>
    </>
  );
}
