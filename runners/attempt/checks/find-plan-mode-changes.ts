import type { TurnRecord } from '../../core/domain/attempt.ts';
import type { Violation } from '../../core/domain/check-result.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import { PLAN_AGENT } from '../../core/domain/variant.ts';
import { locatePath } from './sandbox-paths.ts';
import { EDIT_TOOLS, listEditTargets } from './tool-targets.ts';

/**
 * Changes made, or tried, while a turn was with OpenCode's read-only Plan agent: edit tool calls
 * during a plan turn (refused or not, a subagent's included), and files that changed during it
 * whatever changed them (Plan may run shell commands, and a shell can write).
 */
export function findPlanModeChanges(transcript: readonly TranscriptEntry[], turns: readonly TurnRecord[], sandboxRoots: readonly string[]): Violation[] {
  const violations: Violation[] = [];
  for (const turn of turns) {
    if (turn.agent !== PLAN_AGENT) continue;
    for (const file of turn.changedFiles) {
      violations.push({ kind: 'plan-mode-change', path: file, effective: true, detail: `${file} changed during turn ${turn.turnIndex + 1}, which went to the read-only Plan agent` });
    }
  }
  for (const { entry, turnIndex } of listPlanTurnEntries(transcript)) {
    if (entry.type !== 'tool' || entry.status === 'pending' || !EDIT_TOOLS.has(entry.tool)) continue;
    for (const target of listEditTargets(entry.input)) {
      const located = locatePath(sandboxRoots, target);
      violations.push({
        kind: 'plan-mode-change',
        tool: entry.tool,
        callId: entry.callId,
        path: located.path,
        effective: entry.status === 'completed',
        ...(entry.session === undefined ? {} : { session: entry.session }),
        detail: `${entry.tool} ${located.path} in turn ${turnIndex + 1}, which went to the read-only Plan agent (${entry.status === 'completed' ? 'it went through' : `it ${entry.status === 'error' ? 'was refused' : 'did not finish'}`})`,
      });
    }
  }
  return violations;
}

/** Entries between a plan turn's user message and the next user message (the transcript is in time order). */
function listPlanTurnEntries(transcript: readonly TranscriptEntry[]): Array<{ entry: TranscriptEntry; turnIndex: number }> {
  const found: Array<{ entry: TranscriptEntry; turnIndex: number }> = [];
  let current: { turnIndex: number; isPlan: boolean } | undefined;
  for (const entry of transcript) {
    if (entry.type === 'user') current = { turnIndex: entry.turnIndex, isPlan: entry.agent === PLAN_AGENT };
    else if (current?.isPlan === true) found.push({ entry, turnIndex: current.turnIndex });
  }
  return found;
}
