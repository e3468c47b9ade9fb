import type { Diagnostic } from '../../core/domain/check-result.ts';
import { stripAnsi } from './format-text.ts';
import { toReportPath } from './sandbox-paths.ts';

const MAX_MESSAGE_CHARS = 1_000;

/** `src/a.ts(1,14): error TS2322: Type …` (tsc with `--pretty false`, or any non-terminal output). */
const PLAIN_HEADER = /^(?<file>.+?)\((?<line>\d+),(?<column>\d+)\): error (?<code>TS\d+): (?<message>.*)$/;
/** `src/a.ts:1:14 - error TS2322: Type …` (tsc `--pretty`, colours stripped). */
const PRETTY_HEADER = /^(?<file>\S.*?):(?<line>\d+):(?<column>\d+) - error (?<code>TS\d+): (?<message>.*)$/;
/** `error TS5083: Cannot read file …`: a diagnostic without a location, e.g. about tsconfig.json. */
const GLOBAL_HEADER = /^error (?<code>TS\d+): (?<message>.*)$/;

/**
 * Reads compiler diagnostics from tsc's output (plain or pretty). A message chain (indented lines
 * right after a diagnostic) is folded into its message. Paths are made relative to the sandbox.
 * Diagnostics without a location get file `''` and line 0.
 */
export function parseTscOutput(output: string, sandboxRoots: readonly string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let current: Diagnostic | undefined;
  for (const rawLine of stripAnsi(output).split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    const header = parseHeader(line, sandboxRoots);
    if (header !== undefined) {
      current = header;
      diagnostics.push(header);
    } else if (current !== undefined && /^\s+\S/.test(line)) {
      if (current.message.length < MAX_MESSAGE_CHARS) current.message = `${current.message}\n${line}`.slice(0, MAX_MESSAGE_CHARS);
    } else {
      current = undefined;
    }
  }
  return diagnostics;
}

function parseHeader(line: string, sandboxRoots: readonly string[]): Diagnostic | undefined {
  const located = PLAIN_HEADER.exec(line) ?? PRETTY_HEADER.exec(line);
  if (located?.groups !== undefined) {
    const { file = '', line: lineNumber = '0', column = '0', code = '', message = '' } = located.groups;
    return { file: toReportPath(sandboxRoots, file), line: Number(lineNumber), column: Number(column), code, message: message.slice(0, MAX_MESSAGE_CHARS) };
  }
  const global = GLOBAL_HEADER.exec(line);
  if (global?.groups !== undefined) {
    return { file: '', line: 0, column: 0, code: global.groups.code ?? '', message: (global.groups.message ?? '').slice(0, MAX_MESSAGE_CHARS) };
  }
  return undefined;
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const location = diagnostic.file === '' ? '' : `${diagnostic.file}(${diagnostic.line},${diagnostic.column}): `;
  return `${location}${diagnostic.code} ${diagnostic.message.split('\n')[0] ?? ''}`;
}
