import type { CheckName, CheckResult } from '../../core/domain/check-result.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import type { Random } from './random.ts';

/** The parts of one synthetic attempt, sized like a real one: a dozen or two transcript entries, a diff of a few dozen lines. */

const WORDS = ['holding', 'quote', 'price', 'symbol', 'rows', 'sortKey', 'currency', 'total', 'change', 'widget', 'portfolio', 'format', 'value', 'market', 'ticker', 'amount', 'locale', 'state', 'props', 'columns'];
const FILES = ['src/components/HoldingsTable.tsx', 'src/components/QuoteWidget.tsx', 'src/lib/format-money.ts', 'src/lib/compare-by.ts', 'src/user-components/StockQuotes.tsx', 'src/hooks/use-quotes.ts'];
const TOOLS = ['read', 'edit', 'write', 'bash', 'grep', 'glob'];

function makeIdentifier(random: Random): string {
  const first = random.pick(WORDS);
  const second = random.pick(WORDS);
  return `${first}${second.charAt(0).toUpperCase()}${second.slice(1)}${random.int(100)}`;
}

export function makeCodeLine(random: Random): string {
  const indent = '  '.repeat(random.int(4));
  switch (random.int(5)) {
    case 0:
      return `${indent}const ${makeIdentifier(random)} = ${makeIdentifier(random)}(${makeIdentifier(random)}, ${random.int(1000)});`;
    case 1:
      return `${indent}if (${makeIdentifier(random)}.length > ${random.int(50)}) return ${makeIdentifier(random)};`;
    case 2:
      return `${indent}export function ${makeIdentifier(random)}(${makeIdentifier(random)}: ${random.pick(['string', 'number', 'Row[]', 'Quote'])}) {`;
    case 3:
      return `${indent}<td className="${random.pick(WORDS)}">{${makeIdentifier(random)}.${random.pick(WORDS)}}</td>`;
    default:
      return `${indent}// ${random.pick(WORDS)} ${random.pick(WORDS)} ${random.pick(WORDS)} ${random.int(10_000)}`;
  }
}

function makeCode(random: Random, lines: number): string {
  return Array.from({ length: lines }, () => makeCodeLine(random)).join('\n');
}

export function makeSyntheticTranscript(random: Random, turns: readonly string[], startMs: number): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  let atMs = startMs;
  const tick = (): number => (atMs += 300 + random.int(6000));
  turns.forEach((text, turnIndex) => {
    entries.push({ type: 'user', turnIndex, text, atMs: tick() });
    entries.push({ type: 'reasoning', text: `I should look at ${random.pick(FILES)} first, then ${random.pick(WORDS)} the ${random.pick(WORDS)}.`, atMs: tick() });
    const calls = 3 + random.int(6);
    for (let call = 0; call < calls; call += 1) {
      const tool = random.pick(TOOLS);
      const filePath = random.pick(FILES);
      const failed = random.next() < 0.08;
      entries.push({
        type: 'tool', tool, callId: `call_${random.int(1e9).toString(36)}`, status: failed ? 'error' : 'completed',
        input: tool === 'bash' ? { command: `npx vitest run ${filePath}` } : { filePath, ...(tool === 'edit' ? { oldString: makeCodeLine(random), newString: makeCodeLine(random) } : {}) },
        ...(failed ? { error: `oldString not found in ${filePath}` } : { output: makeCode(random, 4 + random.int(30)) }),
        atMs: tick(), durationMs: 5 + random.int(900),
      });
    }
    if (random.next() < 0.15) {
      entries.push({ type: 'question', questions: [{ question: 'Should amounts use the user locale?', options: ['Yes', 'No'] }], answers: [['Yes']], matchedBy: ['locale'], atMs: tick() });
    }
    entries.push({ type: 'assistant-text', text: `Done: I updated ${random.pick(FILES)} so that the ${random.pick(WORDS)} ${random.pick(WORDS)} works.`, atMs: tick() });
    entries.push({ type: 'step', tokens: { input: 4000 + random.int(9000), output: 200 + random.int(900), reasoning: random.int(200), cacheRead: random.int(5000), cacheWrite: 0 }, atMs: tick() });
  });
  return entries;
}

