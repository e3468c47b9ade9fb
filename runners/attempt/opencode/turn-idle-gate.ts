/**
 * Decides whether an idle event ends the current turn. OpenCode ends a turn with
 * `session.status {type: idle}` and then `session.idle`; the driver sends the next turn on the
 * first, so the second can arrive after the next turn was sent and would end it before it began —
 * its questions unanswered, its permission asks unrefused, its work unrecorded. An idle event
 * therefore counts only once the session was busy with the current turn.
 */
export interface TurnIdleGate {
  /** Call when a turn is sent. */
  startTurn(): void;
  /** Call on `session.status {type: busy}`. */
  sawBusy(): void;
  /** Whether an idle event now ends the turn. */
  endsTurn(): boolean;
}

export function createTurnIdleGate(): TurnIdleGate {
  let busy = false;
  return {
    startTurn() {
      busy = false;
    },
    sawBusy() {
      busy = true;
    },
    endsTurn() {
      return busy;
    },
  };
}
