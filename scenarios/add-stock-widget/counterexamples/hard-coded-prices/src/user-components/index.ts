import type { WidgetDefinition } from '../core/index.ts';
import { StockQuotesWidget } from './StockQuotesWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [
  { id: 'stock-quotes', title: 'Watchlist', component: StockQuotesWidget },
];
