import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../core/project-root.ts';

/** How the scripted model should behave, as `npm run scripted-model` takes it. */
export interface ScriptedModelSettings {
  ttftMs: number;
  tokensPerSecond: number;
  /** Streams at full speed; beyond, requests queue (vLLM's running/waiting gauges). */
  capacity?: number | undefined;
  /** Per-stream slowdown per extra concurrent stream. */
  concurrencySlowdown?: number | undefined;
  /** `name=profile`, as vLLM's --served-model-name names the model. */
  servedModelName?: string | undefined;
}

export interface ScriptedModelProcess {
  baseURL: string;
  stop(): Promise<void>;
}

const READY_WITHIN_MS = 30_000;

/** Starts the scripted model as its own process on a free-ish port and waits until `/v1/models` answers. */
export async function startScriptedModelProcess(settings: ScriptedModelSettings): Promise<ScriptedModelProcess> {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const cli = path.join(PROJECT_ROOT, 'runners', 'endpoints', 'scripted-model', 'scripted-model-cli.ts');
  const args = ['--port', String(port), '--ttft-ms', String(settings.ttftMs), '--tokens-per-second', String(settings.tokensPerSecond), '--scenarios', path.join(PROJECT_ROOT, 'scenarios')];
  if (settings.capacity !== undefined) args.push('--capacity', String(settings.capacity));
  if (settings.concurrencySlowdown !== undefined) args.push('--concurrency-slowdown', String(settings.concurrencySlowdown));
  if (settings.servedModelName !== undefined) args.push('--served-model-name', settings.servedModelName);
  const child = execa(process.execPath, [cli, ...args], { reject: false });
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const baseURL = `http://127.0.0.1:${port}/v1`;
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await child;
  };
  for (let waited = 0; (await fetch(`${baseURL}/models`).catch(() => undefined))?.ok !== true; waited += 200) {
    if (waited > READY_WITHIN_MS || exited) {
      await stop();
      throw new Error(`the scripted model on port ${port} did not come up within ${READY_WITHIN_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseURL, stop };
}
