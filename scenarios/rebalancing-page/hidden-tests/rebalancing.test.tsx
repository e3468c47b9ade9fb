import { fireEvent, render, screen, within } from '@testing-library/react';
import type { ComponentType } from 'react';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, type DataClient, type Quote, type Transaction } from '../src/core/index.ts';
import { App } from '../src/core/App.tsx';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';
import { userPages } from '../src/user-pages/index.ts';
import { loadAssetClassValues, planRebalancing, TARGET_MIX, type RebalanceRow } from '../src/user-pages/rebalancing.ts';

let nextId = 0;
const trade = (portfolioId: string, symbol: string, quantity: number, price: number): Transaction => {
  nextId += 1;
  return { id: `t${nextId}`, portfolioId, symbol, type: 'buy', quantity, price, currency: 'USD', date: `2024-0${(nextId % 9) + 1}-05` };
};
const quote = (symbol: string, lastPrice: number): Quote => ({ symbol, lastPrice, change: 0, changePercent: 0, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' });

/** Two portfolios the seeded backend never has; BND has no quote, so it counts at cost. */
function stubClient(transactions: Record<string, Transaction[]>, quotes: Quote[]): DataClient {
  const base = createInMemoryDataClient();
  return {
    ...base,
    getPortfolios: async () => [
      { id: 'alpha', name: 'Alpha', baseCurrency: 'USD', createdAt: '2021-03-01' },
      { id: 'beta', name: 'Beta', baseCurrency: 'USD', createdAt: '2019-01-15' },
    ],
    getTransactions: async (portfolioId) => transactions[portfolioId] ?? [],
    getQuotes: async (symbols) => quotes.filter((entry) => symbols.some((symbol) => symbol.toUpperCase() === entry.symbol)),
  };
}

/** stock 7,000 (20 AAPL at 350), etf 2,000 (10 VTI at 200), bond 1,000 (10 BND at cost 100): 70/20/10 against 60/30/10. */
const DRIFTED = () =>
  stubClient(
    { alpha: [trade('alpha', 'AAPL', 20, 100)], beta: [trade('beta', 'VTI', 10, 150), trade('beta', 'BND', 10, 100)] },
    [quote('AAPL', 350), quote('VTI', 200)],
  );
/** stock 6,300, etf 2,800, bond 900: 63/28/9, every class within five points. */
const NEAR_TARGET = () =>
  stubClient(
    { alpha: [trade('alpha', 'AAPL', 18, 100)], beta: [trade('beta', 'VTI', 14, 150), trade('beta', 'BND', 9, 100)] },
    [quote('AAPL', 350), quote('VTI', 200)],
  );

function expectRows(rows: RebalanceRow[], expected: Array<[string, number, number, number, number]>) {
  expect(rows.map((row) => row.assetClass)).toEqual(expected.map(([assetClass]) => assetClass));
  rows.forEach((row, index) => {
    const [, currentPercent, targetPercent, driftPercent, tradeAmount] = expected[index] ?? ['', 0, 0, 0, 0];
    expect(row.currentPercent, `${row.assetClass} currentPercent`).toBeCloseTo(currentPercent, 6);
    expect(row.targetPercent, `${row.assetClass} targetPercent`).toBeCloseTo(targetPercent, 6);
    expect(row.driftPercent, `${row.assetClass} driftPercent`).toBeCloseTo(driftPercent, 6);
    expect(row.trade, `${row.assetClass} trade`).toBeCloseTo(tradeAmount, 6);
  });
}

function renderWith(client: DataClient, Component: ComponentType) {
  return render(
    <DataClientProvider client={client}>
      <Component />
    </DataClientProvider>,
  );
}

function registeredPage() {
  const page = userPages.find((definition) => definition.id === 'rebalance');
  expect(page, 'a page with id "rebalance" in userPages (src/user-pages/index.ts)').toBeDefined();
  return page as NonNullable<typeof page>;
}

function registeredWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'rebalance-alert');
  expect(widget, 'a widget with id "rebalance-alert" in userWidgets (src/user-components/index.ts)').toBeDefined();
  return widget as NonNullable<typeof widget>;
}

