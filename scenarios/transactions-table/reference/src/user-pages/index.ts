import type { PageDefinition } from '../core/index.ts';
import { TransactionsPage } from './TransactionsPage.tsx';

/** Custom pages, each with its own navigation tab after "Dashboard". Add yours here. */
export const userPages: PageDefinition[] = [{ id: 'transactions', title: 'Transactions', component: TransactionsPage }];
