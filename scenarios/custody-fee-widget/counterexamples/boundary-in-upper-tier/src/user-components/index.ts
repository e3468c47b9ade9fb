import type { WidgetDefinition } from '../core/index.ts';
import { CustodyFeeWidget } from './CustodyFeeWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'custody-fees', title: 'Custody fees', component: CustodyFeeWidget }];
