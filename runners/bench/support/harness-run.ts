import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { sampleMemory, type MemoryPeaks } from '../memory-sampler.ts';
import { sampleCpu, type CpuSample } from './cpu-sampler.ts';
import { onlyRunDir, readSummary, writeConfig } from './workspace.ts';

/** How a benchmark runs the harness: the real CLI on a config of its own, as a user would. */

const CLI = path.join(PROJECT_ROOT, 'runners', 'cli.ts');

export interface BenchRun {
  summary: RunSummary;
  /** From starting the CLI to its exit: includes loading, server start-up and the reports. */
  wallMs: number;
  memory: MemoryPeaks;
  /** The config the run used, in a fresh folder of its own (its runs under `runs/`). */
  configFile: string;
  /** The run's folder. */
  runDir: string;
  /** The CPU split of the run's process tree over time; empty unless asked for (`sampleCpu`). */
  cpu: CpuSample[];
}

export interface RunHarnessOptions {
  /** A run whose attempts failed (exit 1) still counts, e.g. for throughput. */
  acceptFailedAttempts?: boolean;
  /** Sample the CPU of the harness, its OpenCode servers and its checks (support/cpu-sampler.ts). */
  sampleCpu?: boolean;
}

/**
 * Runs `harness run` (with `extraArgs`, e.g. `--record`) on a config of `scenario` plus `body`
 * (targets, repeats, concurrency, …) in a fresh temporary folder, sampling harness and OpenCode memory
 * (and CPU when asked). A run that does not exit 0 (an
 * attempt failed, or the run could not start) throws with the end of its stderr: a benchmark of
 * failing attempts would measure the wrong thing.
 */
export async function runHarness(scenario: string, body: Record<string, unknown>, extraArgs: readonly string[] = [], options: RunHarnessOptions = {}): Promise<BenchRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'harness-bench-'));
  const configFile = writeConfig(dir, { scenarios: [scenario], ...body });
  const started = Date.now();
  const child = execa(process.execPath, [CLI, 'run', '--config', configFile, ...extraArgs], { reject: false });
  const [memory, cpu] = await Promise.all([sampleMemory(child), options.sampleCpu === true && child.pid !== undefined ? sampleCpu(child.pid, child) : []]);
  const result = await child;
  const accepted = result.exitCode === 0 || (options.acceptFailedAttempts === true && result.exitCode === 1);
  if (!accepted) throw new Error(`benchmark run failed (exit ${String(result.exitCode)}):\n${String(result.stderr).slice(-2000)}`);
  const runDir = onlyRunDir(path.join(dir, 'runs'));
  return { summary: readSummary(runDir), wallMs: Date.now() - started, memory, configFile, runDir, cpu };
}

/** Every attempt of a run, in the order they started. */
export function attemptsOf(summary: RunSummary): AttemptRecord[] {
  return summary.specs.flatMap((spec) => spec.attempts).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Whole milliseconds for a table cell; a dash when there is no value. */
export function formatMs(value: number | undefined): string {
  return value === undefined ? '—' : `${Math.round(value)}`;
}

export interface BenchOutput {
  /** One line of Markdown, shown at once on stderr to follow progress. */
  say(line?: string): void;
  /** Prints every line said, to stdout, for BENCHMARKS.md. */
  print(): void;
}

export function createBenchOutput(): BenchOutput {
  const lines: string[] = [];
  return {
    say(line = '') {
      lines.push(line);
      process.stderr.write(`${line}\n`);
    },
    print() {
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  };
}
