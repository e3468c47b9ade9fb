import { useDataQuery } from '../core/index.ts';
import { classesOffTarget, loadAssetClassValues, planRebalancing, TARGET_MIX } from '../user-pages/rebalancing.ts';

/** Warns when an asset class drifted more than five points from the target mix. */
export function RebalanceAlertWidget() {
  const state = useDataQuery(async (client) => classesOffTarget(planRebalancing(await loadAssetClassValues(client), TARGET_MIX)), []);

  if (state.status === 'loading') return <p role="status">Loading holdings…</p>;
  if (state.status === 'error') return <p role="alert">Could not load holdings: {state.error.message}</p>;

  return <p>{state.data.length === 0 ? 'On target' : `Rebalance needed: ${state.data.join(', ')}`}</p>;
}
