import type { WidgetDefinition } from '../core/index.ts';
import { PositionsWidget } from './PositionsWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'positions', title: 'Positions', component: PositionsWidget }];
