import { execa, type ResultPromise } from 'execa';
import type { EndpointTarget } from '../../core/domain/target.ts';
import { killGroup, registerChildGroup, unregisterChildGroup } from '../../platform/processes/child-registry.ts';
import { authHeadersOf, fetchModelList, type ModelListResult } from './fetch-model-list.ts';

export interface BringUpOptions {
  /** The config file's folder: the serve command's working directory. */
  configDir: string;
  /** Progress lines ("starting …", "ready after …"); execution passes its sink. */
  log: (line: string) => void;
  fetch?: typeof fetch | undefined;
  /** First poll delay; it grows by half each time up to maxPollMs. */
  pollMs?: number | undefined;
  maxPollMs?: number | undefined;
}

/** A model server this harness brought up (or found up), and how to take it down. */
export interface ServeHandle {
  baseURL: string;
  model: string;
  stop(): Promise<void>;
}

export type BringUpResult =
  /** The target declares no `serve`: nothing was started. */
  | { status: 'not-configured' }
  /** The model was already listed: the command was not run. */
  | { status: 'already-serving'; handle: ServeHandle }
  | { status: 'ready'; waitedMs: number; handle: ServeHandle }
  /** An infra error for every attempt of the target's group, never a model failure. */
  | { status: 'failed'; waitedMs: number; message: string };

const OUTPUT_TAIL_CHARS = 4000;

/**
 * Runs the target's `serve.command` (execa, no shell, cwd = config folder) and waits until
 * `GET {baseURL}/models` lists the target's model, polling with backoff for at most
 * `readyTimeoutMs`. The command may stay in the foreground (e.g. `vllm serve …`) or exit 0
 * once the server is starting; a non-zero exit before the model is listed is a failure.
 */
export async function bringUpTarget(target: EndpointTarget, options: BringUpOptions): Promise<BringUpResult> {
  const serve = target.serve;
  if (serve === undefined) return { status: 'not-configured' };
  const headers = authHeadersOf(target);
  const listing = await fetchModelList(target.baseURL, { headers, fetch: options.fetch, timeoutMs: 3000 });
  if (isListed(listing, target.model)) {
    options.log(`${target.model} is already served at ${target.baseURL}`);
    return { status: 'already-serving', handle: createHandle(target, options.configDir, undefined) };
  }
  const [file, ...args] = serve.command;
  if (file === undefined) return { status: 'failed', waitedMs: 0, message: 'serve.command is empty' };
  options.log(`starting ${target.model}: ${serve.command.join(' ')}`);
  const startedAt = Date.now();
  const child = execa(file, args, { cwd: options.configDir, detached: true, buffer: false, stdin: 'ignore', reject: false });
  const process = trackProcess(child);
  let delay = options.pollMs ?? 500;
  let last: ModelListResult = listing;
  while (Date.now() - startedAt < serve.readyTimeoutMs) {
    last = await fetchModelList(target.baseURL, { headers, fetch: options.fetch, timeoutMs: 3000 });
    if (isListed(last, target.model)) {
      const waitedMs = Date.now() - startedAt;
      options.log(`${target.model} ready at ${target.baseURL} after ${(waitedMs / 1000).toFixed(1)} s`);
      return { status: 'ready', waitedMs, handle: createHandle(target, options.configDir, process) };
    }
    if (process.exitCode !== undefined && process.exitCode !== 0) {
      return fail(target, startedAt, `the serve command exited with code ${process.exitCode} before ${target.model} was listed`, process, last);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, startedAt + serve.readyTimeoutMs - Date.now()))));
    delay = Math.min(delay * 1.5, options.maxPollMs ?? 5000);
  }
  await process.stop();
  return fail(target, startedAt, `${target.model} was not listed at ${target.baseURL}/models within ${Math.round(serve.readyTimeoutMs / 1000)} s (serve.readyTimeoutMs)`, process, last);
}

function isListed(listing: ModelListResult, model: string): boolean {
  return listing.status === 'listed' && listing.models.some((listed) => listed.id === model);
}

function fail(target: EndpointTarget, startedAt: number, reason: string, process: TrackedProcess, last: ModelListResult): BringUpResult {
  const lastAnswer = last.status === 'listed' ? `it lists ${last.models.map((model) => model.id).join(', ') || 'no model'}` : last.message;
  const output = process.outputTail().trim();
  const message = `model server for ${target.id} did not come up: ${reason}; last look at /models: ${lastAnswer}${output === '' ? '' : `\ncommand output (last lines):\n${output}`}`;
  return { status: 'failed', waitedMs: Date.now() - startedAt, message };
}

interface TrackedProcess {
  /** Set once the command exited. */
  readonly exitCode: number | undefined;
  outputTail(): string;
  /** Kills the command's process group (TERM, then KILL after 10 s) and waits for it. */
  stop(): Promise<void>;
}

function trackProcess(child: ResultPromise): TrackedProcess {
  const pid = child.pid;
  if (pid !== undefined) registerChildGroup(pid);
  let tail = '';
  let exitCode: number | undefined;
  const remember = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const exited = child.then((result) => {
    exitCode = result.exitCode ?? (result.signal === undefined ? 0 : 128);
    if (pid !== undefined) unregisterChildGroup(pid);
  });
  return {
    get exitCode() {
      return exitCode;
    },
    outputTail: () => tail,
    async stop() {
      if (exitCode !== undefined || pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function createHandle(target: EndpointTarget, configDir: string, process: TrackedProcess | undefined): ServeHandle {
  const stopCommand = target.serve?.stopCommand;
  return {
    baseURL: target.baseURL,
    model: target.model,
    async stop() {
      const [file, ...args] = stopCommand ?? [];
      if (file !== undefined) await execa(file, args, { cwd: configDir, reject: false, stdin: 'ignore', timeout: 120_000 });
      await process?.stop();
    },
  };
}
