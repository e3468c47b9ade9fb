import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, formatCurrency, type DataClient, type Quote, type Transaction } from '../src/core/index.ts';
import { App } from '../src/core/App.tsx';
import { userPages } from '../src/user-pages/index.ts';

let nextId = 0;
const trade = (portfolioId: string, symbol: string, type: 'buy' | 'sell', quantity: number, price: number, date: string): Transaction => {
  nextId += 1;
  return { id: `t${nextId}`, portfolioId, symbol, type, quantity, price, currency: 'USD', date };
};

const quote = (symbol: string, lastPrice: number): Quote => ({ symbol, lastPrice, change: 0, changePercent: 0, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' });

/**
 * Holdings the seeded backend never has. Stock: 18 AAPL at 150 = 2,700; ETF: 5 VTI at 250 = 1,250;
 * bond: 30 BND with no quote, so at cost 30 × 70 = 2,100. Total 6,050.
 */
function stubClient(transactions: Record<string, Transaction[]>, quotes: Quote[]) {
  const base = createInMemoryDataClient();
  const getQuotes = vi.fn(async (symbols: readonly string[]) => quotes.filter((entry) => symbols.some((symbol) => symbol.toUpperCase() === entry.symbol)));
  const client: DataClient = {
    ...base,
    getPortfolios: async () => [
      { id: 'alpha', name: 'Alpha', baseCurrency: 'USD', createdAt: '2021-03-01' },
      { id: 'beta', name: 'Beta', baseCurrency: 'USD', createdAt: '2019-01-15' },
    ],
    getTransactions: async (portfolioId) => transactions[portfolioId] ?? [],
    getQuotes,
  };
  return { client, getQuotes };
}

const MIXED = {
  alpha: [trade('alpha', 'AAPL', 'buy', 10, 100, '2024-01-05'), trade('alpha', 'AAPL', 'sell', 2, 120, '2024-06-05'), trade('alpha', 'BND', 'buy', 30, 70, '2024-02-05')],
  beta: [trade('beta', 'VTI', 'buy', 5, 200, '2024-03-05'), trade('beta', 'AAPL', 'buy', 10, 90, '2024-04-05')],
};
const MIXED_QUOTES = [quote('AAPL', 150), quote('VTI', 250)];

function findPage() {
  const page = userPages.find((definition) => definition.id === 'allocation');
  if (!page) throw new Error('no page with id "allocation" in userPages (src/user-pages/index.ts)');
  return page;
}

function renderPage(client: DataClient) {
  const { component: Page } = findPage();
  return render(
    <DataClientProvider client={client}>
      <Page />
    </DataClientProvider>,
  );
}

/** Body rows of the table holding an "Asset class" column, as cell texts. */
async function tableRows(): Promise<string[][]> {
  const header = await screen.findByRole('columnheader', { name: 'Asset class' });
  const table = header.closest('table');
  if (!table) throw new Error('the "Asset class" header is not in a table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''));
}

function chartShapes(): Element[] {
  const chart = screen.getByRole('img', { name: 'Allocation by asset class' });
  expect(chart.tagName.toLowerCase()).toBe('svg');
  return [...chart.querySelectorAll('[data-asset-class]')];
}

describe('allocation page', () => {
  it('is registered in userPages with id "allocation" and title "Allocation", exported as AllocationPage', async () => {
    const page = findPage();
    expect(page.title).toBe('Allocation');
    const file = '../src/user-pages/AllocationPage.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.AllocationPage).toBe('function');
    expect(page.component).toBe(module.AllocationPage);
  });

  it('tables value and share per asset class over all portfolios, largest first; unquoted holdings count at cost', async () => {
    const { client, getQuotes } = stubClient(MIXED, MIXED_QUOTES);
    renderPage(client);
    expect(await tableRows()).toEqual([
      ['stock', formatCurrency(2700, 'USD'), '44.6%'],
      ['bond', formatCurrency(2100, 'USD'), '34.7%'],
      ['etf', formatCurrency(1250, 'USD'), '20.7%'],
    ]);
    expect(getQuotes).toHaveBeenCalled();
  });

  it('draws an SVG chart with one shape per asset class, sized differently by share', async () => {
    const { client } = stubClient(MIXED, MIXED_QUOTES);
    renderPage(client);
    await tableRows();
    const shapes = chartShapes();
    expect(shapes.map((shape) => shape.getAttribute('data-asset-class')).sort()).toEqual(['bond', 'etf', 'stock']);
    for (const shape of shapes) expect(['rect', 'path']).toContain(shape.tagName.toLowerCase());
    const geometry = (assetClass: string) => {
      const shape = shapes.find((candidate) => candidate.getAttribute('data-asset-class') === assetClass);
      return ['d', 'width', 'height'].map((name) => shape?.getAttribute(name) ?? '').join('|');
    };
    expect(new Set([geometry('stock'), geometry('bond'), geometry('etf')]).size).toBe(3);
  });

  it('leaves out asset classes without holdings', async () => {
    const onlyStock = { alpha: [trade('alpha', 'MSFT', 'buy', 4, 300, '2024-01-05')], beta: [] };
    const { client } = stubClient(onlyStock, [quote('MSFT', 410)]);
    renderPage(client);
    expect(await tableRows()).toEqual([['stock', formatCurrency(1640, 'USD'), '100.0%']]);
    expect(chartShapes().map((shape) => shape.getAttribute('data-asset-class'))).toEqual(['stock']);
  });

  it('opens from the navigation tab "Allocation"', async () => {
    const { client } = stubClient(MIXED, MIXED_QUOTES);
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Allocation' }));
    expect(await screen.findByRole('img', { name: 'Allocation by asset class' })).toBeInTheDocument();
  });
});
