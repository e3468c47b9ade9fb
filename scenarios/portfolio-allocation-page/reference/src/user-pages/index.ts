import type { PageDefinition } from '../core/index.ts';
import { AllocationPage } from './AllocationPage.tsx';

/** Custom pages, each with its own navigation tab after "Dashboard". Add yours here. */
export const userPages: PageDefinition[] = [{ id: 'allocation', title: 'Allocation', component: AllocationPage }];