export function makeSyntheticDiff(random: Random): string {
  const files = 1 + random.int(3);
  const parts: string[] = [];
  for (let index = 0; index < files; index += 1) {
    const file = random.pick(FILES);
    const start = 1 + random.int(80);
    const removed = Array.from({ length: 1 + random.int(6) }, () => `-${makeCodeLine(random)}`);
    const added = Array.from({ length: 2 + random.int(14) }, () => `+${makeCodeLine(random)}`);
    const context = [` ${makeCodeLine(random)}`, ` ${makeCodeLine(random)}`];
    parts.push(
      `diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`,
      `@@ -${start},${removed.length + 2} +${start},${added.length + 2} @@`,
      context[0] ?? '', ...removed, ...added, context[1] ?? '',
    );
  }
  return `${parts.join('\n')}\n`;
}

export function makeSyntheticChecks(random: Random, failed: readonly CheckName[]): CheckResult[] {
  const fails = (name: CheckName): boolean => failed.includes(name);
  const file = random.pick(FILES);
  return [
    fails('typecheck')
      ? { check: 'typecheck', durationMs: 3000 + random.int(3000), status: 'failed', reason: '1 type error', evidence: { exitCode: 2, diagnosticCount: 1, diagnostics: [{ file, line: 1 + random.int(90), column: 1 + random.int(30), code: random.pick(['TS2304', 'TS2339', 'TS7006']), message: random.pick(["Cannot find name 'sortBy'.", "Property 'price' does not exist on type 'Quote'.", "Parameter 'row' implicitly has an 'any' type."]) }] } }
      : { check: 'typecheck', durationMs: 3000 + random.int(3000), status: 'passed', evidence: { exitCode: 0, diagnosticCount: 0, diagnostics: [] } },
    fails('lint')
      ? { check: 'lint', durationMs: 2000 + random.int(2000), status: 'failed', reason: '1 lint error', evidence: { exitCode: 1, errorCount: 1, warningCount: 0, findings: [{ file, line: 1 + random.int(90), column: 3, ruleId: random.pick(['no-unused-vars', 'react-hooks/exhaustive-deps', 'eqeqeq']), severity: 'error', message: 'Rule violated.' }] } }
      : { check: 'lint', durationMs: 2000 + random.int(2000), status: 'passed', evidence: { exitCode: 0, errorCount: 0, warningCount: 0, findings: [] } },
    fails('tests')
      ? { check: 'tests', durationMs: 6000 + random.int(6000), status: 'failed', reason: 'acceptance: 1 failed', evidence: { exitCode: 1, suites: [
        { suite: 'fixture', total: 12, passed: 12, failed: 0, skipped: 0, failures: [] },
        { suite: 'acceptance', total: 4, passed: 3, failed: 1, skipped: 0, failures: [{ file: 'src/__acceptance__/feature.test.tsx', name: random.pick(['renders the widget', 'sorts by value', 'formats EUR amounts', 'keeps the sort on refresh']), message: 'expected true to be false' }] },
      ] } }
      : { check: 'tests', durationMs: 6000 + random.int(6000), status: 'passed', evidence: { exitCode: 0, suites: [{ suite: 'fixture', total: 12, passed: 12, failed: 0, skipped: 0, failures: [] }, { suite: 'acceptance', total: 4, passed: 4, failed: 0, skipped: 0, failures: [] }] } },
    fails('permissions')
      ? { check: 'permissions', durationMs: 40, status: 'failed', reason: '1 violation', evidence: { changedFiles: [file, 'package.json'], violations: [{ kind: 'edit-outside-allowed', path: random.pick(['package.json', 'src/core/store.ts']), tool: 'edit', callId: 'call_x', effective: true, detail: 'not matched by edit.allow (src/**)' }] } }
      : { check: 'permissions', durationMs: 40, status: 'passed', evidence: { changedFiles: [file], violations: [] } },
    fails('agent-health')
      ? { check: 'agent-health', durationMs: 3, status: 'failed', reason: 'tool calls written as text', evidence: { toolCalls: 4, textToolCalls: [{ excerpt: '<tool_call>{"name": "edit"}</tool_call>', pattern: '<tool_call>' }], invalidToolCalls: [], sessionErrors: [], contextOverflow: random.next() < 0.3 } }
      : { check: 'agent-health', durationMs: 3, status: 'passed', evidence: { toolCalls: 6, textToolCalls: [], invalidToolCalls: [], sessionErrors: [], contextOverflow: false } },
  ];
}
