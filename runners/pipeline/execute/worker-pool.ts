import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { buildIsolatedEnv, prepareWorkerRoot } from '../../attempt/opencode/opencode-env.ts';
import { openEventHub, type SessionEventHub } from '../../attempt/opencode/event-hub.ts';
import { startOpencodeServer, type OpencodeServer } from '../../attempt/opencode/opencode-server.ts';
import type { Sandbox } from '../../attempt/sandbox/create-sandbox.ts';
import type { RunIsolation } from '../../core/domain/isolation.ts';
import type { RunNetwork, WorkerNetwork } from './run-network.ts';

/** One OpenCode server with its isolated home, shared by the attempts a worker runs in turn. */
export interface Worker {
  id: number;
  /** The server profile whose config the server was started with. */
  profileKey: string;
  server: OpencodeServer;
  hub: SessionEventHub;
  env: Record<string, string>;
  /** The worker's doors to the outside: proxy, model, MCP servers. */
  network: WorkerNetwork;
  root: string;
  attemptsRun: number;
  /** This worker's sandbox per fixture, reset between attempts so OpenCode's instance stays warm. */
  sandboxes: Map<string, Sandbox>;
}

export interface WorkerPoolOptions {
  /** Folder under which each worker gets its HOME and XDG dirs. */
  rootDir: string;
  /** OPENCODE_CONFIG_CONTENT of each server profile (a variant with a scenario's policy). */
  configFor(profileKey: string): string;
  /** Most servers alive at once (the run's concurrency). */
  maxWorkers: number;
  /**
   * Most servers starting at once. A start costs seconds of CPU, and many at once on a small
   * machine each outlast their start-up time-out; the wait here does not count against it.
   */
  startsAtOnce: number;
  nodeBinDir: string;
  /** Each worker's network is opened from here (no key ever reaches a server: the model proxy holds them). */
  network: RunNetwork;
  /** Servers are recycled after this many attempts: OpenCode never frees per-directory state. */
  attemptsPerServer: number;
  /** …or when their resident memory passes this. */
  memoryLimitMb: number;
  isolation: RunIsolation;
  /** Host paths the agent must find empty (hidden tests, reference solutions, the host's home). */
  maskedPaths: string[];
}

export interface WorkerPool {
  /** A worker whose server runs this profile's config: an idle one if there is one, else a new one (an idle worker of another profile is stopped to make room). */
  acquire(profileKey: string): Promise<Worker>;
  /**
   * Starts servers of this profile in the background until `count` are idle or starting (never
   * more than the pool's maximum alive), so attempts that come later find one ready.
   */
  prewarm(profileKey: string, count: number): void;
  /** Returns a worker; a dead or worn-out one is stopped and replaced on the next acquire. */
  release(worker: Worker): Promise<void>;
  close(): Promise<void>;
}

/** How a pool starts, measures and stops its workers; tests pass fakes. */
export interface WorkerLifecycle {
  start(id: number, profileKey: string): Promise<Worker>;
  stop(worker: Worker): Promise<void>;
  /** Resident memory of the worker's server, in MB. */
  memoryMb(worker: Worker): number;
}

