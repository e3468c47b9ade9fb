import type { CheckName, Violation } from '../../core/domain/check-result.ts';
import { describeEgressTarget, type EgressAttempt } from '../../core/domain/egress.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';

/** Connections a check's command tried while it ran the code (the agent's tests among it). */
export interface CheckEgress {
  check: CheckName;
  attempts: readonly EgressAttempt[];
}

/**
 * A record can come slightly before the tool call's recorded start (the proxy answered 2 ms
 * before webfetch's part said it started) and after its end (conntrack prints a moment later).
 */
const WINDOW_BEFORE_MS = 250;
const WINDOW_AFTER_MS = 100;

/**
 * Every connection the containment refused is a `network-egress` violation, never effective (it
 * was refused): the agent's, attributed to the tool call whose time it falls in (or said to be
 * outside any), and the checks', attributed to the check whose command made it.
 */
export function findNetworkViolations(transcript: readonly TranscriptEntry[], agentEgress: readonly EgressAttempt[], checkEgress: readonly CheckEgress[]): Violation[] {
  const calls = transcript.flatMap((entry) => (entry.type === 'tool' ? [entry] : []));
  const fromAgent = agentEgress.map((attempt): Violation => {
    const atMs = Date.parse(attempt.at);
    const call = calls
      .filter((entry) => atMs >= entry.atMs - WINDOW_BEFORE_MS && atMs <= entry.atMs + (entry.durationMs ?? Number.POSITIVE_INFINITY) + WINDOW_AFTER_MS)
      .sort((a, b) => b.atMs - a.atMs)[0];
    const who = call === undefined ? 'Outside any tool call, the agent’s sandbox' : `The ${call.tool} call`;
    return { kind: 'network-egress', tool: call?.tool, callId: call?.callId, host: attempt.host, port: attempt.port, effective: false, detail: `${who} ${describeAttempt(attempt)}` };
  });
  const fromChecks = checkEgress.flatMap(({ check, attempts }) =>
    attempts.map((attempt): Violation => ({ kind: 'network-egress', check, host: attempt.host, port: attempt.port, effective: false, detail: `While the ${check} check ran the code, it ${describeAttempt(attempt)}` })),
  );
  return [...fromAgent, ...fromChecks];
}

function describeAttempt(attempt: EgressAttempt): string {
  const target = describeEgressTarget(attempt);
  switch (attempt.via) {
    case 'proxy':
      return `asked for ${attempt.protocol}://${target}${attempt.detail === undefined ? '' : ` (${attempt.detail})`}: refused, not on the scenario's allow-list`;
    case 'dns':
      return `looked up the name ${attempt.host}: refused, no name resolves inside the sandbox`;
    case 'connection':
      if (attempt.port === 53 && attempt.protocol === 'udp') return `sent a name lookup (DNS) to ${target}: refused, no name resolves inside the sandbox`;
      return `connected to ${target} (${attempt.protocol}): refused, nothing outside the sandbox is reachable`;
  }
}
