/** How strictly a run confines the agent: asked for in the config, decided on the machine. */
export type IsolationMode = 'auto' | 'bubblewrap' | 'none';

/** Absolute paths of the tools that prepare a sandbox's network namespace from the host. */
export interface NamespaceTools {
  nsenter: string;
  ip: string;
}

/**
 * What records connections that bypass the harness's proxy: conntrack in each sandbox's network
 * namespace (Debian packages nftables and conntrack), or nothing (those connections are still
 * refused, but only proxied requests and name lookups are recorded).
 */
export type EgressRecorder = { kind: 'conntrack'; nft: string; conntrack: string } | { kind: 'none'; reason: string };

/** How the agent's processes are confined; recorded with every run. */
export type Isolation =
  | {
      kind: 'bubblewrap';
      binary: string;
      /** Absent in logs written before the network was contained. */
      namespace?: NamespaceTools | undefined;
      egressRecorder?: EgressRecorder | undefined;
    }
  | { kind: 'none'; reason: string };

/** The isolation of a run that is being executed: bubblewrap always with its network tools. */
export type RunIsolation =
  | { kind: 'bubblewrap'; binary: string; namespace: NamespaceTools; egressRecorder: EgressRecorder }
  | { kind: 'none'; reason: string };

/** What containment promises; a run without part of it names each one it lost. */
export type Guarantee =
  | 'hidden-files'
  | 'host-writes'
  | 'host-processes'
  | 'network'
  | 'egress-recorded'
  | 'key-out-of-reach'
  | 'no-leftover-processes';

/** Each guarantee as the README and the report state it. */
export const GUARANTEES: Record<Guarantee, string> = {
  'hidden-files':
    "the agent cannot read the hidden tests, reference solutions, other runs' folders, cassettes, the harness's own code or the MCP backend's data",
  'host-writes': 'the agent and the checks write only their sandbox (and the agent its worker folder)',
  'host-processes': "the agent cannot see or signal host processes, nor read their environments (where the harness's keys are)",
  network:
    "the agent's tools and the code it wrote reach no network but the model (through the harness's proxy), the scenario's MCP servers and its allow-listed hosts",
  'egress-recorded': 'every connection the containment refuses is recorded as a network-egress violation, with host and port',
  'key-out-of-reach': "the model's API key never enters the sandbox: OpenCode holds a placeholder and the harness's proxy adds the key",
  'no-leftover-processes': 'nothing a check starts outlives it, even a process that left its process group',
};

export const GUARANTEE_IDS = Object.keys(GUARANTEES) as Guarantee[];

/**
 * The guarantees a run does not have. Without bubblewrap nothing but the proxy's own rules holds
 * (clients that honour the proxy variables are still refused and recorded, advisory only); a
 * bubblewrap run without a connection recorder still refuses every connection but records only
 * proxied requests and name lookups. Logs written before the network was contained lose the
 * network guarantees too.
 */
export function lostGuarantees(isolation: Isolation | undefined): Guarantee[] {
  if (isolation === undefined || isolation.kind === 'none') return [...GUARANTEE_IDS];
  if (isolation.namespace === undefined) return ['network', 'egress-recorded', 'key-out-of-reach'];
  return isolation.egressRecorder?.kind === 'conntrack' ? [] : ['egress-recorded'];
}

/** One line for the run's start and the report's header. */
export function describeIsolation(isolation: Isolation | undefined): string {
  if (isolation === undefined) return 'not recorded';
  if (isolation.kind === 'none') return `none (${isolation.reason})`;
  if (isolation.namespace === undefined) return 'bubblewrap (network not contained: recorded before containment)';
  const recorder = isolation.egressRecorder;
  return recorder?.kind === 'conntrack' ? 'bubblewrap, private network, refused connections recorded' : `bubblewrap, private network, direct connections not recorded (${recorder?.reason ?? 'no recorder'})`;
}
