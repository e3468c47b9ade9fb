import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, type DataClient, type Quote } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';

const WATCHLIST = ['AAPL', 'MSFT', 'NVDA'];

// Values the seeded in-memory backend never produces, so they can only come from the client under test.
const STUB_QUOTES: Quote[] = [
  { symbol: 'AAPL', lastPrice: 189.84, change: 2.31, changePercent: 1.234, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' },
  { symbol: 'MSFT', lastPrice: 412.5, change: -1.89, changePercent: -0.457, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' },
  { symbol: 'NVDA', lastPrice: 121.07, change: 3.64, changePercent: 3.1, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' },
];

const EXPECTED = [
  { symbol: 'AAPL', price: '189.84', change: /\+1\.23\s?%/ },
  { symbol: 'MSFT', price: '412.50', change: /[-\u2212]0\.46\s?%/ },
  { symbol: 'NVDA', price: '121.07', change: /\+3\.10\s?%/ },
];

/** The in-memory client, with getQuotes answering the watchlist from STUB_QUOTES. */
function spyClient() {
  const base = createInMemoryDataClient();
  const getQuotes = vi.fn(async (symbols: readonly string[]): Promise<Quote[]> => {
    const others = await base.getQuotes(symbols.filter((symbol) => !WATCHLIST.includes(symbol.toUpperCase())));
    const stubbed = STUB_QUOTES.filter((quote) => symbols.some((symbol) => symbol.toUpperCase() === quote.symbol));
    return [...stubbed, ...others];
  });
  const client: DataClient = { ...base, getQuotes };
  return { client, getQuotes };
}

function findWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'stock-quotes');
  if (!widget) throw new Error('no widget with id "stock-quotes" in userWidgets (src/user-components/index.ts)');
  return widget;
}

/** Waits for a table row per watchlist symbol inside `container`, and checks price and change %. */
async function expectWatchlistRows(container: HTMLElement) {
  for (const { symbol, price, change } of EXPECTED) {
    const row = await within(container).findByRole('row', { name: new RegExp(`\\b${symbol}\\b`) });
    const text = row.textContent ?? '';
    expect(text, `row of ${symbol}`).toContain(price);
    expect(text, `row of ${symbol}`).toMatch(change);
  }
}

describe('stock quotes widget', () => {
  it('is registered in userWidgets with id "stock-quotes" and title "Watchlist"', () => {
    const widget = findWidget();
    expect(widget.title).toBe('Watchlist');
    expect(typeof widget.component).toBe('function');
  });

  it('is exported as StockQuotesWidget from src/user-components/StockQuotesWidget.tsx', async () => {
    const file = '../src/user-components/StockQuotesWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.StockQuotesWidget).toBe('function');
    expect(findWidget().component).toBe(module.StockQuotesWidget);
  });

  it('shows symbol, last price and signed change % of each watchlist symbol from the quotes client', async () => {
    const { client, getQuotes } = spyClient();
    const { component: Widget } = findWidget();
    const { container } = render(
      <DataClientProvider client={client}>
        <Widget />
      </DataClientProvider>,
    );
    await expectWatchlistRows(container);
    const requested = new Set(getQuotes.mock.calls.flatMap(([symbols]) => symbols.map((symbol) => symbol.toUpperCase())));
    expect([...requested].sort()).toEqual(WATCHLIST);
  });

  it('appears on the dashboard under the title "Watchlist"', async () => {
    const { client } = spyClient();
    render(
      <DataClientProvider client={client}>
        <Dashboard />
      </DataClientProvider>,
    );
    const section = await screen.findByRole('region', { name: 'Watchlist' });
    await expectWatchlistRows(section);
  });
});
