import type { WidgetDefinition } from '../core/index.ts';
import { PriceAlertsWidget } from './PriceAlertsWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'price-alerts', title: 'Price alerts', component: PriceAlertsWidget }];
