import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, formatCurrency, formatSignedPercent, type DataClient, type Quote, type Transaction } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';

let nextId = 0;
const trade = (portfolioId: string, symbol: string, type: 'buy' | 'sell', quantity: number, price: number, date: string): Transaction => {
  nextId += 1;
  return { id: `t${nextId}`, portfolioId, symbol, type, quantity, price, currency: 'USD', date };
};
const quote = (symbol: string, lastPrice: number): Quote => ({ symbol, lastPrice, change: 0, changePercent: 0, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' });

const PORTFOLIOS = [
  { id: 'alpha', name: 'Alpha', baseCurrency: 'USD', createdAt: '2021-03-01' },
  { id: 'beta', name: 'Beta', baseCurrency: 'USD', createdAt: '2019-01-15' },
];

/**
 * AAPL in both portfolios: 8 left of 10 bought at 100 (cost 800) plus 4 at 150 (cost 600), worth
 * 12 × 125 = 1,500 (+7.14 %); VTI 5 at 200 worth 5 × 180 = 900 (−10 %); BND 30 at 70 has no quote,
 * so it counts at cost (0 %).
 */
function stubClient(): DataClient {
  const base = createInMemoryDataClient();
  const transactions: Record<string, Transaction[]> = {
    alpha: [trade('alpha', 'AAPL', 'buy', 10, 100, '2024-01-05'), trade('alpha', 'AAPL', 'sell', 2, 120, '2024-06-05')],
    beta: [trade('beta', 'VTI', 'buy', 5, 200, '2024-03-05'), trade('beta', 'AAPL', 'buy', 4, 150, '2024-04-05'), trade('beta', 'BND', 'buy', 30, 70, '2024-02-05')],
  };
  const quotes = [quote('AAPL', 125), quote('VTI', 180)];
  return {
    ...base,
    getPortfolios: async () => PORTFOLIOS,
    getTransactions: async (portfolioId) => transactions[portfolioId] ?? [],
    getQuotes: async (symbols) => quotes.filter((entry) => symbols.some((symbol) => symbol.toUpperCase() === entry.symbol)),
  };
}

function registeredWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'positions');
  expect(widget, 'a widget with id "positions" in userWidgets (src/user-components/index.ts)').toBeDefined();
  return widget as NonNullable<typeof widget>;
}

function renderWidget(client: DataClient) {
  const { component: Widget } = registeredWidget();
  return render(
    <DataClientProvider client={client}>
      <Widget />
    </DataClientProvider>,
  );
}

describe('positions widget', () => {
  it('is registered in userWidgets with id "positions" and title "Positions", exported as PositionsWidget', async () => {
    const widget = registeredWidget();
    expect(widget.title).toBe('Positions');
    const file = '../src/user-components/PositionsWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(widget.component).toBe(module.PositionsWidget);
  });

  it('tables every symbol over all portfolios by symbol, valued and formatted as the Portfolio summary does', async () => {
    renderWidget(stubClient());
    const table = (await screen.findByRole('columnheader', { name: 'Gain' })).closest('table') as HTMLElement;
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent?.trim())).toEqual(['Symbol', 'Quantity', 'Value', 'Gain']);
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''));
    expect(rows).toEqual([
      ['AAPL', '12', formatCurrency(1500, 'USD'), formatSignedPercent((100 / 1400) * 100)],
      ['BND', '30', formatCurrency(2100, 'USD'), formatSignedPercent(0)],
      ['VTI', '5', formatCurrency(900, 'USD'), formatSignedPercent(-10)],
    ]);
  });

  it('colours the gain with the Portfolio summary’s classes: negative below zero, positive otherwise', async () => {
    renderWidget(stubClient());
    const cellOf = async (symbol: string) => {
      const row = (await screen.findByText(symbol)).closest('tr') as HTMLElement;
      return row.querySelectorAll('td, th')[3] as HTMLElement;
    };
    expect((await cellOf('VTI')).className).toBe('negative');
    expect((await cellOf('AAPL')).className).toBe('positive');
    expect((await cellOf('BND')).className).toBe('positive');
  });

  it('shows what the Portfolio summary shows while loading', () => {
    renderWidget({ ...stubClient(), getPortfolios: () => new Promise(() => undefined) });
    expect(screen.getByRole('status')).toHaveTextContent(/^Loading portfolios…$/);
  });

  it('shows what the Portfolio summary shows on an error', async () => {
    renderWidget({ ...stubClient(), getPortfolios: async () => Promise.reject(new Error('backend down')) });
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Could not load portfolios: backend down$/);
  });

  it('shows on the dashboard under the heading "Positions"', async () => {
    render(
      <DataClientProvider client={stubClient()}>
        <Dashboard />
      </DataClientProvider>,
    );
    const section = screen.getByRole('heading', { name: 'Positions' }).closest('section') as HTMLElement;
    expect(await within(section).findByText('VTI')).toBeInTheDocument();
  });
});
