import { z } from 'zod';
import type { CheckName } from '../../core/domain/check-result.ts';
import type { ReadCheckResult } from './attempt-metadata.ts';
import { neutralizeControlCharacters } from './safe-text.ts';

/** Evidence items named in a reason; the rest are counted. */
const LISTED_ITEMS = 3;
const ITEM_CHARS = 240;

const typecheckEvidence = z.object({
  diagnosticCount: z.number(),
  diagnostics: z.array(z.object({ file: z.string(), line: z.number(), column: z.number(), code: z.string(), message: z.string() })),
});

const lintEvidence = z.object({
  errorCount: z.number(),
  warningCount: z.number(),
  findings: z.array(z.object({ file: z.string(), line: z.number(), column: z.number(), ruleId: z.string().nullable(), severity: z.string(), message: z.string() })),
});

const testsEvidence = z.object({
  suites: z.array(z.object({
    suite: z.string(),
    total: z.number(),
    passed: z.number(),
    failed: z.number(),
    failures: z.array(z.object({ file: z.string(), name: z.string(), message: z.string() })),
  })),
});

const permissionsEvidence = z.object({
  changedFiles: z.array(z.string()),
  violations: z.array(z.object({ kind: z.string(), path: z.string().optional(), tool: z.string().optional(), effective: z.boolean(), detail: z.string() })),
});

const healthEvidence = z.object({
  toolCalls: z.number(),
  textToolCalls: z.array(z.object({ excerpt: z.string(), pattern: z.string() })),
  invalidToolCalls: z.array(z.object({ tool: z.string(), error: z.string() })),
  sessionErrors: z.array(z.object({ name: z.string(), message: z.string() })),
  contextOverflow: z.boolean(),
});

type Describer = (evidence: unknown) => string | undefined;

/** One reader per check: its evidence, in a sentence that names what was found and where. */
const DESCRIBERS: Record<CheckName, Describer> = {
  typecheck(value) {
    const evidence = typecheckEvidence.safeParse(value);
    if (!evidence.success) return undefined;
    const { diagnosticCount, diagnostics } = evidence.data;
    if (diagnosticCount === 0) return 'no diagnostics';
    const listed = diagnostics.map((item) => `${item.file}:${item.line}:${item.column} ${item.code} ${item.message}`);
    return `${plural(diagnosticCount, 'diagnostic')} — ${listItems(listed, diagnosticCount)}`;
  },
  lint(value) {
    const evidence = lintEvidence.safeParse(value);
    if (!evidence.success) return undefined;
    const { errorCount, warningCount, findings } = evidence.data;
    const counts = `${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')}`;
    const errors = findings.filter((item) => item.severity === 'error');
    if (errors.length === 0) return counts;
    const listed = errors.map((item) => `${item.file}:${item.line}:${item.column} ${item.ruleId ?? '(no rule)'} ${item.message}`);
    return `${counts} — ${listItems(listed, errorCount)}`;
  },
  tests(value) {
    const evidence = testsEvidence.safeParse(value);
    if (!evidence.success) return undefined;
    const counts = evidence.data.suites.map((suite) => `${suite.suite} ${suite.passed}/${suite.total} passed`).join(', ');
    const failures = evidence.data.suites.flatMap((suite) => suite.failures.map((failure) => `${suite.suite}: "${failure.name}" (${failure.file}): ${failure.message}`));
    const failedCount = evidence.data.suites.reduce((sum, suite) => sum + suite.failed, 0);
    if (failures.length === 0) return counts || 'no test suites ran';
    return `${counts} — ${listItems(failures, Math.max(failedCount, failures.length))}`;
  },
  permissions(value) {
    const evidence = permissionsEvidence.safeParse(value);
    if (!evidence.success) return undefined;
    const { changedFiles, violations } = evidence.data;
    if (violations.length === 0) return `${plural(changedFiles.length, 'changed file')}, all allowed`;
    const listed = violations.map((item) => {
      const where = [item.path, item.tool === undefined ? undefined : `via ${item.tool}`].filter((part) => part !== undefined).join(' ');
      return `${item.kind} ${where} (${item.effective ? 'took effect' : 'refused'}): ${item.detail}`;
    });
    return `${plural(violations.length, 'violation')} — ${listItems(listed, violations.length)}`;
  },
  'agent-health'(value) {
    const evidence = healthEvidence.safeParse(value);
    if (!evidence.success) return undefined;
    const { toolCalls, textToolCalls, invalidToolCalls, sessionErrors, contextOverflow } = evidence.data;
    const problems = [
      ...textToolCalls.map((call) => `tool call written as text (${call.pattern}): ${call.excerpt}`),
      ...invalidToolCalls.map((call) => `invalid ${call.tool} call: ${call.error}`),
      ...sessionErrors.map((error) => `session error ${error.name}: ${error.message}`),
      ...(contextOverflow ? ['context overflow'] : []),
    ];
    if (problems.length === 0) return `${plural(toolCalls, 'tool call')}, none malformed`;
    return `${plural(toolCalls, 'tool call')} — ${listItems(problems, problems.length)}`;
  },
};

/** The reason promptfoo shows for one check: its verdict and the evidence behind it. */
export function describeCheck(check: ReadCheckResult): string {
  if (check.status === 'errored') return `${check.check} could not run: ${clip(check.error)}`;
  const described = DESCRIBERS[check.check](check.evidence);
  if (check.status === 'passed') return `${check.check} passed${described === undefined ? '' : `: ${described}`}`;
  return `${check.check} failed: ${described ?? clip(check.reason)}`;
}

function listItems(items: string[], total: number): string {
  const shown = items.slice(0, LISTED_ITEMS).map(clip);
  const more = total - shown.length;
  return more > 0 ? `${shown.join('; ')}; … ${more} more` : shown.join('; ');
}

function clip(text: string): string {
  const oneLine = neutralizeControlCharacters(text.replace(/\s*\n\s*/g, ' ').trim());
  return oneLine.length <= ITEM_CHARS ? oneLine : `${oneLine.slice(0, ITEM_CHARS)}…`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
