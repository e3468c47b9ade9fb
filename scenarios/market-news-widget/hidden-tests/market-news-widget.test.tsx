import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, formatDate, type DataClient, type NewsItem } from '../src/core/index.ts';
import { Dashboard } from '../src/core/Dashboard.tsx';
import { userWidgets } from '../src/user-components/index.ts';

// A feed the seeded backend never delivers, out of order, so sorting and filtering can only come from the widget.
const STUB_NEWS: NewsItem[] = [
  { id: 's1', headline: 'Gamma sees steady demand', source: 'Gamma Daily', publishedAt: '2025-02-03T10:00:00.000Z', symbols: [], url: 'https://stub.example/s1' },
  { id: 's2', headline: 'Alpha reports record quarter', source: 'Alpha Wire', publishedAt: '2025-02-05T08:30:00.000Z', symbols: ['AAPL'], url: 'https://stub.example/s2' },
  { id: 's3', headline: 'Beta cuts its outlook', source: 'Beta Times', publishedAt: '2025-01-28T16:00:00.000Z', symbols: [], url: 'https://stub.example/s3' },
  { id: 's4', headline: 'Alpha opens a new plant', source: 'Alpha Wire', publishedAt: '2025-01-30T12:00:00.000Z', symbols: [], url: 'https://stub.example/s4' },
  { id: 's5', headline: 'Markets drift before the holiday', source: 'Beta Times', publishedAt: '2025-02-04T20:45:00.000Z', symbols: [], url: 'https://stub.example/s5' },
];
const NEWEST_FIRST = ['s2', 's5', 's1', 's4', 's3'];

function stubClient(news: NewsItem[] = STUB_NEWS) {
  const getNews = vi.fn(async () => structuredClone(news));
  const client: DataClient = { ...createInMemoryDataClient(), getNews };
  return { client, getNews };
}

function findWidget() {
  const widget = userWidgets.find((definition) => definition.id === 'market-news');
  if (!widget) throw new Error('no widget with id "market-news" in userWidgets (src/user-components/index.ts)');
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

const headlineOf = (id: string) => STUB_NEWS.find((item) => item.id === id)?.headline ?? id;

/** The headlines listed right now (none while loading). */
function shownHeadlines(container: HTMLElement): string[] {
  return within(container)
    .queryAllByRole('listitem')
    .map((item) => within(item).queryByRole('link')?.textContent?.trim() ?? '');
}

async function listedHeadlines(container: HTMLElement): Promise<string[]> {
  const list = await within(container).findByRole('list');
  return within(list)
    .getAllByRole('listitem')
    .map((item) => within(item).getByRole('link').textContent?.trim() ?? '');
}

describe('market news widget', () => {
  it('is registered in userWidgets with id "market-news" and title "Market news", exported as MarketNewsWidget', async () => {
    const widget = findWidget();
    expect(widget.title).toBe('Market news');
    const file = '../src/user-components/MarketNewsWidget.tsx';
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    expect(typeof module.MarketNewsWidget).toBe('function');
    expect(widget.component).toBe(module.MarketNewsWidget);
  });

  it('lists every story from getNews(), newest first, with a link, the source and the date', async () => {
    const { client, getNews } = stubClient();
    const { container } = renderWidget(client);
    expect(await listedHeadlines(container)).toEqual(NEWEST_FIRST.map(headlineOf));
    expect(getNews).toHaveBeenCalled();
    const first = within(container).getAllByRole('listitem')[0];
    if (!first) throw new Error('no list item');
    expect(within(first).getByRole('link')).toHaveAttribute('href', 'https://stub.example/s2');
    expect(first.textContent).toContain('Alpha Wire');
    expect(first.textContent).toContain(formatDate('2025-02-05T08:30:00.000Z'));
  });

  it('offers "All sources" and then each source alphabetically in a select labelled Source', async () => {
    const { client } = stubClient();
    const { container } = renderWidget(client);
    await listedHeadlines(container);
    const select = within(container).getByLabelText('Source');
    const options = within(select).getAllByRole('option').map((option) => option.textContent?.trim());
    expect(options).toEqual(['All sources', 'Alpha Wire', 'Beta Times', 'Gamma Daily']);
    expect((within(select).getByRole('option', { name: 'All sources' }) as HTMLOptionElement).selected).toBe(true);
  });

  it('shows only the chosen source’s stories, and all of them again for "All sources"', async () => {
    const { client } = stubClient();
    const { container } = renderWidget(client);
    await listedHeadlines(container);
    const select = within(container).getByLabelText('Source') as HTMLSelectElement;
    const optionValue = (label: string) => (within(select).getByRole('option', { name: label }) as HTMLOptionElement).value;
    fireEvent.change(select, { target: { value: optionValue('Beta Times') } });
    await waitFor(() => expect(shownHeadlines(container)).toEqual(['s5', 's3'].map(headlineOf)));
    fireEvent.change(within(container).getByLabelText('Source'), { target: { value: optionValue('All sources') } });
    await waitFor(() => expect(shownHeadlines(container)).toEqual(NEWEST_FIRST.map(headlineOf)));
  });

  it('shows "No news" when the feed is empty', async () => {
    const { client } = stubClient([]);
    const { container } = renderWidget(client);
    expect(await within(container).findByText(/^\s*No news\.?\s*$/)).toBeInTheDocument();
    expect(within(container).queryAllByRole('listitem')).toHaveLength(0);
  });

  it('appears on the dashboard under the title "Market news"', async () => {
    const { client } = stubClient();
    render(
      <DataClientProvider client={client}>
        <Dashboard />
      </DataClientProvider>,
    );
    const section = await screen.findByRole('region', { name: 'Market news' });
    expect(await listedHeadlines(section)).toEqual(NEWEST_FIRST.map(headlineOf));
  });
});
