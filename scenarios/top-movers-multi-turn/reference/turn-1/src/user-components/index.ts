import type { WidgetDefinition } from '../core/index.ts';
import { TopMoversWidget } from './TopMoversWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'top-movers', title: 'Top movers', component: TopMoversWidget }];
