import { useState } from 'react';
import { formatDate, useDataQuery } from '../core/index.ts';

const ALL_SOURCES = '';

/** Market news from the core data client, newest first, filterable by source. */
export function MarketNewsWidget() {
  const state = useDataQuery((client) => client.getNews(), []);
  const [source, setSource] = useState(ALL_SOURCES);

  if (state.status === 'loading') return <p role="status">Loading news…</p>;
  if (state.status === 'error') return <p role="alert">Could not load news: {state.error.message}</p>;

  const sources = [...new Set(state.data.map((item) => item.source))].sort((a, b) => a.localeCompare(b));
  const stories = state.data
    .filter((item) => source === ALL_SOURCES || item.source === source)
    .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));

  return (
    <div>
      <label>
        Source{' '}
        <select value={source} onChange={(event) => setSource(event.target.value)}>
          <option value={ALL_SOURCES}>All sources</option>
          {sources.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {stories.length === 0 ? (
        <p>No news</p>
      ) : (
        <ul>
          {stories.map((item) => (
            <li key={item.id}>
              <a href={item.url}>{item.headline}</a> — {item.source}, {formatDate(item.publishedAt)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
