import type { PublishedChange, TurnRecord } from '../../core/domain/attempt.ts';
import type { CheckName, CheckResultOf } from '../../core/domain/check-result.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import type { CheckEgress } from './find-network-violations.ts';
import type { CheckConfinement } from './run-check-command.ts';

/** Everything a check may look at once the agent has finished with a sandbox. */
export interface CheckContext {
  /** Absolute sandbox root: a git repository with a baseline commit. */
  sandboxDir: string;
  /** The fixture the sandbox was made from, with its check commands. */
  fixture: LoadedFixture;
  /** The scenario: its policy and where the hidden acceptance tests were copied. */
  scenario: ResolvedScenario;
  /** Files changed against the baseline (relative paths), taken before the hidden tests were copied in. */
  changedFiles: string[];
  /** The agent's session: text, tool calls, permission decisions, errors. */
  transcript: TranscriptEntry[];
  /** Absolute paths written outside the sandbox, found by the harness's scan. */
  outsideWrites: string[];
  /** Scrubbed environment for subprocesses, used as it is. */
  env: Record<string, string>;
  /** Time allowed to each check's subprocess. */
  timeoutMs: number;
  /** How the check subprocesses are confined (bubblewrap: they may write only the sandbox); none when absent. */
  confinement?: CheckConfinement | undefined;
  /** Connections the agent's sandbox tried during the session, refused by the containment. */
  agentEgress?: readonly EgressAttempt[] | undefined;
  /** Connections each check's command tried: filled in by runChecks before the permissions check runs. */
  checkEgress?: readonly CheckEgress[] | undefined;
  /** The turns that ended, with the files each changed (for changes made in Plan). */
  turns?: readonly TurnRecord[] | undefined;
  /** The change as published: the permissions check judges the commit's files. */
  publishedChange?: PublishedChange | undefined;
  /** Set for the checks right after a turn (before the hidden tests are copied in): which turn. */
  afterTurn?: number | undefined;
}

export type Check<K extends CheckName> = (context: CheckContext) => Promise<CheckResultOf<K>>;
