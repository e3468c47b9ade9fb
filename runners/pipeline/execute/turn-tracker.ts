import { TURN_CHECK_NAMES, runChecks, type CheckContext } from '../../attempt/checks/run-checks.ts';
import type { FinishedTurn } from '../../attempt/opencode/drive-session.ts';
import { listChangedBetween, snapshotTree } from '../../attempt/sandbox/git.ts';
import type { TurnRecord } from '../../core/domain/attempt.ts';

export interface TurnTrackerOptions {
  sandboxDir: string;
  baselineCommit: string;
  env: Record<string, string>;
  /** Checks right after every turn but the last; undefined: none. */
  checkContext?: Omit<CheckContext, 'changedFiles' | 'transcript' | 'outsideWrites' | 'afterTurn'> | undefined;
}

export interface TurnTracker {
  afterTurn(turn: FinishedTurn): Promise<void>;
  turns(): TurnRecord[];
}

/**
 * Follows the sandbox from turn to turn: which files each turn changed (a snapshot of the tree
 * after each, diffed with the one before — so a change made during a Plan turn is seen whatever
 * made it), and, for multi-turn scenarios that ask, typecheck, lint and the fixture's own tests
 * after every turn but the last (the last turn's are the attempt's final checks).
 */
export function createTurnTracker(options: TurnTrackerOptions): TurnTracker {
  const records: TurnRecord[] = [];
  let previous: string = options.baselineCommit;
  return {
    async afterTurn(turn) {
      const tree = await snapshotTree(options.sandboxDir, options.env);
      const changedFiles = await listChangedBetween(options.sandboxDir, previous, tree, options.env);
      previous = tree;
      const record: TurnRecord = { turnIndex: turn.turnIndex, agent: turn.agent, changedFiles };
      if (options.checkContext !== undefined && !turn.isLast) {
        const started = Date.now();
        const sinceBaseline = await listChangedBetween(options.sandboxDir, options.baselineCommit, tree, options.env);
        record.checks = await runChecks({ ...options.checkContext, changedFiles: sinceBaseline, transcript: [], outsideWrites: [], afterTurn: turn.turnIndex }, TURN_CHECK_NAMES);
        record.checksMs = Date.now() - started;
      }
      records.push(record);
    },
    turns: () => records,
  };
}

