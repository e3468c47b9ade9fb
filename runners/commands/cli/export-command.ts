import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.ts';
import { readEventLog } from '../../pipeline/events/event-log.ts';
import { buildReportRedactor } from '../../pipeline/run/start-run.ts';
import { toPromptfooEvalFile } from '../promptfoo/promptfoo-export.ts';
import { summarizeRun } from '../../pipeline/summary/summarize.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';

interface Exporter {
  /** File name used when --out is not given, inside the run folder. */
  defaultFile: string;
  render(summary: RunSummary, runDir: string): string;
}

/** Every export format; a new one fails to compile until it has an exporter. */
export const EXPORT_FORMATS = ['promptfoo'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXPORTERS: Record<ExportFormat, Exporter> = {
  promptfoo: {
    defaultFile: 'promptfoo-eval.json',
    render: (summary, runDir) => `${JSON.stringify(toPromptfooEvalFile(summary, runDir), null, 2)}\n`,
  },
};

export interface ExportOptions {
  format: string;
  out?: string | undefined;
}

export interface ExportResult {
  file: string;
  summary: RunSummary;
  logProblems: Array<{ line: number; reason: string }>;
}

/** `harness export --format promptfoo <runDir>`: a run's results in another tool's format. */
export function exportCommand(runDir: string, options: ExportOptions): ExportResult {
  const format = EXPORT_FORMATS.find((known) => known === options.format);
  if (format === undefined) {
    throw new UserError('CLI_USAGE', `--format ${options.format}: unknown export format; known: ${EXPORT_FORMATS.join(', ')}`);
  }
  const absoluteRunDir = path.resolve(runDir);
  const { events, problems } = readEventLog(absoluteRunDir);
  const summary = summarizeRun(events);
  const exporter = EXPORTERS[format];
  const file = path.resolve(options.out ?? path.join(absoluteRunDir, exporter.defaultFile));
  mkdirSync(path.dirname(file), { recursive: true });
  // A second wall: the log is redacted already; no secret this machine knows leaves in an export.
  writeFileSync(file, buildReportRedactor(summary.targets).redactText(exporter.render(summary, absoluteRunDir)));
  return { file, summary, logProblems: problems };
}
