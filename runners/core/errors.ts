/**
 * The three kinds of error, never mixed:
 * 1. UserError — bad config, scenario, prompt template or CLI input. Names the file and
 *    field and says how to fix it. Exit code 2.
 * 2. Run outcomes (timeouts, failed checks, endpoint down) are values in results, never thrown.
 * 3. Bugs — anything else thrown; printed with its stack and cause. Exit code 3.
 */

export type UserErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'SCENARIO_INVALID'
  | 'SCENARIO_NOT_FOUND'
  | 'FIXTURE_NOT_FOUND'
  | 'FIXTURE_NOT_INSTALLED'
  | 'PROMPT_INVALID'
  | 'PROMPT_NOT_FOUND'
  | 'FILTER_INVALID'
  | 'RUN_DIR_INVALID'
  /** `harness compare`: the two runs share no cohort (target × prompt variant) or no scenario. */
  | 'RUNS_NOT_COMPARABLE'
  | 'CLI_USAGE';

export class UserError extends Error {
  readonly code: UserErrorCode;
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;

  constructor(code: UserErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UserError';
    this.code = code;
    this.file = options.file;
  }
}

/**
 * The harness could not write its output: the output folder is read-only, or the disk is full.
 * Neither bad input nor a bug: everything recorded before it is intact, and the message names the
 * file and says how to continue (free space or another folder, then `--resume`). Exit code 4.
 */
export class OutputError extends Error {
  /** The file or folder that could not be written. */
  readonly file: string;

  constructor(message: string, options: { file: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'OutputError';
    this.file = options.file;
  }
}

export function isOutputError(error: unknown): error is OutputError {
  return error instanceof OutputError;
}

/**
 * The harness could not contain the agent: the proxy did not start, or a sandbox's network
 * namespace could not be prepared. Never the model's fault, and never a reason to run
 * unprotected: the run stops (what it recorded is intact and `--resume` continues it). Exit code 5.
 */
export class ContainmentError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ContainmentError';
  }
}

export function isContainmentError(error: unknown): error is ContainmentError {
  return error instanceof ContainmentError;
}

export const EXIT_CODES = {
  /**
   * Every attempt passed (or, for `report`, the report was written); with a gate (`harness
   * compare`, or `harness run` when the config declares `gate`), the gate passed.
   */
  ok: 0,
  /** The run completed and at least one attempt did not pass (`harness run` without a gate). */
  attemptsNotPassed: 1,
  /** The gate failed: a threshold missed, a significant regression, or nothing model-attributable to judge. */
  gateFailed: 1,
  /**
   * Bad input: config, scenario, prompt, CLI usage (nothing ran); for `harness compare`, a
   * missing or unreadable run folder or two runs with no cohort in common.
   */
  usage: 2,
  /** A bug in the harness. */
  internal: 3,
  /** The output could not be written (read-only folder, full disk); what was recorded is intact. */
  outputNotWritable: 4,
  /** The agent could not be contained (proxy or sandbox network set-up failed); what was recorded is intact. */
  containmentFailed: 5,
} as const;

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Formats zod-style issues as `file: path.to.field message`. */
export function formatIssues(file: string, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .map((issue) => {
      const field = formatPath(issue.path);
      return `${file}: ${field === '' ? '(root)' : field} ${issue.message}`;
    })
    .join('\n');
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
