/**
 * Matrix benchmark: harness overhead per attempt against a naive loop, sandbox time, worker
 * scaling with a GPU-like latency model, and memory — all through the real CLI and OpenCode.
 *
 *   npm run bench:matrix -- [--attempts 8] [--naive 3] [--scaling-workers 8] [--skip-scaling]
 *
 * Prints Markdown for runners/bench/BENCHMARKS.md. Numbers depend on the machine's load.
 * CPU seconds per attempt come from /proc (see support/cpu-sampler.ts for the method).
 */
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { loadFixture } from '../inputs/fixtures/load-fixture.ts';
import { buildOpencodeConfig } from '../attempt/opencode/opencode-config.ts';
import { buildIsolatedEnv, prepareWorkerRoot } from '../attempt/opencode/opencode-env.ts';
import { resolveOpencodeBinary } from '../attempt/opencode/opencode-server.ts';
import { loadScenario } from '../inputs/scenarios/load-scenarios.ts';
import { startScriptedModelServer } from '../endpoints/scripted-model/scripted-model-server.ts';
import { median } from '../pipeline/statistics/descriptive.ts';
import { PROJECT_ROOT } from '../core/project-root.ts';
import { scriptedTarget } from './support/workspace.ts';
import { attemptsOf, createBenchOutput, formatMs as ms, runHarness as runBench, type BenchRun } from './support/harness-run.ts';
import { cpuBetween, reapedChildrenCpuS } from './support/cpu-sampler.ts';
import { startScriptedModelProcess } from './support/scripted-model-process.ts';

const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '8' },
    naive: { type: 'string', default: '3' },
    'scaling-workers': { type: 'string', default: '8' },
    'skip-scaling': { type: 'boolean', default: false },
  },
});
const SCENARIO = 'add-stock-widget';
const { say, print } = createBenchOutput();

const runHarness = (body: Record<string, unknown>): Promise<BenchRun> => runBench(SCENARIO, body);

/** Like runHarness, sampling the CPU split of the harness's process tree as well. */
const runHarnessWithCpu = (body: Record<string, unknown>): Promise<BenchRun> => runBench(SCENARIO, body, [], { sampleCpu: true });

interface CpuPerAttempt {
  harnessS: number;
  opencodeS: number;
  checksS: number;
}
const cpuTotal = (cpu: CpuPerAttempt) => cpu.harnessS + cpu.opencodeS + cpu.checksS;

async function measureOverhead(count: number): Promise<{ totalMs: number; warmMs: number; cpu: CpuPerAttempt }> {
  say(`## Overhead per attempt (instant scripted model, ${count} attempts, 1 worker)`);
  const { summary, memory, cpu: samples } = await runHarnessWithCpu({ targets: [scriptedTarget('reference')], repeats: count, concurrency: 1 });
  const attempts = attemptsOf(summary);
  const warm = attempts.slice(1);
  const pick = (get: (a: (typeof attempts)[number]) => number) => median(warm.map(get));
  say('');
  say('| phase | first attempt (cold) ms | median of the rest (warm) ms |');
  say('|---|---:|---:|');
  const first = attempts[0];
  const rows: Array<[string, (a: (typeof attempts)[number]) => number]> = [
    ['sandbox ready (copy or reset, deps linked, git baseline)', (a) => a.timings.sandboxMs],
    ['agent (OpenCode session)', (a) => a.timings.agentMs],
    ['checks, all in parallel', (a) => a.timings.checksMs],
    ['  typecheck', (a) => a.timings.checkMs.typecheck ?? 0],
    ['  lint', (a) => a.timings.checkMs.lint ?? 0],
    ['  tests (fixture + hidden)', (a) => a.timings.checkMs.tests ?? 0],
    ['total', (a) => a.timings.totalMs],
  ];
  for (const [label, get] of rows) say(`| ${label} | ${ms(first === undefined ? undefined : get(first))} | ${ms(pick(get))} |`);
  say('');
  say(`All passed: ${summary.totals.passed}/${summary.totals.specs}. Peak RSS: harness ${memory.harnessMb.toFixed(0)} MB, largest OpenCode server ${memory.opencodeMb.toFixed(0)} MB.`);
  // CPU of the warm attempts: from the second attempt's start to the last one's end.
  const second = warm[0];
  const last = attempts.at(-1);
  const window = second === undefined || last === undefined ? { harnessS: 0, opencodeS: 0, checksS: 0 } : cpuBetween(samples, Date.parse(second.startedAt), Date.parse(last.finishedAt));
  const per = Math.max(1, warm.length);
  const cpu = { harnessS: window.harnessS / per, opencodeS: window.opencodeS / per, checksS: window.checksS / per };
  say('');
  say('| CPU per warm attempt (from /proc, see support/cpu-sampler.ts) | CPU s |');
  say('|---|---:|');
  say(`| harness process (incl. the embedded scripted model) | ${cpu.harnessS.toFixed(2)} |`);
  say(`| OpenCode server | ${cpu.opencodeS.toFixed(2)} |`);
  say(`| checks and git (every other process of the run) | ${cpu.checksS.toFixed(2)} |`);
  say(`| total | ${cpuTotal(cpu).toFixed(2)} |`);
  return { totalMs: median(attempts.map((a) => a.timings.totalMs)) ?? 0, warmMs: median(warm.map((a) => a.timings.totalMs)) ?? 0, cpu };
}

