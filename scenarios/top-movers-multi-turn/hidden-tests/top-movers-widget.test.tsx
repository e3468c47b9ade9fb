import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, formatNumber, formatSignedPercent, type DataClient, type Quote } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';

type Moves = Record<string, [price: number, changePercent: number]>;

// Two rounds of quotes the seeded backend never produces: the first load, then after Refresh.
const FIRST: Moves = { AAPL: [190.1, 1.2], MSFT: [401.25, -4.5], NVDA: [125.5, 3.3], AMZN: [180, -0.2], GOOGL: [170, 0.9], VTI: [270, 0.1], VXUS: [60.75, -2.8], BND: [72, 0] };
const SECOND: Moves = { AAPL: [200.05, 5.55], MSFT: [400, -0.1], NVDA: [117.6, -6.25], AMZN: [181, 0.3], GOOGL: [175.2, 2], VTI: [270, 0], VXUS: [61, 1], BND: [72, -0.05] };
const TOP_FIRST = ['MSFT', 'NVDA', 'VXUS'];
const TOP_SECOND = ['NVDA', 'AAPL', 'GOOGL'];

const toQuote = (symbol: string, [lastPrice, changePercent]: [number, number]): Quote => ({
  symbol,
  lastPrice,
  change: 0,
  changePercent,
  currency: 'USD',
  asOf: '2025-01-02T21:00:00.000Z',
});

/** The in-memory client, its quotes replaced: FIRST on the first call, SECOND on every later one. */
function stubClient() {
  let calls = 0;
  const getQuotes = vi.fn(async (symbols: readonly string[]) => {
    calls += 1;
    const moves = calls === 1 ? FIRST : SECOND;
    return symbols.map((symbol) => symbol.toUpperCase()).flatMap((symbol) => (moves[symbol] ? [toQuote(symbol, moves[symbol])] : []));
  });
  const client: DataClient = { ...createInMemoryDataClient(), getQuotes };
  return { client, getQuotes };
}

function findWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'top-movers');
  if (!widget) throw new Error('no widget with id "top-movers" in userWidgets (src/user-components/index.ts)');
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

/** Waits until the table shows the rows of `expected` (in order), then checks price, change and the change cell's class. */
async function expectMovers(container: HTMLElement, expected: string[], moves: Moves) {
  const bodyRows = () => within(container).queryAllByRole('row').filter((row) => row.querySelector('td') !== null);
  await waitFor(() => expect(bodyRows().map((row) => row.querySelector('th, td')?.textContent?.trim())).toEqual(expected));
  const rows = bodyRows();
  for (const [index, symbol] of expected.entries()) {
    const [price, change] = moves[symbol] ?? [0, 0];
    const cells = [...(rows[index]?.querySelectorAll('th, td') ?? [])];
    expect(cells[1]?.textContent?.trim(), `price of ${symbol}`).toBe(formatNumber(price));
    const changeCell = cells.find((cell) => cell.textContent?.trim() === formatSignedPercent(change));
    if (!changeCell) throw new Error(`no cell reading ${formatSignedPercent(change)} in the row of ${symbol}`);
    const wanted = change < 0 ? 'negative' : 'positive';
    const other = change < 0 ? 'positive' : 'negative';
    const hasClass = (name: string) => changeCell.classList.contains(name) || changeCell.querySelector(`.${name}`) !== null;
    expect(hasClass(wanted), `the Change % cell of ${symbol} has class "${wanted}"`).toBe(true);
    expect(hasClass(other), `the Change % cell of ${symbol} has no class "${other}"`).toBe(false);
  }
}

describe('top movers widget (final state after both turns)', () => {
  it('is registered in userWidgets with id "top-movers" and title "Top movers", exported as TopMoversWidget', async () => {
    const widget = findWidget();
    expect(widget.title).toBe('Top movers');
    const file = '../src/user-components/TopMoversWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.TopMoversWidget).toBe('function');
    expect(widget.component).toBe(module.TopMoversWidget);
  });

  it('shows the three largest absolute moves among all assets, largest first, with the change cell classed', async () => {
    const { client, getQuotes } = stubClient();
    const { container } = renderWidget(client);
    await expectMovers(container, TOP_FIRST, FIRST);
    const requested = new Set(getQuotes.mock.calls.flatMap(([symbols]) => symbols.map((symbol) => symbol.toUpperCase())));
    expect([...requested].sort()).toEqual(Object.keys(FIRST).sort());
  });

  it('loads the quotes again and updates the table when Refresh is clicked', async () => {
    const { client, getQuotes } = stubClient();
    const { container } = renderWidget(client);
    await expectMovers(container, TOP_FIRST, FIRST);
    const calls = getQuotes.mock.calls.length;
    fireEvent.click(within(container).getByRole('button', { name: 'Refresh' }));
    await expectMovers(container, TOP_SECOND, SECOND);
    expect(getQuotes.mock.calls.length).toBeGreaterThan(calls);
  });

  it('appears on the dashboard under the title "Top movers"', async () => {
    const { client } = stubClient();
    render(
      <DataClientProvider client={client}>
        <Dashboard />
      </DataClientProvider>,
    );
    const section = await screen.findByRole('region', { name: 'Top movers' });
    expect(await within(section).findByRole('button', { name: 'Refresh' })).toBeInTheDocument();
  });
});