describe('rebalancing helper (src/user-pages/rebalancing.ts)', () => {
  it('holds the target mix 60 / 30 / 10', () => {
    expect(TARGET_MIX).toEqual({ stock: 60, etf: 30, bond: 10 });
  });

  it('plans current share, drift and trade per asset class, in the order stock, etf, bond', () => {
    expectRows(planRebalancing({ bond: 1000, stock: 7000, etf: 2000 }, TARGET_MIX), [
      ['stock', 70, 60, 10, -1000],
      ['etf', 20, 30, -10, 1000],
      ['bond', 10, 10, 0, 0],
    ]);
    expectRows(planRebalancing({ stock: 1000, etf: 0, bond: 3000 }, { stock: 50, etf: 25, bond: 25 }), [
      ['stock', 25, 50, -25, 1000],
      ['etf', 0, 25, -25, 1000],
      ['bond', 75, 25, 50, -2000],
    ]);
  });

  it('gives a current share of 0 and no trade when nothing is held', () => {
    expectRows(planRebalancing({ stock: 0, etf: 0, bond: 0 }, TARGET_MIX), [
      ['stock', 0, 60, -60, 0],
      ['etf', 0, 30, -30, 0],
      ['bond', 0, 10, -10, 0],
    ]);
  });

  it('sums the market value by asset class over all portfolios, unquoted holdings at cost', async () => {
    expect(await loadAssetClassValues(DRIFTED())).toEqual({ stock: 7000, etf: 2000, bond: 1000 });
  });
});

describe('rebalance page', () => {
  it('is registered in userPages with id "rebalance" and title "Rebalance", exported as RebalancePage', async () => {
    const page = registeredPage();
    expect(page.title).toBe('Rebalance');
    const file = '../src/user-pages/RebalancePage.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(page.component).toBe(module.RebalancePage);
  });

  it('tables current and target share and the trade per asset class', async () => {
    renderWith(DRIFTED(), registeredPage().component);
    const header = await screen.findByRole('columnheader', { name: 'Asset class' });
    const table = header.closest('table');
    expect(table, 'the "Asset class" header sits in a table').not.toBeNull();
    const headers = within(table as HTMLElement).getAllByRole('columnheader').map((cell) => cell.textContent?.trim());
    expect(headers).toEqual(['Asset class', 'Current', 'Target', 'Trade']);
    const rows = within(table as HTMLElement)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''));
    expect(rows).toEqual([
      ['stock', '70.0%', '60.0%', 'Sell $1,000.00'],
      ['etf', '20.0%', '30.0%', 'Buy $1,000.00'],
      ['bond', '10.0%', '10.0%', '—'],
    ]);
  });

  it('opens from the navigation tab "Rebalance"', async () => {
    render(<App client={DRIFTED()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Rebalance' }));
    expect(await screen.findByText('Sell $1,000.00')).toBeInTheDocument();
  });
});

describe('rebalance alert widget', () => {
  it('is registered in userWidgets with id "rebalance-alert" and title "Rebalancing", exported as RebalanceAlertWidget', async () => {
    const widget = registeredWidget();
    expect(widget.title).toBe('Rebalancing');
    const file = '../src/user-components/RebalanceAlertWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(widget.component).toBe(module.RebalanceAlertWidget);
  });

  it('names the asset classes more than five points off target', async () => {
    renderWith(DRIFTED(), registeredWidget().component);
    expect(await screen.findByText('Rebalance needed: stock, etf')).toBeInTheDocument();
  });

  it('says "On target" when every asset class is within five points', async () => {
    renderWith(NEAR_TARGET(), registeredWidget().component);
    expect(await screen.findByText('On target')).toBeInTheDocument();
  });

  it('shows on the dashboard under the heading "Rebalancing"', async () => {
    render(
      <DataClientProvider client={DRIFTED()}>
        <Dashboard />
      </DataClientProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Rebalancing' })).toBeInTheDocument();
    expect(await screen.findByText('Rebalance needed: stock, etf')).toBeInTheDocument();
  });
});
