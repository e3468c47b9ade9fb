import type { WidgetDefinition } from '../core/index.ts';
import { RebalanceAlertWidget } from './RebalanceAlertWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'rebalance-alert', title: 'Rebalancing', component: RebalanceAlertWidget }];
