import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, formatCurrency, formatDate, type DataClient, type Transaction } from '../src/core/index.ts';
import { App } from '../src/core/App.tsx';
import { userPages } from '../src/user-pages/index.ts';

const trade = (id: string, portfolioId: string, date: string, symbol: string, type: 'buy' | 'sell', quantity: number, price: number): Transaction => ({
  id,
  portfolioId,
  symbol,
  type,
  quantity,
  price,
  currency: 'USD',
  date,
});

// Transactions the seeded backend never has (amounts: t1 1,500; t2 800; t3 720; t4 1,840; t5 2,900; t6 430).
const TRANSACTIONS: Record<string, Transaction[]> = {
  alpha: [trade('t1', 'alpha', '2024-03-10', 'AAPL', 'buy', 10, 150), trade('t2', 'alpha', '2024-05-02', 'MSFT', 'buy', 2, 400), trade('t3', 'alpha', '2024-07-15', 'AAPL', 'sell', 4, 180)],
  beta: [trade('t4', 'beta', '2024-01-20', 'VTI', 'buy', 8, 230), trade('t5', 'beta', '2024-06-11', 'BND', 'buy', 40, 72.5), trade('t6', 'beta', '2024-08-30', 'MSFT', 'sell', 1, 430)],
};
const ALL = Object.values(TRANSACTIONS).flat();
const byId = (id: string) => ALL.find((transaction) => transaction.id === id) ?? ALL[0]!;

function stubClient(): DataClient {
  return {
    ...createInMemoryDataClient(),
    getPortfolios: async () => [
      { id: 'alpha', name: 'Alpha', baseCurrency: 'USD', createdAt: '2021-03-01' },
      { id: 'beta', name: 'Beta', baseCurrency: 'USD', createdAt: '2019-01-15' },
    ],
    getTransactions: async (portfolioId) => structuredClone(TRANSACTIONS[portfolioId] ?? []),
  };
}

function findPage() {
  const page = userPages.find((definition) => definition.id === 'transactions');
  if (!page) throw new Error('no page with id "transactions" in userPages (src/user-pages/index.ts)');
  return page;
}

async function renderPage() {
  const { component: Page } = findPage();
  const view = render(
    <DataClientProvider client={stubClient()}>
      <Page />
    </DataClientProvider>,
  );
  await screen.findByRole('columnheader', { name: 'Amount' });
  return view;
}

function table(): HTMLTableElement {
  const header = screen.getByRole('columnheader', { name: 'Amount' });
  const element = header.closest('table');
  if (!element) throw new Error('the Amount header is not in a table');
  return element;
}

function columnIndex(name: string): number {
  const headers = within(table()).getAllByRole('columnheader').map((header) => header.textContent?.trim());
  const index = headers.indexOf(name);
  if (index === -1) throw new Error(`no column "${name}" (columns: ${headers.join(', ')})`);
  return index;
}

/** The ids of the shown transactions, in row order, recognised by their (unique) formatted date. */
function shownIds(): string[] {
  const dateColumn = columnIndex('Date');
  return within(table())
    .getAllByRole('row')
    .slice(1)
    .map((row) => {
      const text = [...row.querySelectorAll('th, td')][dateColumn]?.textContent?.trim();
      return ALL.find((transaction) => formatDate(transaction.date) === text)?.id ?? `?${text}`;
    });
}

function choose(label: string, optionName: string) {
  const select = screen.getByLabelText(label) as HTMLSelectElement;
  const option = within(select).getByRole('option', { name: optionName }) as HTMLOptionElement;
  fireEvent.change(select, { target: { value: option.value } });
}

const headerCell = (name: string) => screen.getByRole('columnheader', { name });
const showing = (shown: number, total: number) => new RegExp(`Showing\\s+${shown}\\s+of\\s+${total}\\s+transactions`);

