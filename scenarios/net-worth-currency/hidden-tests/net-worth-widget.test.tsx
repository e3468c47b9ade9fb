import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, formatCurrency, type DataClient, type ExchangeRates, type Quote, type Transaction } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';

// The user's answer to the clarifying question: Swiss francs.
const CURRENCY = 'CHF';

// Rates no real market has, so the amount can only come from getExchangeRates().
const RATES: ExchangeRates = { base: 'USD', rates: { USD: 1, EUR: 0.5, GBP: 0.25, CHF: 0.8, JPY: 100, CAD: 2 }, asOf: '2025-01-02T21:00:00.000Z' };

const buy = (portfolioId: string, symbol: string, quantity: number, price: number): Transaction => ({
  id: `${portfolioId}-${symbol}`,
  portfolioId,
  symbol,
  type: 'buy',
  quantity,
  price,
  currency: 'USD',
  date: '2024-02-01',
});
const quote = (symbol: string, lastPrice: number): Quote => ({ symbol, lastPrice, change: 0, changePercent: 0, currency: 'USD', asOf: '2025-01-02T21:00:00.000Z' });

// 10 AAPL at 200 + 4 VTI at 250 + 20 BND at 80 = 2,000 + 1,000 + 1,600 = 4,600 USD.
const USD_TOTAL = 4600;

function stubClient() {
  const transactions: Record<string, Transaction[]> = { one: [buy('one', 'AAPL', 10, 150), buy('one', 'VTI', 4, 240)], two: [buy('two', 'BND', 20, 70)] };
  const quotes = [quote('AAPL', 200), quote('VTI', 250), quote('BND', 80)];
  const getExchangeRates = vi.fn(async () => structuredClone(RATES));
  const client: DataClient = {
    ...createInMemoryDataClient(),
    getPortfolios: async () => [
      { id: 'one', name: 'One', baseCurrency: 'USD', createdAt: '2021-03-01' },
      { id: 'two', name: 'Two', baseCurrency: 'USD', createdAt: '2019-01-15' },
    ],
    getTransactions: async (portfolioId) => transactions[portfolioId] ?? [],
    getQuotes: async (symbols) => quotes.filter((entry) => symbols.some((symbol) => symbol.toUpperCase() === entry.symbol)),
    getExchangeRates,
  };
  return { client, getExchangeRates };
}

function findWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'net-worth');
  if (!widget) throw new Error('no widget with id "net-worth" in userWidgets (src/user-components/index.ts)');
  return widget;
}

/** The number in a formatted amount, e.g. "CHF 3,680.00" → 3680. */
const amountOf = (text: string) => Number(text.replace(/[^\d.-]/g, ''));

/** The element shows USD_TOTAL in CHF at the stub rate, formatted with formatCurrency (rounding to the cent allowed). */
function expectAmount(element: HTMLElement) {
  const expected = USD_TOTAL * (RATES.rates[CURRENCY] ?? Number.NaN);
  const text = element.textContent?.trim() ?? '';
  expect(text, `formatted with formatCurrency(amount, "${CURRENCY}")`).toContain(CURRENCY);
  expect(Math.abs(amountOf(text) - expected), `${text} should be ${formatCurrency(expected, CURRENCY)}`).toBeLessThan(0.02);
}

describe('net worth widget', () => {
  it('is registered in userWidgets with id "net-worth" and title "Net worth", exported as NetWorthWidget', async () => {
    const widget = findWidget();
    expect(widget.title).toBe('Net worth');
    const file = '../src/user-components/NetWorthWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.NetWorthWidget).toBe('function');
    expect(widget.component).toBe(module.NetWorthWidget);
  });

  it('shows the net worth in the currency the user asked for (CHF), converted with getExchangeRates()', async () => {
    const { client, getExchangeRates } = stubClient();
    const { component: Widget } = findWidget();
    render(
      <DataClientProvider client={client}>
        <Widget />
      </DataClientProvider>,
    );
    expectAmount(await screen.findByTestId('net-worth'));
    expect(getExchangeRates).toHaveBeenCalled();
  });

  it('appears on the dashboard under the title "Net worth"', async () => {
    const { client } = stubClient();
    render(
      <DataClientProvider client={client}>
        <Dashboard />
      </DataClientProvider>,
    );
    const section = await screen.findByRole('region', { name: 'Net worth' });
    expectAmount(await within(section).findByTestId('net-worth'));
  });
});
