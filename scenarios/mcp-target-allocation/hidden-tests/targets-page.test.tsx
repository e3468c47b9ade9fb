import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, type DataClient, type Transaction } from '../src/core/index.ts';
import { App } from '../src/core/App.tsx';
import { userPages } from '../src/user-pages/index.ts';
import expectedTargets from './expected-targets.json';

const transaction = (portfolioId: string, symbol: string, quantity: number, price: number, date: string): Transaction => ({
  id: `${portfolioId}-${symbol}-${date}`,
  portfolioId,
  symbol,
  type: 'buy',
  quantity,
  price,
  currency: 'USD',
  date,
});

/** Holdings and prices the seeded backend never has: growth 60/20/20, retirement all ETF. */
function stubClient(): DataClient {
  const base = createInMemoryDataClient();
  const transactions: Record<string, Transaction[]> = {
    growth: [transaction('growth', 'AAPL', 10, 100, '2024-02-01'), transaction('growth', 'VTI', 5, 200, '2024-03-01'), transaction('growth', 'BND', 20, 50, '2024-04-01')],
    retirement: [transaction('retirement', 'VXUS', 4, 50, '2024-02-01')],
  };
  const prices: Record<string, number> = { AAPL: 150, VTI: 100, BND: 25, VXUS: 60 };
  return {
    ...base,
    getPortfolios: async () => [
      { id: 'growth', name: 'Growth fund', baseCurrency: 'USD', createdAt: '2021-03-01' },
      { id: 'retirement', name: 'Pension', baseCurrency: 'USD', createdAt: '2019-01-15' },
    ],
    getTransactions: async (portfolioId) => transactions[portfolioId] ?? [],
    getQuotes: async (symbols) =>
      symbols
        .map((symbol) => symbol.toUpperCase())
        .filter((symbol) => prices[symbol] !== undefined)
        .map((symbol) => ({ symbol, lastPrice: prices[symbol] ?? 0, change: 0, changePercent: 0, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' })),
  };
}

function findPage() {
  const page = userPages.find((definition) => definition.id === 'targets');
  if (!page) throw new Error('no page with id "targets" in userPages (src/user-pages/index.ts)');
  return page;
}

async function expectRows(caption: string, expected: Record<string, [string, string]>) {
  const table = await screen.findByRole('table', { name: caption });
  const rows = within(table).getAllByRole('row').slice(1);
  const cellsOf = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim());
  expect(rows.map((row) => cellsOf(row)[0])).toEqual(['stock', 'etf', 'bond']);
  for (const row of rows) {
    const cells = cellsOf(row);
    const [target, current] = expected[cells[0] ?? ''] ?? ['?', '?'];
    expect(cells.slice(1), `${caption}, ${cells[0]}`).toEqual([target, current]);
  }
}

describe('targets page', () => {
  it('records the targets exactly as the backend serves them (only the MCP tools know them)', async () => {
    const file = '../src/user-pages/target-allocations.ts';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(module.TARGET_ALLOCATIONS).toEqual(expectedTargets);
  });

  it('is registered in userPages with id "targets" and title "Targets", exported as TargetsPage', async () => {
    const page = findPage();
    expect(page.title).toBe('Targets');
    const file = '../src/user-pages/TargetsPage.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.TargetsPage).toBe('function');
    expect(page.component).toBe(module.TargetsPage);
  });

  it('shows target and current share per asset class for each portfolio, from the data client', async () => {
    const { component: Page } = findPage();
    render(
      <DataClientProvider client={stubClient()}>
        <Page />
      </DataClientProvider>,
    );
    await expectRows('Growth fund', { stock: ['72.5%', '60.0%'], etf: ['20.0%', '20.0%'], bond: ['7.5%', '20.0%'] });
    await expectRows('Pension', { stock: ['15.0%', '0.0%'], etf: ['47.5%', '100.0%'], bond: ['37.5%', '0.0%'] });
    const growth = screen.getByRole('table', { name: 'Growth fund' });
    const pension = screen.getByRole('table', { name: 'Pension' });
    expect(growth.compareDocumentPosition(pension) & Node.DOCUMENT_POSITION_FOLLOWING, 'Growth fund before Pension').toBeTruthy();
  });

  it('opens from the navigation tab "Targets"', async () => {
    render(<App client={stubClient()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Targets' }));
    expect(await screen.findByRole('table', { name: 'Pension' })).toBeInTheDocument();
  });
});
