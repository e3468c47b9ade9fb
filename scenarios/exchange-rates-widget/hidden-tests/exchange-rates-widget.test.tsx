import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, type DataClient, type ExchangeRates } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';

/** Rates the seeded backend never returns, in no particular order, the base currency among them. */
const STUB_RATES: ExchangeRates = {
  base: 'USD',
  rates: { USD: 1, GBP: 0.8, JPY: 150.5, EUR: 0.9, CHF: 0.88 },
  asOf: '2025-01-02T21:00:00.000Z',
};

function stubClient(): DataClient {
  return { ...createInMemoryDataClient(), getExchangeRates: async () => STUB_RATES };
}

function registeredWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'exchange-rates');
  expect(widget, 'a widget with id "exchange-rates" in userWidgets (src/user-components/index.ts)').toBeDefined();
  return widget as NonNullable<typeof widget>;
}

async function renderRates() {
  const { component: Widget } = registeredWidget();
  render(
    <DataClientProvider client={stubClient()}>
      <Widget />
    </DataClientProvider>,
  );
  return (await screen.findByRole('columnheader', { name: 'Currency' })).closest('table') as HTMLElement;
}

describe('exchange rates widget', () => {
  it('is registered in userWidgets with id "exchange-rates" and title "Exchange rates", exported as ExchangeRatesWidget', async () => {
    const widget = registeredWidget();
    expect(widget.title).toBe('Exchange rates');
    const file = '../src/user-components/ExchangeRatesWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(widget.component).toBe(module.ExchangeRatesWidget);
  });

  it('has the columns the platform docs prescribe: Currency, Rate, Inverse', async () => {
    const table = await renderRates();
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent?.trim())).toEqual(['Currency', 'Rate', 'Inverse']);
  });

  it('lists every currency but the base by code, the rate with four decimals (two from 100 on) and the inverse with four', async () => {
    const table = await renderRates();
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''));
    expect(rows).toEqual([
      ['CHF', '0.8800', '1.1364'],
      ['EUR', '0.9000', '1.1111'],
      ['GBP', '0.8000', '1.2500'],
      ['JPY', '150.50', '0.0066'],
    ]);
  });

  it('says below the table how current the rates are', async () => {
    const table = await renderRates();
    const note = screen.getByText(/^Rates as of /);
    expect(note).toHaveTextContent(/^Rates as of Jan 2, 2025$/);
    expect(table.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('shows on the dashboard under the heading "Exchange rates"', async () => {
    render(
      <DataClientProvider client={stubClient()}>
        <Dashboard />
      </DataClientProvider>,
    );
    const section = screen.getByRole('heading', { name: 'Exchange rates' }).closest('section') as HTMLElement;
    expect(await within(section).findByText('JPY')).toBeInTheDocument();
  });
});
