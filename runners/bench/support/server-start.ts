import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOpencodeConfig } from '../../attempt/opencode/opencode-config.ts';
import type { RunIsolation } from '../../core/domain/isolation.ts';
import { modelBaseURLOf, PLACEHOLDER_API_KEY, startModelProxy } from '../../endpoints/model-proxy/model-proxy.ts';
import { loadConfig } from '../../inputs/config/load-config.ts';
import { maskedPathsOf } from '../../pipeline/execute/masked-paths.ts';
import { buildRunAgentCatalog } from '../../pipeline/execute/run-agents.ts';
import { relayedMcpLaunch } from '../../pipeline/execute/mcp-relay.ts';
import { BRIDGED_PORTS, createRunNetwork, MODEL_ORIGIN_VARIABLE } from '../../pipeline/execute/run-network.ts';
import { createWorkerPool } from '../../pipeline/execute/worker-pool.ts';
import { prepareRun } from '../../pipeline/plan/prepare-run.ts';
import { detectIsolation } from '../../platform/confinement/confinement.ts';

/** The isolation the starts ran under (as detected on this machine) and each start's duration. */
export interface ServerStartTiming {
  isolation: RunIsolation;
  startsMs: number[];
}

/**
 * Times the start of one OpenCode worker as a run starts it — its network (egress proxy, model
 * proxy listener; under bubblewrap the sockets, the namespace, its bridge and the connection
 * recorder), the confined or plain `opencode serve`, and its event stream — through the run's own
 * worker pool, for a config file's first server profile. Each start is a fresh worker in a fresh
 * pool, stopped before the next, so every figure is a cold start. The config's `isolation`
 * decides the containment, as in a run.
 */
export async function timeServerStarts(configFile: string, count: number): Promise<ServerStartTiming> {
  const config = await loadConfig(configFile);
  const prepared = prepareRun(config, {});
  const isolation = detectIsolation(config.isolation);
  const profile = buildRunAgentCatalog(prepared).profiles[0];
  if (profile === undefined) throw new Error(`${configFile}: plans no attempt, so no OpenCode server to start`);
  const endpoints = [...prepared.targets.values()].map((target) => ({ target, baseURL: modelBaseURLOf(`{env:${MODEL_ORIGIN_VARIABLE}}`, target.id), apiKey: PLACEHOLDER_API_KEY }));
  // As a run declares them: under bubblewrap each MCP server is a relay to the real one outside.
  const mcpServers = isolation.kind === 'bubblewrap' ? prepared.mcpServers.map((launch, index) => relayedMcpLaunch(launch, BRIDGED_PORTS.firstMcp + index, process.execPath)) : prepared.mcpServers;
  const configContent = JSON.stringify(buildOpencodeConfig(endpoints, profile, mcpServers));
  const modelProxy = startModelProxy({ routes: [], stallMs: config.endpointStallMs });
  const temp = mkdtempSync(path.join(tmpdir(), 'harness-bench-start-'));
  const startsMs: number[] = [];
  try {
    const network = createRunNetwork({ isolation, dir: path.join(temp, 'net'), modelProxy, mcpServers: prepared.mcpServers });
    const maskedPaths = maskedPathsOf({ prepared, runDir: path.join(temp, 'run'), tempDir: temp });
    for (let index = 0; index < count; index += 1) {
      const pool = createWorkerPool({
        rootDir: path.join(temp, `workers-${index}`),
        configFor: () => configContent,
        maxWorkers: 1,
        startsAtOnce: 1,
        nodeBinDir: path.dirname(process.execPath),
        network,
        attemptsPerServer: config.attemptsPerServer,
        memoryLimitMb: config.serverMemoryLimitMb,
        isolation,
        maskedPaths,
      });
      try {
        const started = performance.now();
        await pool.acquire(profile.key);
        startsMs.push(performance.now() - started);
      } finally {
        await pool.close();
      }
    }
  } finally {
    await modelProxy.close();
    rmSync(temp, { recursive: true, force: true });
  }
  return { isolation, startsMs };
}
