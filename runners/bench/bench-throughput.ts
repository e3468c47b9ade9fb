/**
 * Throughput benchmark against scripted models that behave like vLLM on a GPU (time to first
 * token, tokens per second, a batch capacity with a queue beyond it, vLLM's /metrics), through the
 * real CLI and OpenCode:
 *
 *   scaling      1 worker against 8 on a run of ≥ 48 attempts (OpenCode servers started ahead)
 *   concurrency  `concurrency: auto` against fixed concurrencies on a server with capacity 16:
 *                attempts per minute and the share of the server's slots busy in steady state
 *   servers      two model servers at once against one after another
 *
 *   npm run bench:throughput -- [--parts scaling,concurrency,servers] [--attempts 48]
 *     [--fixed 8,16,24] [--auto-max 32] [--capacity 16] [--ttft-ms 1500] [--tokens-per-second 20]
 *     [--server-capacity 2] [--server-concurrency 4]
 *
 * Prints Markdown for runners/bench/BENCHMARKS.md. Numbers depend on the machine's load.
 */
import { parseArgs } from 'node:util';
import type { RunSummary } from '../pipeline/summary/summary-types.ts';
import { attemptsOf, createBenchOutput, runHarness as runBench, type BenchRun } from './support/harness-run.ts';
import { startScriptedModelProcess } from './support/scripted-model-process.ts';

const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: 'scaling,concurrency,servers' },
    attempts: { type: 'string', default: '48' },
    fixed: { type: 'string', default: '8,16,24' },
    'auto-max': { type: 'string', default: '32' },
    capacity: { type: 'string', default: '16' },
    'ttft-ms': { type: 'string', default: '1500' },
    'tokens-per-second': { type: 'string', default: '20' },
    'server-capacity': { type: 'string', default: '2' },
    'server-concurrency': { type: 'string', default: '4' },
  },
});
const SCENARIO = 'add-stock-widget';
/**
 * A throughput run counts attempts, passed or not: a check that fails on a loaded machine does not
 * void it (the table shows how many passed). Its CPU is sampled, to tell a server-bound run from a
 * machine-bound one.
 */
const runHarness = (scenario: string, body: Record<string, unknown>): Promise<BenchRun> => runBench(scenario, body, [], { acceptFailedAttempts: true, sampleCpu: true });
const parts = new Set(values.parts.split(','));
const attempts = Number(values.attempts);
const { say, print } = createBenchOutput();

interface ModelServer {
  target: Record<string, unknown>;
  stop(): Promise<void>;
}

/** A scripted model on its own port, as `npm run scripted-model` starts it, as a vLLM target. */
async function startModel(id: string, capacity: number): Promise<ModelServer> {
  const model = await startScriptedModelProcess({ capacity, ttftMs: Number(values['ttft-ms']), tokensPerSecond: Number(values['tokens-per-second']), servedModelName: 'qwen=reference' });
  return {
    target: { kind: 'openai-compatible', id, model: 'qwen', baseURL: model.baseURL, quantization: 'emulated', limits: { context: 32768, output: 4096 } },
    stop: model.stop,
  };
}

/**
 * Answered attempts per minute from the first attempt's start to the last one's end (server
 * start-up outside). A spec that ended as an infra error is left out: it ends early, and counting
 * it would reward a run whose servers failed to start.
 */
function attemptsPerMinute(summary: RunSummary): number {
  const all = attemptsOf(summary);
  const start = Math.min(...all.map((attempt) => Date.parse(attempt.startedAt)));
  const end = Math.max(...all.map((attempt) => Date.parse(attempt.finishedAt)));
  const { passed, failed, timedOut } = summary.totals;
  return (passed + failed + timedOut) / ((end - start) / 60_000);
}

/**
 * The server's slots busy in steady state: the mean of vLLM's num_requests_running over the
 * middle 60% of the run's serving window (ramp-up and the tail of the last attempts left out),
 * divided by the capacity; and the mean waiting over the same stretch.
 */
function steadyLoad(summary: RunSummary, capacity: number): { busy: number; waiting: number } | undefined {
  const samples = (summary.servingMetrics ?? []).flatMap((record) => record.samples ?? []).sort((left, right) => left.at.localeCompare(right.at));
  if (samples.length < 5) return undefined;
  const start = Date.parse(samples[0]?.at ?? '');
  const end = Date.parse(samples.at(-1)?.at ?? '');
  const middle = samples.filter((sample) => {
    const at = Date.parse(sample.at);
    return at >= start + (end - start) * 0.2 && at <= start + (end - start) * 0.8;
  });
  if (middle.length === 0) return undefined;
  const mean = (pick: (sample: (typeof middle)[number]) => number) => middle.reduce((sum, sample) => sum + pick(sample), 0) / middle.length;
  return { busy: mean((sample) => sample.running) / capacity, waiting: mean((sample) => sample.waiting) };
}

function row(label: string, run: BenchRun, capacity: number): string {
  const load = steadyLoad(run.summary, capacity);
  const limits = (run.summary.concurrency ?? []).flatMap((timeline) => timeline.samples.map((sample) => sample.limit));
  const limit = limits.length === 0 ? '' : ` (limit ${limits[0]} → ${limits.at(-1)}, most ${Math.max(...limits)})`;
  const busy = load === undefined ? '—' : `${Math.round(load.busy * 100)}%`;
  const waiting = load === undefined ? '—' : load.waiting.toFixed(1);
  return `| ${label}${limit} | ${run.summary.totals.specs} | ${run.summary.totals.passed} | ${run.summary.totals.infraErrors} | ${(run.wallMs / 1000).toFixed(0)} | ${attemptsPerMinute(run.summary).toFixed(2)} | ${busy} | ${waiting} | ${coresBusy(run)} | ${run.memory.opencodeMb.toFixed(0)} |`;
}

