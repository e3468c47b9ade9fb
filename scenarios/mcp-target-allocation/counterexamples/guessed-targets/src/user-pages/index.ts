import type { PageDefinition } from '../core/index.ts';
import { TargetsPage } from './TargetsPage.tsx';

/** Custom pages, each with its own navigation tab after "Dashboard". Add yours here. */
export const userPages: PageDefinition[] = [{ id: 'targets', title: 'Targets', component: TargetsPage }];
