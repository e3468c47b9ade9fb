import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { ServerNetwork } from '../../attempt/opencode/opencode-server.ts';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import { matchesHostPattern } from '../../core/domain/host-patterns.ts';
import type { RunIsolation } from '../../core/domain/isolation.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { ContainmentError } from '../../core/errors.ts';
import { DOCS_SITE_HOST } from '../../endpoints/docs-site/docs-site.ts';
import type { EndpointStall, ModelProxy, StallSink } from '../../endpoints/model-proxy/model-proxy.ts';
import type { McpServerLaunch } from '../../inputs/mcp/mcp-servers.ts';
import { findAllowedHost, parseAllowedHost, type AllowedHost } from '../../platform/network/allowed-hosts.ts';
import { createEgressProxy, type EgressScope } from '../../platform/network/egress-proxy.ts';
import { startMcpRelayHost, type McpRelayHost } from './mcp-relay.ts';

/**
 * The network of a run's sandboxes, harness side. Each worker's OpenCode server gets its own
 * doors: a forward proxy (the scenario's allow-list), the model proxy (the real key, the stall
 * watch) and one socket per MCP server. Under bubblewrap they are unix sockets that the sandbox's
 * bridge forwards fixed ports to; without it, loopback ports named in the server's environment.
 */

/** The ports inside a confined server's private network (its own namespace: fixed ports are free). */
export const BRIDGED_PORTS = { proxy: 41128, model: 41000, firstMcp: 41100 } as const;

export interface RunNetworkOptions {
  isolation: RunIsolation;
  /** Where the sockets go: a folder under the run's temporary folder, masked in the sandbox. */
  dir: string;
  modelProxy: ModelProxy;
  mcpServers: readonly McpServerLaunch[];
  /** The local docs site's loopback port, when the run serves it. */
  docsSitePort?: number | undefined;
}

/** What an attempt may reach, besides its model. */
export interface AttemptScope {
  /** Host patterns of the scenario's web allow-list (`docs.example.test`, `*.example.org`, `host:port`). */
  allow: readonly string[];
  /** The MCP servers the scenario gives the agent. */
  mcpServers: readonly string[];
}

export interface AttemptNetwork {
  /** Settles when the model proxy ends one of the attempt's requests as stalled. */
  endpointFault: Promise<EndpointStall>;
  /** Ends the scope: what was refused (the proxy's records and the sandbox's), lookups of allowed names left out. */
  finish(fromSandbox: readonly EgressAttempt[]): EgressAttempt[];
}

export interface WorkerNetwork {
  /** Variables for the server: proxy variables, the model proxy's origin. */
  env: Record<string, string>;
  /** Under bubblewrap: what the server's bridge forwards. */
  server: ServerNetwork | undefined;
  beginAttempt(scope: AttemptScope): AttemptNetwork;
  close(): Promise<void>;
}

export interface RunNetwork {
  /** The MCP servers as OpenCode's config must declare them (the relay under bubblewrap). */
  openWorker(workerId: number): Promise<WorkerNetwork>;
}

