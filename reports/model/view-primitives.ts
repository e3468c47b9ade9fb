/** The smallest pieces of the report's view model, shared by every view. */

/** How an outcome is shown; also a CSS class. */
export type OutcomeTone = 'passed' | 'failed' | 'timed-out' | 'infra-error' | 'pending';

/** How a table cell is shown; also a CSS class. */
export type CellTone = 'text' | 'code' | 'pre' | 'good' | 'bad' | 'warn' | 'muted';

export interface FactView {
  label: string;
  value: string;
}
