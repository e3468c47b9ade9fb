import { useMemo, useState } from 'react';
import { formatCurrency, formatDate, useDataQuery, type Transaction } from '../core/index.ts';

type SortKey = 'date' | 'amount';
type Direction = 'ascending' | 'descending';

interface Row extends Transaction {
  portfolioName: string;
  amount: number;
}

const ALL = '';

/** Every transaction of every portfolio, filterable and sortable. */
export function TransactionsPage() {
  const state = useDataQuery(async (client) => {
    const portfolios = await client.getPortfolios();
    const lists = await Promise.all(
      portfolios.map(async (portfolio) =>
        (await client.getTransactions(portfolio.id)).map((transaction): Row => ({ ...transaction, portfolioName: portfolio.name, amount: transaction.quantity * transaction.price })),
      ),
    );
    return { portfolios, rows: lists.flat() };
  }, []);
  const [portfolioId, setPortfolioId] = useState(ALL);
  const [type, setType] = useState(ALL);
  const [symbol, setSymbol] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction }>({ key: 'date', direction: 'descending' });

  const rows = useMemo(() => {
    if (state.status !== 'success') return [];
    const needle = symbol.trim().toLowerCase();
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return state.data.rows
      .filter((row) => (portfolioId === ALL || row.portfolioId === portfolioId) && (type === ALL || row.type === type) && row.symbol.toLowerCase().includes(needle))
      .sort((a, b) => sign * (sort.key === 'date' ? a.date.localeCompare(b.date) : a.amount - b.amount));
  }, [state, portfolioId, type, symbol, sort]);

  if (state.status === 'loading') return <p role="status">Loading transactions…</p>;
  if (state.status === 'error') return <p role="alert">Could not load transactions: {state.error.message}</p>;

  const sortBy = (key: SortKey) =>
    setSort((current) => ({ key, direction: current.key === key && current.direction === 'descending' ? 'ascending' : current.key === key ? 'descending' : 'ascending' }));
  const ariaSort = (key: SortKey) => (sort.key === key ? sort.direction : undefined);

  return (
    <section>
      <h2>Transactions</h2>
      <div className="filters">
        <label>
          Portfolio{' '}
          <select value={portfolioId} onChange={(event) => setPortfolioId(event.target.value)}>
            <option value={ALL}>All portfolios</option>
            {state.data.portfolios.map((portfolio) => (
              <option key={portfolio.id} value={portfolio.id}>
                {portfolio.name}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Type{' '}
          <select value={type} onChange={(event) => setType(event.target.value)}>
            <option value={ALL}>All types</option>
            <option value="buy">buy</option>
            <option value="sell">sell</option>
          </select>
        </label>{' '}
        <label>
          Symbol <input type="text" value={symbol} onChange={(event) => setSymbol(event.target.value)} />
        </label>
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col" aria-sort={ariaSort('date')}>
              <button type="button" onClick={() => sortBy('date')}>
                Date
              </button>
            </th>
            <th scope="col">Portfolio</th>
            <th scope="col">Type</th>
            <th scope="col">Symbol</th>
            <th scope="col">Quantity</th>
            <th scope="col">Price</th>
            <th scope="col" aria-sort={ariaSort('amount')}>
              <button type="button" onClick={() => sortBy('amount')}>
                Amount
              </button>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{formatDate(row.date)}</td>
              <td>{row.portfolioName}</td>
              <td>{row.type}</td>
              <td>{row.symbol}</td>
              <td>{row.quantity}</td>
              <td>{formatCurrency(row.price, row.currency)}</td>
              <td>{formatCurrency(row.amount, row.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Showing {rows.length} of {state.data.rows.length} transactions
      </p>
    </section>
  );
}