export function createWorkerPool(options: WorkerPoolOptions, workers: WorkerLifecycle = opencodeWorkers(options)): WorkerPool {
  const gate = pLimit(Math.max(1, options.startsAtOnce));
  const lifecycle: WorkerLifecycle = { ...workers, start: (id, profileKey) => gate(() => workers.start(id, profileKey)) };
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  /** Servers being started ahead of need; each settles into `idle` (or to nothing when its start failed). */
  const warming: Array<{ profileKey: string; ready: Promise<void> }> = [];
  let nextId = 0;
  let closed = false;

  function forget(entry: (typeof warming)[number]): void {
    const index = warming.indexOf(entry);
    if (index !== -1) warming.splice(index, 1);
  }

  async function retire(worker: Worker): Promise<void> {
    all.delete(worker);
    await lifecycle.stop(worker);
  }

  return {
    prewarm(profileKey, count) {
      const have = idle.filter((worker) => worker.profileKey === profileKey).length + warming.filter((entry) => entry.profileKey === profileKey).length;
      const room = options.maxWorkers - all.size - warming.length;
      for (let started = 0; started < Math.min(count - have, room); started += 1) {
        const id = nextId;
        nextId += 1;
        const entry = {
          profileKey,
          ready: lifecycle.start(id, profileKey).then(
            async (worker) => {
              all.add(worker);
              if (closed) await retire(worker);
              else idle.push(worker);
            },
            // A server that fails to start ahead of need is started again, and its error met, by the acquire that needs it.
            () => undefined,
          ),
        };
        warming.push(entry);
        void entry.ready.then(() => forget(entry));
      }
    },
    async acquire(profileKey) {
      for (;;) {
        const sameIndex = idle.findLastIndex((worker) => worker.profileKey === profileKey);
        if (sameIndex !== -1) return idle.splice(sameIndex, 1)[0] as Worker;
        const pending = warming.find((entry) => entry.profileKey === profileKey);
        if (pending === undefined) break;
        await pending.ready;
        forget(pending);
        // Another acquire may have taken the warmed server: look again.
      }
      // A server's config is fixed when it starts: make room by stopping an idle server of another profile.
      const other = all.size >= options.maxWorkers ? idle.shift() : undefined;
      if (other !== undefined) await retire(other);
      // The id is taken before the start is awaited: workers started at the same time get their own ids (and root folders).
      const id = nextId;
      nextId += 1;
      const worker = await lifecycle.start(id, profileKey);
      all.add(worker);
      return worker;
    },
    async release(worker) {
      const worn = worker.attemptsRun >= options.attemptsPerServer || lifecycle.memoryMb(worker) > options.memoryLimitMb;
      if (!worker.server.isAlive() || worn) {
        await retire(worker);
        return;
      }
      idle.push(worker);
    },
    async close() {
      closed = true;
      await Promise.all(warming.map((entry) => entry.ready));
      idle.length = 0;
      await Promise.all([...all].map(retire));
    },
  };
}

/** Workers that are real OpenCode servers, each with its isolated home under the pool's root. */
function opencodeWorkers(options: WorkerPoolOptions): WorkerLifecycle {
  return {
    async start(id, profileKey) {
      const root = path.join(options.rootDir, `worker-${id}`);
      const env = buildIsolatedEnv(root, options.nodeBinDir);
      prepareWorkerRoot(env);
      const network = await options.network.openWorker(id);
      // Everything a worker writes — its home and its sandboxes — lives under its root.
      const server = await startOpencodeServer({
        env: { ...env, ...network.env },
        configContent: options.configFor(profileKey),
        isolation: options.isolation,
        confinement: { writable: [root], masked: options.maskedPaths },
        network: network.server,
      }).catch(async (error: unknown) => {
        await network.close();
        throw error;
      });
      const hub = await openEventHub(server.client).catch(async (error: unknown) => {
        await server.stop();
        await network.close();
        throw error;
      });
      return { id, profileKey, server, hub, env, network, root, attemptsRun: 0, sandboxes: new Map() };
    },
    async stop(worker) {
      worker.hub.close();
      await worker.server.stop();
      await worker.network.close();
    },
    memoryMb: (worker) => readTreeRssMb(worker.server.pid),
  };
}

/**
 * Resident memory in MB of a process and all its descendants (the server's watchdog, bubblewrap
 * and the server itself, which runs in a session of its own); 0 where /proc cannot be read.
 */
export function readTreeRssMb(rootPid: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  const children = new Map<number, number[]>();
  const rssKb = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      rssKb.set(Number(entry), Number(match?.[1] ?? 0));
    } catch {
      // The process ended while being read.
    }
  }
  let totalKb = 0;
  const pending = [rootPid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    totalKb += rssKb.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return totalKb / 1024;
}
