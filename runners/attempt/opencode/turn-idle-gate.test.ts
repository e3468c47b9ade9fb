import { describe, expect, it } from 'vitest';
import { createTurnIdleGate } from './turn-idle-gate.ts';

describe('the turn idle gate', () => {
  it('ignores the previous turn’s late session.idle, then ends the turn once it was busy and went idle', () => {
    const gate = createTurnIdleGate();
    gate.startTurn();
    gate.sawBusy();
    expect(gate.endsTurn()).toBe(true); // turn 1: session.status idle
    gate.startTurn(); // turn 2 sent on it
    expect(gate.endsTurn()).toBe(false); // turn 1's session.idle, arriving late
    gate.sawBusy();
    expect(gate.endsTurn()).toBe(true); // turn 2's own idle
  });
});
