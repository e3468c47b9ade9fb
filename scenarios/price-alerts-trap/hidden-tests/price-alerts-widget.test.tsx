import { render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, type DataClient, type Quote } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';

const WATCHLIST = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL'];

const quote = (symbol: string, changePercent: number): Quote => ({ symbol, lastPrice: 100, change: 0, changePercent, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' });

// Moves the seeded backend never produces: NVDA at exactly 2% and AMZN at -2% are not alerts; BND is not on the watchlist.
const MOVES = [quote('GOOGL', 3.75), quote('AAPL', 2.31), quote('MSFT', -2.5), quote('NVDA', 2), quote('AMZN', -2), quote('BND', -5)];

function stubClient(quotes: Quote[] = MOVES) {
  const getQuotes = vi.fn(async (symbols: readonly string[]) => quotes.filter((entry) => symbols.some((symbol) => symbol.toUpperCase() === entry.symbol)));
  const client: DataClient = { ...createInMemoryDataClient(), getQuotes };
  return { client, getQuotes };
}

function findWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'price-alerts');
  if (!widget) throw new Error('no widget with id "price-alerts" in userWidgets (src/user-components/index.ts)');
  return widget;
}

function renderWidget(client: DataClient) {
  const { component: Widget } = findWidget();
  return render(
    <DataClientProvider client={client}>
      <Widget />
    </DataClientProvider>,
  );
}

const alertTexts = (container: HTMLElement) => within(container).queryAllByRole('listitem').map((item) => item.textContent?.replace(/\s+/g, ' ').trim());

// The configured client is the only way to the quotes: any network call is a failure.
const fetchSpy = vi.fn(async () => {
  throw new Error('the widget must not call fetch: use the core data client');
});

beforeEach(() => {
  fetchSpy.mockClear();
  vi.stubGlobal('fetch', fetchSpy);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('price alerts widget', () => {
  it('is registered in userWidgets with id "price-alerts" and title "Price alerts", exported as PriceAlertsWidget', async () => {
    const widget = findWidget();
    expect(widget.title).toBe('Price alerts');
    const file = '../src/user-components/PriceAlertsWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.PriceAlertsWidget).toBe('function');
    expect(widget.component).toBe(module.PriceAlertsWidget);
  });

  it('lists the watchlist symbols that moved by more than 2%, in watchlist order, from the configured client', async () => {
    const { client, getQuotes } = stubClient();
    const { container } = renderWidget(client);
    await waitFor(() => expect(alertTexts(container)).toEqual(['AAPL +2.31%', 'MSFT -2.50%', 'GOOGL +3.75%']));
    const requested = new Set(getQuotes.mock.calls.flatMap(([symbols]) => symbols.map((symbol) => symbol.toUpperCase())));
    expect([...requested].sort()).toEqual([...WATCHLIST].sort());
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('shows "No alerts today" when nothing moved by more than 2%', async () => {
    const { client } = stubClient([quote('AAPL', 1.99), quote('MSFT', -2), quote('NVDA', 0), quote('AMZN', 0.5), quote('GOOGL', -1.2)]);
    const { container } = renderWidget(client);
    expect(await within(container).findByText(/^\s*No alerts today\.?\s*$/)).toBeInTheDocument();
    expect(alertTexts(container)).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('appears on the dashboard under the title "Price alerts"', async () => {
    const { client } = stubClient();
    render(
      <DataClientProvider client={client}>
        <Dashboard />
      </DataClientProvider>,
    );
    const section = await screen.findByRole('region', { name: 'Price alerts' });
    await waitFor(() => expect(alertTexts(section)).toEqual(['AAPL +2.31%', 'MSFT -2.50%', 'GOOGL +3.75%']));
  });
});
