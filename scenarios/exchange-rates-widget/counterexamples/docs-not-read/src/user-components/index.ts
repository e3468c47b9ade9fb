import type { WidgetDefinition } from '../core/index.ts';
import { ExchangeRatesWidget } from './ExchangeRatesWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'exchange-rates', title: 'Exchange rates', component: ExchangeRatesWidget }];
