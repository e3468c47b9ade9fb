import type { AgentHealthEvidence, CheckName, EvidenceByCheck, LintEvidence, PermissionsEvidence, TestSuiteEvidence, TestsEvidence, TypecheckEvidence, ViolationKind } from '../../runners/core/domain/check-result.ts';
import { describeEgressTarget } from '../../runners/core/domain/egress.ts';
import { formatCount, truncateText } from './format.ts';
import type { CellView, EvidenceBlockView } from './attempt-view-types.ts';
import type { CellTone, FactView } from './view-primitives.ts';

export interface EvidenceView {
  facts: FactView[];
  blocks: EvidenceBlockView[];
}

const MAX_CELL_CHARS = 4000;

const VIOLATION_LABELS: Record<ViolationKind, string> = {
  'edit-outside-allowed': 'Edit outside allowed paths',
  'denied-edit-attempt': 'Denied edit attempt',
  'denied-read-attempt': 'Denied read attempt',
  'denied-tool-attempt': 'Denied tool attempt',
  'refused-permission': 'Refused permission',
  'sandbox-escape': 'Sandbox escape',
  tampering: 'Tampering with tests or check configuration',
  'network-egress': 'Network connection refused',
  'secret-exposure': 'Secret exposed',
  'webfetch-denied-domain': 'Fetch from a host off the allow-list',
  'plan-mode-change': 'Change made in Plan (read-only)',
};

const SUITE_LABELS: Record<TestSuiteEvidence['suite'], string> = {
  fixture: "Fixture's own tests",
  acceptance: 'Acceptance tests (hidden)',
};

/** One evidence renderer per check: a new check fails to compile until it has one. */
const EVIDENCE_VIEWS: { [K in CheckName]: (evidence: EvidenceByCheck[K]) => EvidenceView } = {
  typecheck: viewTypecheckEvidence,
  lint: viewLintEvidence,
  tests: viewTestsEvidence,
  permissions: viewPermissionsEvidence,
  'agent-health': viewAgentHealthEvidence,
};

export function viewEvidence<K extends CheckName>(check: K, evidence: EvidenceByCheck[K]): EvidenceView {
  return EVIDENCE_VIEWS[check](evidence);
}

function viewTypecheckEvidence(evidence: TypecheckEvidence): EvidenceView {
  return {
    facts: [fact('Exit code', evidence.exitCode), fact('Diagnostics', describeShown(evidence.diagnosticCount, evidence.diagnostics.length))],
    blocks: [
      block('Diagnostics', ['Location', 'Code', 'Message'], evidence.diagnostics.map((diagnostic) => [
        cell(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`, 'code'),
        cell(diagnostic.code, 'code'),
        cell(diagnostic.message, 'pre'),
      ])),
    ],
  };
}

function viewLintEvidence(evidence: LintEvidence): EvidenceView {
  return {
    facts: [fact('Exit code', evidence.exitCode), fact('Errors', evidence.errorCount), fact('Warnings', evidence.warningCount)],
    blocks: [
      block('Findings', ['Location', 'Severity', 'Rule', 'Message'], evidence.findings.map((finding) => [
        cell(`${finding.file}:${finding.line}:${finding.column}`, 'code'),
        cell(finding.severity, finding.severity === 'error' ? 'bad' : 'warn'),
        cell(finding.ruleId ?? '(none)', 'code'),
        cell(finding.message, 'pre'),
      ])),
    ],
  };
}

function viewTestsEvidence(evidence: TestsEvidence): EvidenceView {
  return {
    facts: [fact('Exit code', evidence.exitCode), fact('Suites', evidence.suites.length)],
    blocks: evidence.suites.map((suite) => ({
      ...block(SUITE_LABELS[suite.suite], ['File', 'Test', 'Message'], suite.failures.map((failure) => [
        cell(failure.file, 'code'),
        cell(failure.name, 'text'),
        cell(failure.message, 'pre'),
      ])),
      note: `${formatCount(suite.total)} total · ${formatCount(suite.passed)} passed · ${formatCount(suite.failed)} failed · ${formatCount(suite.skipped)} skipped`,
    })),
  };
}

function optionalCell(text: string | undefined): CellView {
  return text === undefined ? cell('—', 'muted') : cell(text, 'code');
}

function describeViolationHost(violation: PermissionsEvidence['violations'][number]): string | undefined {
  if (violation.host === undefined) return undefined;
  return describeEgressTarget({ host: violation.host, port: violation.port });
}

function viewPermissionsEvidence(evidence: PermissionsEvidence): EvidenceView {
  return {
    facts: [fact('Changed files', evidence.changedFiles.length), fact('Violations', evidence.violations.length)],
    blocks: [
      block('Violations', ['Kind', 'Path or host', 'Tool or check', 'Call id', 'Effect', 'Detail'], evidence.violations.map((violation) => [
        cell(VIOLATION_LABELS[violation.kind], 'bad'),
        optionalCell(violation.path ?? describeViolationHost(violation)),
        optionalCell(violation.tool ?? (violation.check === undefined ? undefined : `check: ${violation.check}`)),
        cell(violation.callId ?? '—', violation.callId === undefined ? 'muted' : 'code'),
        violation.effective ? cell('effective', 'bad') : cell('attempted only', 'warn'),
        cell(violation.detail, 'pre'),
      ])),
      block('Changed files', ['Path'], evidence.changedFiles.map((file) => [cell(file, 'code')])),
    ],
  };
}

function viewAgentHealthEvidence(evidence: AgentHealthEvidence): EvidenceView {
  const blocks = [
    block('Tool calls written as text', ['Pattern', 'Excerpt'], evidence.textToolCalls.map((call) => [
      cell(call.pattern, 'code'),
      cell(call.excerpt, 'pre'),
    ])),
    block('Invalid tool calls', ['Tool', 'Error'], evidence.invalidToolCalls.map((call) => [cell(call.tool, 'code'), cell(call.error, 'pre')])),
    block('Session errors', ['Name', 'Message'], evidence.sessionErrors.map((error) => [cell(error.name, 'code'), cell(error.message, 'pre')])),
  ];
  return {
    facts: [
      fact('Structured tool calls', evidence.toolCalls),
      fact('Text tool calls', evidence.textToolCalls.length),
      fact('Invalid tool calls', evidence.invalidToolCalls.length),
      fact('Session errors', evidence.sessionErrors.length),
      fact('Context overflow', evidence.contextOverflow ? 'yes' : 'no'),
    ],
    blocks: blocks.filter((candidate) => candidate.rows.length > 0),
  };
}

function describeShown(total: number, shown: number): string {
  return shown < total ? `${formatCount(total)} (first ${formatCount(shown)} shown)` : formatCount(total);
}

function fact(label: string, value: number | string): FactView {
  return { label, value: typeof value === 'number' ? formatCount(value) : value };
}

function block(title: string, columns: string[], rows: CellView[][]): EvidenceBlockView {
  return { title, note: rows.length === 0 ? 'None.' : null, columns, rows };
}

function cell(text: string, tone: CellTone): CellView {
  return { text: truncateText(text, MAX_CELL_CHARS), tone };
}
