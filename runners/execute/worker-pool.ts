import path from 'node:path';
import { buildIsolatedEnv, prepareWorkerRoot } from '../opencode/opencode-env.ts';
import { openEventHub, type SessionEventHub } from '../opencode/event-hub.ts';
import { startOpencodeServer, type OpencodeServer } from '../opencode/opencode-server.ts';

/** One OpenCode server with its isolated home, shared by the attempts a worker runs in turn. */
export interface Worker {
  id: number;
  server: OpencodeServer;
  hub: SessionEventHub;
  env: Record<string, string>;
  root: string;
  attemptsRun: number;
}

export interface WorkerPoolOptions {
  size: number;
  /** Folder under which each worker gets its HOME and XDG dirs. */
  rootDir: string;
  configContent: string;
  nodeBinDir: string;
  /** Extra variables for the servers (e.g. an API key named by a target). Never logged. */
  secretEnv: Record<string, string>;
  /** Servers are recycled after this many attempts: OpenCode never frees per-directory state. */
  attemptsPerServer: number;
}

export interface WorkerPool {
  acquire(): Promise<Worker>;
  /** Returns a worker; a dead or worn-out one is stopped and replaced on the next acquire. */
  release(worker: Worker): Promise<void>;
  close(): Promise<void>;
}

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  let nextId = 0;

  async function startWorker(): Promise<Worker> {
    const id = nextId;
    nextId += 1;
    const root = path.join(options.rootDir, `worker-${id}`);
    const env = buildIsolatedEnv(root, options.nodeBinDir);
    prepareWorkerRoot(env);
    const server = await startOpencodeServer({ env: { ...env, ...options.secretEnv }, configContent: options.configContent });
    const hub = await openEventHub(server.client).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    const worker: Worker = { id, server, hub, env, root, attemptsRun: 0 };
    all.add(worker);
    return worker;
  }

  async function retire(worker: Worker): Promise<void> {
    all.delete(worker);
    worker.hub.close();
    await worker.server.stop();
  }

  return {
    async acquire() {
      return idle.pop() ?? startWorker();
    },
    async release(worker) {
      if (!worker.server.isAlive() || worker.attemptsRun >= options.attemptsPerServer) {
        await retire(worker);
        return;
      }
      idle.push(worker);
    },
    async close() {
      idle.length = 0;
      await Promise.all([...all].map(retire));
    },
  };
}
