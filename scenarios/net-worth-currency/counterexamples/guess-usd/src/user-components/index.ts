import type { WidgetDefinition } from '../core/index.ts';
import { NetWorthWidget } from './NetWorthWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'net-worth', title: 'Net worth', component: NetWorthWidget }];
