import { z } from 'zod';
import type { LintFinding } from '../../core/domain/check-result.ts';
import { toReportPath } from './sandbox-paths.ts';

const MAX_MESSAGE_CHARS = 500;

/** The parts of ESLint's `json` formatter output the check reads (unknown keys are dropped). */
const eslintReportSchema = z.array(
  z.object({
    filePath: z.string(),
    messages: z.array(
      z.object({
        ruleId: z.string().nullable().optional(),
        /** 1 = warning, 2 = error (0 = off never appears in a report). */
        severity: z.number(),
        message: z.string(),
        line: z.number().optional(),
        column: z.number().optional(),
      }),
    ),
  }),
);

export type ParsedEslintReport =
  | { status: 'parsed'; findings: LintFinding[]; errorCount: number; warningCount: number }
  | { status: 'invalid'; error: string };

/** Reads an ESLint JSON report into findings with paths relative to the sandbox. */
export function parseEslintReport(text: string, sandboxRoots: readonly string[]): ParsedEslintReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: 'invalid', error: `the ESLint report is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = eslintReportSchema.safeParse(json);
  if (!parsed.success) return { status: 'invalid', error: `the ESLint report has an unexpected shape: ${parsed.error.issues[0]?.message ?? 'unknown'}` };
  const findings: LintFinding[] = [];
  for (const file of parsed.data) {
    const reportPath = toReportPath(sandboxRoots, file.filePath);
    for (const message of file.messages) {
      findings.push({
        file: reportPath,
        line: message.line ?? 0,
        column: message.column ?? 0,
        ruleId: message.ruleId ?? null,
        severity: message.severity >= 2 ? 'error' : 'warning',
        message: message.message.slice(0, MAX_MESSAGE_CHARS),
      });
    }
  }
  const errorCount = findings.filter((finding) => finding.severity === 'error').length;
  return { status: 'parsed', findings, errorCount, warningCount: findings.length - errorCount };
}

export function formatFinding(finding: LintFinding): string {
  return `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId ?? '(no rule)'}: ${finding.message}`;
}
