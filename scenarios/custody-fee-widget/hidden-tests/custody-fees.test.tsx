import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, formatCurrency, type DataClient, type Quote, type Transaction } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';
import { custodyTier, monthlyCustodyFee } from '../src/user-components/custody-fees.ts';

/** The tiers in force from 2026-01-01: docs/fee-schedule.md § 14 (§ 3 holds the old ones). */
const CASES: Array<[value: number, tier: string, annualRatePercent: number]> = [
  [0, 'Starter', 0.35],
  [22_000, 'Starter', 0.35],
  [25_000, 'Starter', 0.35],
  [25_000.01, 'Core', 0.25],
  [210_000, 'Core', 0.25],
  [250_000, 'Core', 0.25],
  [250_000.01, 'Premium', 0.15],
  [900_000, 'Premium', 0.15],
  [1_000_000, 'Premium', 0.15],
  [1_000_000.01, 'Private', 0.08],
  [4_000_000, 'Private', 0.08],
];

let nextId = 0;
const buy = (portfolioId: string, symbol: string, quantity: number): Transaction => {
  nextId += 1;
  return { id: `t${nextId}`, portfolioId, symbol, type: 'buy', quantity, price: 10, currency: 'USD', date: '2024-03-05' };
};
const quote = (symbol: string, lastPrice: number): Quote => ({ symbol, lastPrice, change: 0, changePercent: 0, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' });

/** Portfolios worth 24,000 (Alpha), 300,000 (Beta) and exactly 25,000 (Gamma) at the stubbed quotes. */
function stubClient(): DataClient {
  const base = createInMemoryDataClient();
  const transactions: Record<string, Transaction[]> = {
    alpha: [buy('alpha', 'AAPL', 12)],
    beta: [buy('beta', 'VTI', 1500)],
    gamma: [buy('gamma', 'BND', 250)],
  };
  const quotes = [quote('AAPL', 2000), quote('VTI', 200), quote('BND', 100)];
  return {
    ...base,
    getPortfolios: async () => [
      { id: 'alpha', name: 'Alpha', baseCurrency: 'USD', createdAt: '2021-03-01' },
      { id: 'beta', name: 'Beta', baseCurrency: 'USD', createdAt: '2019-01-15' },
      { id: 'gamma', name: 'Gamma', baseCurrency: 'USD', createdAt: '2023-06-01' },
    ],
    getTransactions: async (portfolioId) => transactions[portfolioId] ?? [],
    getQuotes: async (symbols) => quotes.filter((entry) => symbols.some((symbol) => symbol.toUpperCase() === entry.symbol)),
  };
}

function registeredWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'custody-fees');
  expect(widget, 'a widget with id "custody-fees" in userWidgets (src/user-components/index.ts)').toBeDefined();
  return widget as NonNullable<typeof widget>;
}

describe('custody fee helper (src/user-components/custody-fees.ts)', () => {
  it.each(CASES)('puts a Portfolio Value of %s USD in the 2026 tier %s at %s percent a year', (value, tier, rate) => {
    const found = custodyTier(value);
    expect(found.name).toBe(tier);
    expect(found.annualRatePercent).toBeCloseTo(rate, 10);
  });

  it.each(CASES)('charges a twelfth of the annual fee on %s USD each month', (value, _tier, rate) => {
    expect(monthlyCustodyFee(value)).toBeCloseTo((value * rate) / 100 / 12, 8);
  });
});

describe('custody fee widget', () => {
  it('is registered in userWidgets with id "custody-fees" and title "Custody fees", exported as CustodyFeeWidget', async () => {
    const widget = registeredWidget();
    expect(widget.title).toBe('Custody fees');
    const file = '../src/user-components/CustodyFeeWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(widget.component).toBe(module.CustodyFeeWidget);
  });

  it('tables value, tier and monthly fee per portfolio, on the dashboard', async () => {
    render(
      <DataClientProvider client={stubClient()}>
        <Dashboard />
      </DataClientProvider>,
    );
    registeredWidget();
    const section = screen.getByRole('heading', { name: 'Custody fees' }).closest('section');
    expect(section, 'the widget is on the dashboard in a section headed "Custody fees"').not.toBeNull();
    const table = (await within(section as HTMLElement).findByRole('columnheader', { name: 'Tier' })).closest('table') as HTMLElement;
    const headers = within(table).getAllByRole('columnheader').map((cell) => cell.textContent?.trim());
    expect(headers).toEqual(['Portfolio', 'Value', 'Tier', 'Monthly fee']);
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''));
    expect(rows).toEqual([
      ['Alpha', formatCurrency(24_000, 'USD'), 'Starter', '$7.00'],
      ['Beta', formatCurrency(300_000, 'USD'), 'Premium', '$37.50'],
      ['Gamma', formatCurrency(25_000, 'USD'), 'Starter', '$7.29'],
    ]);
  });
});
