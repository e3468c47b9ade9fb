import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { foldCells, type CellOutcome } from './fold-cells.ts';
import type { ReportFile } from './report-file.ts';
import { escapeXmlAttribute, escapeXmlText, truncateForReport } from './xml-text.ts';

export const JUNIT_PATH = 'junit.xml';

const MAX_MESSAGE_CHARS = 1000;
const MAX_BODY_CHARS = 8000;

/**
 * JUnit XML for CI: one test suite per target, one test case per scenario × prompt variant with
 * its repeats folded in (name = scenario, classname = `target.variant`). A case fails when any
 * model-attributable repeat failed or timed out; a case with only infra errors (or nothing
 * finished) is skipped with the infra message — never a failure.
 */
export function renderJunitReport(summary: RunSummary): ReportFile[] {
  const cells = foldCells(summary);
  const suites = groupSuites(summary, cells);
  const totals = countCases(cells);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXmlAttribute(`harness ${summary.runId}`)}" ${formatCounts(totals)}>`,
    ...suites.flatMap(({ targetId, cells: suiteCells }) => renderSuite(summary, targetId, suiteCells)),
    '</testsuites>',
    '',
  ];
  return [{ path: JUNIT_PATH, contents: lines.join('\n') }];
}

interface CaseCounts {
  tests: number;
  failures: number;
  skipped: number;
  totalMs: number;
}

function countCases(cells: readonly CellOutcome[]): CaseCounts {
  return {
    tests: cells.length,
    failures: cells.filter((cell) => cell.verdict.status === 'failed').length,
    skipped: cells.filter((cell) => cell.verdict.status === 'skipped').length,
    totalMs: cells.reduce((sum, cell) => sum + cell.totalMs, 0),
  };
}

function formatCounts(counts: CaseCounts): string {
  return `tests="${counts.tests}" failures="${counts.failures}" errors="0" skipped="${counts.skipped}" time="${formatSeconds(counts.totalMs)}"`;
}

/** Suites in the run's target order; a target the run did not declare comes last. */
function groupSuites(summary: RunSummary, cells: readonly CellOutcome[]): Array<{ targetId: string; cells: CellOutcome[] }> {
  const targetIds = [...new Set([...summary.targets.map((target) => target.id), ...cells.map((cell) => cell.targetId)])];
  return targetIds.flatMap((targetId) => {
    const suiteCells = cells.filter((cell) => cell.targetId === targetId);
    return suiteCells.length === 0 ? [] : [{ targetId, cells: suiteCells }];
  });
}

function renderSuite(summary: RunSummary, targetId: string, cells: readonly CellOutcome[]): string[] {
  const target = summary.targets.find((candidate) => candidate.id === targetId);
  const properties = [
    ['run', summary.runId],
    ['model', target?.model ?? 'unknown'],
    ['quantization', target?.quantization ?? 'unknown'],
    ['scripted-model', String(target?.kind === 'scripted')],
  ].map(([name, value]) => `      <property name="${escapeXmlAttribute(name ?? '')}" value="${escapeXmlAttribute(value ?? '')}"/>`);
  return [
    `  <testsuite name="${escapeXmlAttribute(targetId)}" ${formatCounts(countCases(cells))} timestamp="${escapeXmlAttribute(summary.startedAt)}">`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cells.flatMap(renderCase),
    '  </testsuite>',
  ];
}

function renderCase(cell: CellOutcome): string[] {
  const open = `    <testcase name="${escapeXmlAttribute(cell.scenarioId)}" classname="${escapeXmlAttribute(`${cell.targetId}.${cell.promptVariantId}`)}" time="${formatSeconds(cell.totalMs)}">`;
  const output = `      <system-out>${escapeXmlText(truncateForReport(describeRepeats(cell), MAX_BODY_CHARS))}</system-out>`;
  const { verdict } = cell;
  switch (verdict.status) {
    case 'passed':
      return [open, output, '    </testcase>'];
    case 'skipped':
      return [open, `      <skipped message="${attribute(verdict.message)}"/>`, output, '    </testcase>'];
    case 'failed': {
      const type = cell.specs.some((spec) => spec.outcome.kind === 'failed') ? 'failed' : 'timed-out';
      const body = escapeXmlText(truncateForReport(verdict.evidence.join('\n'), MAX_BODY_CHARS));
      return [open, `      <failure message="${attribute(verdict.message)}" type="${type}">${body}</failure>`, output, '    </testcase>'];
    }
  }
}

/** One line per repeat: what each final outcome was, retries counted. */
function describeRepeats(cell: CellOutcome): string {
  return cell.specs
    .map(({ spec, outcome, attempts }) => {
      const retries = attempts.length > 1 ? ` after ${attempts.length} attempts` : '';
      switch (outcome.kind) {
        case 'passed':
        case 'pending':
          return `repeat ${spec.repeatIndex}: ${outcome.kind}${retries}`;
        case 'failed':
          return `repeat ${spec.repeatIndex}: failed (${outcome.failedChecks.join(', ')})${retries}`;
        case 'timed-out':
          return `repeat ${spec.repeatIndex}: timed out after ${Math.round(outcome.afterMs / 1000)} s${retries}`;
        case 'infra-error':
          return `repeat ${spec.repeatIndex}: infra error (${outcome.source}: ${outcome.message})${retries}`;
      }
    })
    .join('\n');
}

function attribute(text: string): string {
  return escapeXmlAttribute(truncateForReport(text, MAX_MESSAGE_CHARS));
}

function formatSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