export function createRunNetwork(options: RunNetworkOptions): RunNetwork {
  mkdirSync(options.dir, { recursive: true });
  const resolvConf = path.join(options.dir, 'resolv.conf');
  // The bridge's DNS catcher is the sandbox's only name server; it answers every name NXDOMAIN.
  writeFileSync(resolvConf, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  return {
    openWorker: (workerId) => openWorkerNetwork(options, workerId, resolvConf),
  };
}

interface Current {
  allowed: AllowedHost[];
  mcpServers: readonly string[];
  refused: EgressAttempt[];
  stall: StallSink | undefined;
}

async function openWorkerNetwork(options: RunNetworkOptions, workerId: number, resolvConf: string): Promise<WorkerNetwork> {
  const contained = options.isolation.kind === 'bubblewrap';
  const dir = path.join(options.dir, `worker-${workerId}`);
  mkdirSync(dir, { recursive: true });
  let current: Current | undefined;
  const scope = (): EgressScope => ({ allowed: current?.allowed ?? [], record: (attempt) => current?.refused.push(attempt) });
  const proxy = createEgressProxy(scope);
  const closers: Array<() => Promise<void>> = [];
  try {
    const proxyAt = contained ? { path: path.join(dir, 'proxy.sock') } : { host: '127.0.0.1', port: 0 };
    const proxyPort = await listen(proxy.server, proxyAt);
    closers.push(() => proxy.close());
    const model = await options.modelProxy.listen(contained ? { path: path.join(dir, 'model.sock') } : { host: '127.0.0.1', port: 0 }, () => current?.stall);
    closers.push(() => model.close());
    const listen_: ServerNetwork['listen'] = [];
    if (contained) {
      listen_.push({ port: BRIDGED_PORTS.proxy, socket: path.join(dir, 'proxy.sock') }, { port: BRIDGED_PORTS.model, socket: path.join(dir, 'model.sock') });
      for (const [index, launch] of options.mcpServers.entries()) {
        const socketPath = path.join(dir, `mcp-${launch.name}.sock`);
        const host: McpRelayHost = await startMcpRelayHost({ launch, socketPath, isolation: options.isolation, isWanted: () => current?.mcpServers.includes(launch.name) === true });
        closers.push(() => host.close());
        listen_.push({ port: BRIDGED_PORTS.firstMcp + index, socket: socketPath });
      }
    }
    const proxyOrigin = `http://127.0.0.1:${contained ? BRIDGED_PORTS.proxy : proxyPort}`;
    const modelOrigin = contained ? `http://127.0.0.1:${BRIDGED_PORTS.model}` : (model.origin ?? '');
    return {
      env: { ...proxyVariables(proxyOrigin), [MODEL_ORIGIN_VARIABLE]: modelOrigin },
      server: contained ? { listen: listen_, apiSocket: path.join(dir, 'api.sock'), resolvConf } : undefined,
      beginAttempt(attemptScope) {
        let reportStall: StallSink = () => undefined;
        const endpointFault = new Promise<EndpointStall>((resolve) => {
          reportStall = resolve;
        });
        const allowed = resolveAllowList(attemptScope.allow, options.docsSitePort);
        current = { allowed, mcpServers: attemptScope.mcpServers, refused: [], stall: (stall) => reportStall(stall) };
        const mine = current;
        return {
          endpointFault,
          finish(fromSandbox) {
            if (current === mine) current = undefined;
            const lookups = fromSandbox.filter((attempt) => !(attempt.via === 'dns' && findAllowedHost(allowed, attempt.host, 80) !== undefined));
            return [...mine.refused, ...lookups].sort((a, b) => a.at.localeCompare(b.at));
          },
        };
      },
      async close() {
        await Promise.all(closers.map((close) => close()));
      },
    };
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw new ContainmentError(`could not open the sandbox network of worker ${workerId}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The variable OpenCode's config names for the model's origin (`{env:HARNESS_MODEL_ORIGIN}/t/<target>`). */
export const MODEL_ORIGIN_VARIABLE = 'HARNESS_MODEL_ORIGIN';

/**
 * Every client that honours the proxy variables (curl, wget, python, Bun's fetch — webfetch —,
 * Node with NODE_USE_ENV_PROXY) goes through the harness's proxy; loopback stays direct, so the
 * model and the agent's own local servers are reached without it.
 */
function proxyVariables(origin: string): Record<string, string> {
  const noProxy = 'localhost,127.0.0.1,::1';
  return {
    HTTP_PROXY: origin,
    HTTPS_PROXY: origin,
    ALL_PROXY: origin,
    http_proxy: origin,
    https_proxy: origin,
    all_proxy: origin,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
    NODE_USE_ENV_PROXY: '1',
  };
}

/**
 * The hosts a scenario lets the agent's tools reach through the proxy: its webfetch allow-list.
 * A plain `webfetch: allow` lets the tool run but opens only the local docs site — a real host
 * must be named — and `deny` opens nothing.
 */
export function webAllowListOf(scenario: ResolvedScenario): readonly string[] {
  const { webfetch } = scenario.policy;
  if (typeof webfetch === 'object') return webfetch.allow;
  return webfetch === 'allow' ? [DOCS_SITE_HOST] : [];
}

/** Whether the scenario's allow-list reaches the local docs site (so the run must serve it). */
export function allowsDocsSite(scenario: ResolvedScenario): boolean {
  return webAllowListOf(scenario).some((entry) => {
    const parsed = parseAllowedHost(entry);
    return !('error' in parsed) && matchesHostPattern(parsed.pattern, DOCS_SITE_HOST);
  });
}

/**
 * The allow-list as the proxy applies it: the docs site's name, wherever a pattern covers it,
 * goes to its loopback port (first, so it wins); every pattern still lets its other hosts through.
 */
export function resolveAllowList(entries: readonly string[], docsSitePort: number | undefined): AllowedHost[] {
  const rules = entries.flatMap((entry): AllowedHost[] => {
    const parsed = parseAllowedHost(entry);
    return 'error' in parsed ? [] : [parsed];
  });
  const docs = docsSitePort === undefined ? [] : rules.filter((rule) => matchesHostPattern(rule.pattern, DOCS_SITE_HOST)).map((rule): AllowedHost => ({ pattern: DOCS_SITE_HOST, port: rule.port, upstream: { host: '127.0.0.1', port: docsSitePort } }));
  return [...docs, ...rules.filter((rule) => rule.pattern !== DOCS_SITE_HOST)];
}

async function listen(server: Server, address: { path: string } | { host: string; port: number }): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  return typeof bound === 'object' && bound !== null ? bound.port : 0;
}