describe('transactions page', () => {
  it('is registered in userPages with id "transactions" and title "Transactions", exported as TransactionsPage', async () => {
    const page = findPage();
    expect(page.title).toBe('Transactions');
    const file = '../src/user-pages/TransactionsPage.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.TransactionsPage).toBe('function');
    expect(page.component).toBe(module.TransactionsPage);
  });

  it('lists every transaction of every portfolio, newest first, with the columns and formats asked for', async () => {
    await renderPage();
    expect(within(table()).getAllByRole('columnheader').map((header) => header.textContent?.trim())).toEqual(['Date', 'Portfolio', 'Type', 'Symbol', 'Quantity', 'Price', 'Amount']);
    expect(shownIds()).toEqual(['t6', 't3', 't5', 't2', 't1', 't4']);
    expect(headerCell('Date')).toHaveAttribute('aria-sort', 'descending');
    const bondRow = within(table()).getAllByRole('row')[3];
    const cells = [...(bondRow?.querySelectorAll('th, td') ?? [])].map((cell) => cell.textContent?.trim());
    const bond = byId('t5');
    expect(cells).toEqual([formatDate(bond.date), 'Beta', 'buy', 'BND', '40', formatCurrency(72.5, 'USD'), formatCurrency(2900, 'USD')]);
    expect(screen.getByText(showing(6, 6))).toBeInTheDocument();
  });

  it('filters by portfolio, type and symbol text (ignoring case), combined', async () => {
    await renderPage();
    const portfolioOptions = within(screen.getByLabelText('Portfolio')).getAllByRole('option').map((option) => option.textContent?.trim());
    expect(portfolioOptions).toEqual(['All portfolios', 'Alpha', 'Beta']);
    expect(within(screen.getByLabelText('Type')).getAllByRole('option').map((option) => option.textContent?.trim())).toEqual(['All types', 'buy', 'sell']);
    choose('Portfolio', 'Beta');
    expect(shownIds()).toEqual(['t6', 't5', 't4']);
    expect(screen.getByText(showing(3, 6))).toBeInTheDocument();
    choose('Type', 'sell');
    expect(shownIds()).toEqual(['t6']);
    expect(screen.getByText(showing(1, 6))).toBeInTheDocument();
    choose('Portfolio', 'All portfolios');
    choose('Type', 'All types');
    fireEvent.change(screen.getByLabelText('Symbol'), { target: { value: 'ms' } });
    expect(shownIds()).toEqual(['t6', 't2']);
    choose('Type', 'buy');
    expect(shownIds()).toEqual(['t2']);
    expect(screen.getByText(showing(1, 6))).toBeInTheDocument();
  });

  it('sorts by Amount on a click and reverses on a second click, with aria-sort on the header', async () => {
    await renderPage();
    const ascending = ['t6', 't3', 't2', 't1', 't4', 't5'];
    fireEvent.click(within(headerCell('Amount')).getByRole('button', { name: 'Amount' }));
    const first = headerCell('Amount').getAttribute('aria-sort');
    expect(['ascending', 'descending']).toContain(first);
    expect(shownIds()).toEqual(first === 'ascending' ? ascending : [...ascending].reverse());
    expect(['none', null]).toContain(headerCell('Date').getAttribute('aria-sort'));
    fireEvent.click(within(headerCell('Amount')).getByRole('button', { name: 'Amount' }));
    const second = headerCell('Amount').getAttribute('aria-sort');
    expect(second).toBe(first === 'ascending' ? 'descending' : 'ascending');
    expect(shownIds()).toEqual(second === 'ascending' ? ascending : [...ascending].reverse());
  });

  it('sorts by Date again from its header button, reversing on a second click', async () => {
    await renderPage();
    const newestFirst = ['t6', 't3', 't5', 't2', 't1', 't4'];
    fireEvent.click(within(headerCell('Amount')).getByRole('button', { name: 'Amount' }));
    fireEvent.click(within(headerCell('Date')).getByRole('button', { name: 'Date' }));
    const first = headerCell('Date').getAttribute('aria-sort');
    expect(shownIds()).toEqual(first === 'descending' ? newestFirst : [...newestFirst].reverse());
    fireEvent.click(within(headerCell('Date')).getByRole('button', { name: 'Date' }));
    expect(shownIds()).toEqual(first === 'descending' ? [...newestFirst].reverse() : newestFirst);
  });

  it('opens from the navigation tab "Transactions"', async () => {
    render(<App client={stubClient()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Transactions' }));
    expect(await screen.findByText(showing(6, 6))).toBeInTheDocument();
  });
});
