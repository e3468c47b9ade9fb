import type { PageDefinition } from '../core/index.ts';
import { RebalancePage } from './RebalancePage.tsx';

/** Custom pages, each with its own navigation tab after "Dashboard". Add yours here. */
export const userPages: PageDefinition[] = [{ id: 'rebalance', title: 'Rebalance', component: RebalancePage }];
