import type { EgressAttempt } from '../../core/domain/egress.ts';

/**
 * Reads `conntrack -E -o timestamp,id` output, e.g.
 *   [1796403271.011139]	    [NEW] tcp      6 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=53594 dport=4096 [UNREPLIED] src=… id=4195038063
 * and returns the connections that were refused: a TCP flow that never reached ESTABLISHED, or a
 * UDP flow that never got a reply. Inside a sandbox every address is local and nothing outside
 * listens, so these are exactly the attempts to reach out (flows between the sandbox's own
 * processes are established, and the harness's own ports are not tracked at all).
 */
export function parseConntrackEvents(text: string): EgressAttempt[] {
  const tracker = createConntrackTracker();
  tracker.push(`${text}\n`);
  return tracker.take(Number.POSITIVE_INFINITY);
}

/** conntrack's output as it streams in, read a chunk at a time. */
export interface ConntrackTracker {
  push(chunk: string): void;
  /**
   * The refused flows that began before `beforeMs` (epoch ms), in order; every flow that began
   * before it is then forgotten. Later flows wait: an established connection is first seen as
   * NEW, and only its next event says that it was answered.
   */
  take(beforeMs: number): EgressAttempt[];
}

export function createConntrackTracker(): ConntrackTracker {
  const flows = new Map<string, Flow>();
  let partial = '';
  return {
    push(chunk) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseLine(line);
        if (event === undefined) continue;
        const flow = flows.get(event.id) ?? event;
        flow.answered ||= event.answered;
        flows.set(event.id, flow);
      }
    },
    take(beforeMs) {
      const taken = [...flows.values()].filter((flow) => flow.atMs < beforeMs).sort((a, b) => a.atMs - b.atMs);
      for (const flow of taken) flows.delete(flow.id);
      return taken
        .filter((flow) => !flow.answered)
        .map((flow) => ({ at: new Date(flow.atMs).toISOString(), via: 'connection' as const, host: flow.host, port: flow.port, protocol: flow.protocol }));
    },
  };
}

interface Flow {
  id: string;
  atMs: number;
  protocol: 'tcp' | 'udp';
  host: string;
  port: number;
  answered: boolean;
}

const LINE = /^\[(\d+)\.(\d+)\]\s+\[(NEW|UPDATE|DESTROY)\]\s+(tcp|udp)\s+\d+\s+\d+\s+(?:([A-Z_]+)\s+)?src=(\S+) dst=(\S+) sport=\d+ dport=(\d+)(.*?)\bid=(\d+)/;

function parseLine(line: string): Flow | undefined {
  const match = LINE.exec(line);
  if (match === null) return undefined;
  const [, seconds = '0', fraction = '0', , protocol, state, , host = '', port = '0', rest = '', id = ''] = match;
  const atMs = Number(seconds) * 1000 + Math.floor(Number(`0.${fraction}`) * 1000);
  const answered = protocol === 'tcp' ? state === 'ESTABLISHED' || rest.includes('[ASSURED]') : !rest.includes('[UNREPLIED]');
  return { id, atMs, protocol: protocol === 'udp' ? 'udp' : 'tcp', host, port: Number(port), answered };
}
