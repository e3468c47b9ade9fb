import type { WireFault } from '../wire-faults.ts';
import type { Profile, ProfileReply } from './profile-types.ts';
import { referenceProfile } from './replay-profiles.ts';

/**
 * Endpoint faults beyond `http-500` and `hang`: each answers like `reference` would, but over a
 * broken or slow wire. Which outcome each must end as (README, "Reliability"):
 *
 * - `drop-mid-stream`, `malformed-sse`, `malformed-json` — the serving stack's fault: an endpoint
 *   infra error, retried, never the model's.
 * - `slow-stream` — well-formed but slower than any attempt's time limit: timed out.
 * - `slow-reference` — `reference`, a little slow (about a second per request): passes; it gives
 *   tests time to interfere with an attempt in flight (e.g. kill its OpenCode server).
 * - `garbage-tool-call` — a well-formed stream whose tool call is nonsense (a tool that does not
 *   exist): the model's fault, seen by agent health, never an infra error.
 */
export const FAULT_PROFILE_NAMES = ['drop-mid-stream', 'malformed-sse', 'malformed-json', 'slow-stream', 'slow-reference', 'garbage-tool-call'] as const;

export type FaultProfileName = (typeof FAULT_PROFILE_NAMES)[number];

/** The tool the `garbage-tool-call` profile calls; OpenCode has no such tool. */
export const GARBAGE_TOOL_NAME = 'delete_all_the_things';

const withFault =
  (fault: WireFault): Profile =>
  (context) => ({ kind: 'fault', fault, reply: referenceProfile(context) });

const garbageToolCallProfile: Profile = (context): ProfileReply => {
  if (context.turnIndex > 0 || context.stepIndex > 0) return { kind: 'text', text: 'I could not find a tool for that, so I stopped.' };
  return { kind: 'tool-calls', calls: [{ name: GARBAGE_TOOL_NAME, arguments: { everything: true, "'; DROP TABLE": [null] } }] };
};

export const FAULT_PROFILES: Record<FaultProfileName, Profile> = {
  'drop-mid-stream': withFault({ kind: 'drop-mid-stream', afterChunks: 2 }),
  'malformed-sse': withFault({ kind: 'malformed-sse', afterChunks: 1 }),
  'malformed-json': withFault({ kind: 'malformed-json' }),
  'slow-stream': withFault({ kind: 'slow', firstByteDelayMs: 500, chunkDelayMs: 2_000 }),
  'slow-reference': withFault({ kind: 'slow', firstByteDelayMs: 1_000, chunkDelayMs: 0 }),
  'garbage-tool-call': garbageToolCallProfile,
};