/** The naive loop: fresh copy, `opencode run`, then tsc, eslint and vitest one after another. */
async function measureNaive(count: number): Promise<{ wallMs: number; cpuS: number }> {
  say('');
  say(`## Naive loop (${count} iterations): copy, \`opencode run\`, tsc, eslint, vitest in sequence`);
  const scenario = loadScenario(path.join(PROJECT_ROOT, 'scenarios'), SCENARIO);
  const fixture = loadFixture(path.join(PROJECT_ROOT, 'fixtures'), scenario.fixture, 'bench');
  const server = await startScriptedModelServer({ scenarios: [scenario] });
  const target = { kind: 'scripted' as const, id: 'reference', model: 'reference', quantization: 'n/a', limits: { context: 32768, output: 4096 }, sampling: {} };
  const configContent = JSON.stringify(buildOpencodeConfig([{ target, baseURL: server.baseURL, apiKey: 'EMPTY' }], { settings: { agent: {}, instructions: [] }, rules: [], agents: [] }));
  const walls: number[] = [];
  const cpus: number[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const root = mkdtempSync(path.join(tmpdir(), 'naive-'));
      const env = buildIsolatedEnv(path.join(root, 'worker'), path.dirname(process.execPath));
      prepareWorkerRoot(env);
      const started = Date.now();
      const cpuStart = reapedChildrenCpuS() + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
      const dir = path.join(root, 'repo');
      cpSync(fixture.dir, dir, { recursive: true, filter: (source) => !source.startsWith(path.join(fixture.dir, 'node_modules')) });
      symlinkSync(path.join(fixture.dir, 'node_modules'), path.join(dir, 'node_modules'));
      const run = await execa(resolveOpencodeBinary(), ['run', '--model', 't-reference/reference', scenario.turns[0]?.text ?? ''], {
        cwd: dir,
        env: { ...env, OPENCODE_CONFIG_CONTENT: configContent },
        extendEnv: false,
        reject: false,
        timeout: 180_000,
        // `opencode run` reads piped stdin as part of the message; give it none.
        stdin: 'ignore',
      });
      cpSync(scenario.hiddenTestsDir, path.join(dir, scenario.hiddenTestsTarget), { recursive: true });
      const outputFile = path.join(root, 'report.json');
      for (const command of [fixture.commands.typecheck, fixture.commands.lint, fixture.commands.tests]) {
        const [binary, ...args] = command.map((part) => part.replaceAll('{outputFile}', outputFile));
        await execa(binary === 'node' ? process.execPath : (binary ?? ''), args, { cwd: dir, reject: false });
      }
      walls.push(Date.now() - started);
      // Every child (opencode run, tsc, eslint, vitest) was waited for; this process serves the model.
      cpus.push(reapedChildrenCpuS() + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 - cpuStart);
      if (run.exitCode !== 0) say(`(iteration ${index + 1}: opencode run exited ${String(run.exitCode)}${run.timedOut ? ', timed out' : ''})`);
    }
  } finally {
    await server.close();
  }
  const value = median(walls) ?? 0;
  const cpuS = median(cpus) ?? 0;
  say('');
  say(`Median ${ms(value)} ms per iteration (${walls.map((wall) => ms(wall)).join(', ')}); CPU ${cpuS.toFixed(2)} s per iteration (${cpus.map((cpu) => cpu.toFixed(2)).join(', ')}).`);
  return { wallMs: value, cpuS };
}

async function measureScaling(workers: number): Promise<void> {
  say('');
  say(`## Throughput with a GPU-like model (1 s to first token, 30 tokens/s per stream), 1 vs ${workers} workers`);
  const model = await startScriptedModelProcess({ ttftMs: 1000, tokensPerSecond: 30, concurrencySlowdown: 0.02 });
  const target = { kind: 'openai-compatible', id: 'gpu-like', model: 'reference', baseURL: model.baseURL, quantization: 'emulated' };
  try {
    const single = await runHarness({ targets: [target], repeats: 3, concurrency: 1 });
    const many = await runHarness({ targets: [target], repeats: workers * 2, concurrency: workers });
    const rate = (run: BenchRun) => run.summary.totals.specs / (run.wallMs / 60_000);
    say('');
    say('| workers | attempts | passed | wall s | attempts/min | peak harness RSS MB | peak OpenCode RSS MB |');
    say('|---:|---:|---:|---:|---:|---:|---:|');
    for (const [count, run] of [[1, single], [workers, many]] as const) {
      say(`| ${count} | ${run.summary.totals.specs} | ${run.summary.totals.passed} | ${(run.wallMs / 1000).toFixed(1)} | ${rate(run).toFixed(2)} | ${run.memory.harnessMb.toFixed(0)} | ${run.memory.opencodeMb.toFixed(0)} |`);
    }
    say('');
    say(`Speed-up: ${(rate(many) / rate(single)).toFixed(1)}× (run wall includes server start-up).`);
  } finally {
    await model.stop();
  }
}

const overhead = await measureOverhead(Number(values.attempts));
const naive = await measureNaive(Number(values.naive));
say('');
say(`Harness median total per attempt ${ms(overhead.totalMs)} ms vs naive ${ms(naive.wallMs)} ms: ${(naive.wallMs / overhead.totalMs).toFixed(1)}× less (warm attempts ${ms(overhead.warmMs)} ms: ${(naive.wallMs / overhead.warmMs).toFixed(1)}×).`);
say(`CPU per warm attempt ${cpuTotal(overhead.cpu).toFixed(2)} s (harness ${overhead.cpu.harnessS.toFixed(2)}, OpenCode ${overhead.cpu.opencodeS.toFixed(2)}, checks and git ${overhead.cpu.checksS.toFixed(2)}) vs naive ${naive.cpuS.toFixed(2)} s: ${(naive.cpuS / Math.max(0.01, cpuTotal(overhead.cpu))).toFixed(1)}× less.`);
if (!values['skip-scaling']) await measureScaling(Number(values['scaling-workers']));
print();
