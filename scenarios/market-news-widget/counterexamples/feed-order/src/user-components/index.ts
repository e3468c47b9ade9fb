import type { WidgetDefinition } from '../core/index.ts';
import { MarketNewsWidget } from './MarketNewsWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'market-news', title: 'Market news', component: MarketNewsWidget }];