/** The run's CPU seconds (harness, OpenCode, checks) over its wall time: how many of the machine's cores it kept busy. */
function coresBusy(run: BenchRun): string {
  const last = run.cpu.at(-1);
  if (last === undefined) return '—';
  return ((last.harnessS + last.opencodeS + last.reapedS) / (run.wallMs / 1000)).toFixed(2);
}

const HEADER = ['| concurrency | attempts | passed | infra errors | wall s | answered attempts/min | slots busy (steady) | waiting (steady) | cores busy (run) | peak OpenCode RSS MB |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];

async function measureScaling(): Promise<void> {
  say(`## Worker scaling: 1 vs 8 workers, ${attempts} attempts on 8 (capacity 16, ${values['ttft-ms']} ms to first token, ${values['tokens-per-second']} tokens/s)`);
  const model = await startModel('gpu-like', 16);
  try {
    const single = await runHarness(SCENARIO, { targets: [model.target], repeats: Math.max(6, Math.round(attempts / 8)), concurrency: 1 });
    const eight = await runHarness(SCENARIO, { targets: [model.target], repeats: attempts, concurrency: 8 });
    say('');
    for (const line of HEADER) say(line);
    say(row('1', single, 16));
    say(row('8', eight, 16));
    say('');
    say(`Speed-up 8 against 1: ${(attemptsPerMinute(eight.summary) / attemptsPerMinute(single.summary)).toFixed(1)}× attempts per minute (first start to last end).`);
    say('');
    say('| workers | CPU s per attempt: harness | OpenCode (server starts included) | checks and git |');
    say('|---:|---:|---:|---:|');
    for (const [count, run] of [[1, single], [8, eight]] as const) {
      const last = run.cpu.at(-1);
      const per = (value: number | undefined) => (value === undefined ? '—' : (value / run.summary.totals.specs).toFixed(1));
      say(`| ${count} | ${per(last?.harnessS)} | ${per(last?.opencodeS)} | ${per(last?.reapedS)} |`);
    }
  } finally {
    await model.stop();
  }
}

async function measureConcurrency(): Promise<void> {
  const capacity = Number(values.capacity);
  say('');
  say(`## concurrency auto against fixed, one server with capacity ${capacity} (${attempts} attempts each, ${values['ttft-ms']} ms to first token, ${values['tokens-per-second']} tokens/s)`);
  const model = await startModel('gpu-like', capacity);
  try {
    say('');
    for (const line of HEADER) say(line);
    const rates: Array<[string, number]> = [];
    for (const fixed of values.fixed.split(',').map(Number)) {
      const run = await runHarness(SCENARIO, { targets: [model.target], repeats: attempts, concurrency: fixed });
      say(row(String(fixed), run, capacity));
      rates.push([String(fixed), attemptsPerMinute(run.summary)]);
    }
    const auto = await runHarness(SCENARIO, { targets: [model.target], repeats: attempts, concurrency: 'auto', autoConcurrency: { max: Number(values['auto-max']), start: 4 } });
    say(row('auto', auto, capacity));
    const best = rates.reduce((left, right) => (right[1] > left[1] ? right : left));
    say('');
    say(`auto: ${attemptsPerMinute(auto.summary).toFixed(2)} attempts/min, ${Math.round((attemptsPerMinute(auto.summary) / best[1]) * 100)}% of the best fixed (${best[0]}: ${best[1].toFixed(2)}).`);
  } finally {
    await model.stop();
  }
}

async function measureServers(): Promise<void> {
  say('');
  const capacity = Number(values['server-capacity']);
  const concurrency = Number(values['server-concurrency']);
  const each = Math.max(4, Math.round(attempts / 2));
  say(`## Two model servers at once against one after another (capacity ${capacity} each, concurrency ${concurrency}, ${each} attempts per server, ${values['ttft-ms']} ms to first token, ${values['tokens-per-second']} tokens/s)`);
  const left = await startModel('gpu-a', capacity);
  const right = await startModel('gpu-b', capacity);
  try {
    const first = await runHarness(SCENARIO, { targets: [left.target], repeats: each, concurrency });
    const second = await runHarness(SCENARIO, { targets: [right.target], repeats: each, concurrency });
    const both = await runHarness(SCENARIO, { targets: [left.target, right.target], repeats: each, concurrency });
    const sequentialMs = first.wallMs + second.wallMs;
    say('');
    say('| how | attempts | passed | wall s | attempts/min |');
    say('|---|---:|---:|---:|---:|');
    say(`| one after another | ${first.summary.totals.specs + second.summary.totals.specs} | ${first.summary.totals.passed + second.summary.totals.passed} | ${(sequentialMs / 1000).toFixed(0)} | ${((first.summary.totals.specs + second.summary.totals.specs) / (sequentialMs / 60_000)).toFixed(2)} |`);
    say(`| at once | ${both.summary.totals.specs} | ${both.summary.totals.passed} | ${(both.wallMs / 1000).toFixed(0)} | ${(both.summary.totals.specs / (both.wallMs / 60_000)).toFixed(2)} |`);
    say('');
    say(`At once: ${(sequentialMs / both.wallMs).toFixed(1)}× less wall time (CLI start to exit, both ways).`);
  } finally {
    await left.stop();
    await right.stop();
  }
}

if (parts.has('scaling')) await measureScaling();
if (parts.has('concurrency')) await measureConcurrency();
if (parts.has('servers')) await measureServers();
print();
