import { formatCurrency, useDataQuery } from '../core/index.ts';
import { loadAssetClassValues, planRebalancing, TARGET_MIX } from './rebalancing.ts';

function formatTrade(trade: number): string {
  if (Math.abs(trade) < 1) return '—';
  return `${trade > 0 ? 'Buy' : 'Sell'} ${formatCurrency(Math.abs(trade), 'USD')}`;
}

/** How far each asset class is from the target mix, and the trade that brings it back. */
export function RebalancePage() {
  const state = useDataQuery(async (client) => planRebalancing(await loadAssetClassValues(client), TARGET_MIX), []);

  if (state.status === 'loading') return <p role="status">Loading holdings…</p>;
  if (state.status === 'error') return <p role="alert">Could not load holdings: {state.error.message}</p>;

  return (
    <section>
      <h2>Rebalance</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Asset class</th>
            <th scope="col">Current</th>
            <th scope="col">Target</th>
            <th scope="col">Trade</th>
          </tr>
        </thead>
        <tbody>
          {state.data.map((row) => (
            <tr key={row.assetClass}>
              <th scope="row">{row.assetClass}</th>
              <td>{`${row.currentPercent.toFixed(1)}%`}</td>
              <td>{`${row.targetPercent.toFixed(1)}%`}</td>
              <td>{formatTrade(row.trade)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
