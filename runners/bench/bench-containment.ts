/**
 * Containment benchmark: what bubblewrap, the private network namespace (bridge, DNS catcher,
 * connection recorder) and the harness's proxies cost per attempt. Runs the same small matrix
 * twice through the real CLI — `isolation: 'auto'` (contained) and `isolation: 'none'` — then
 * times cold starts of an OpenCode worker under each, alternating.
 *
 *   npm run bench:containment -- [--attempts 4] [--server-starts 3]
 *
 * Prints Markdown for runners/bench/BENCHMARKS.md, with the machine's load at the start and the
 * end: on a shared machine the two runs may not see the same load.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { describeIsolation } from '../core/domain/isolation.ts';
import { median } from '../pipeline/statistics/descriptive.ts';
import { ATTEMPT_PHASES, describeExtraTime, medianPhases, type AttemptPhase } from './support/containment-cost.ts';
import { attemptsOf, createBenchOutput, formatMs as ms, runHarness, type BenchRun } from './support/harness-run.ts';
import { timeServerStarts } from './support/server-start.ts';
import { scriptedTarget } from './support/workspace.ts';

const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '4' },
    'server-starts': { type: 'string', default: '3' },
  },
});
const ATTEMPTS = positiveCount('attempts');
const SERVER_STARTS = positiveCount('server-starts');
const SCENARIO = 'add-stock-widget';
const PHASE_LABELS: Record<AttemptPhase, string> = {
  totalMs: 'total per attempt',
  sandboxMs: '  sandbox ready',
  agentMs: '  agent (OpenCode session)',
  checksMs: '  checks, all in parallel',
};
const { say, print } = createBenchOutput();

function positiveCount(option: 'attempts' | 'server-starts'): number {
  const value = Number(values[option]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${option} ${String(values[option])}: must be a whole number of at least 1`);
  return value;
}

const describeLoad = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');

const loadAtStart = describeLoad();
const matrix = { targets: [scriptedTarget('reference')], repeats: ATTEMPTS, concurrency: 1 };
// Contained first: the first run also warms the file cache, which only makes containment look dearer.
const contained = await runHarness(SCENARIO, { ...matrix, isolation: 'auto' });
if (contained.summary.isolation?.kind !== 'bubblewrap' || contained.summary.isolation.namespace === undefined) {
  throw new Error(`isolation 'auto' did not contain the run here (isolation ${describeIsolation(contained.summary.isolation)}): install bubblewrap, nftables and conntrack (npm run setup as root) and rerun`);
}
const open = await runHarness(SCENARIO, { ...matrix, isolation: 'none' });
const startsContained: number[] = [];
const startsOpen: number[] = [];
for (let round = 0; round < SERVER_STARTS; round += 1) {
  startsContained.push(...(await timeServerStarts(contained.configFile, 1)).startsMs);
  startsOpen.push(...(await timeServerStarts(open.configFile, 1)).startsMs);
}
const loadAtEnd = describeLoad();

const passed = (run: BenchRun) => `${run.summary.totals.passed}/${run.summary.totals.specs} passed`;
const phasesContained = medianPhases(attemptsOf(contained.summary));
const phasesOpen = medianPhases(attemptsOf(open.summary));
const startContained = median(startsContained);
const startOpen = median(startsOpen);

say(`## Containment overhead (\`reference\` profile of ${SCENARIO}, ${ATTEMPTS} attempts per mode at concurrency 1; ${SERVER_STARTS} OpenCode worker starts per mode)`);
say('');
say(`Contained: isolation ${describeIsolation(contained.summary.isolation)} (${passed(contained)}). Open: isolation none (${passed(open)}).`);
say('');
say('| median, ms | contained (`auto`) | `none` | containment costs |');
say('|---|---:|---:|---:|');
for (const phase of ATTEMPT_PHASES) say(`| ${PHASE_LABELS[phase]} | ${ms(phasesContained[phase])} | ${ms(phasesOpen[phase])} | ${describeExtraTime(phasesContained[phase], phasesOpen[phase])} |`);
say(`| OpenCode worker start (network + server + event stream) | ${ms(startContained)} | ${ms(startOpen)} | ${describeExtraTime(startContained, startOpen)} |`);
say('');
const totals = (run: BenchRun) => attemptsOf(run.summary).map((attempt) => ms(attempt.timings.totalMs)).join(', ');
say(`Attempt totals in the order they ran, ms (the first of each run is cold): contained ${totals(contained)}; none ${totals(open)}.`);
say(`Worker starts, ms: contained ${startsContained.map((value) => ms(value)).join(', ')}; none ${startsOpen.map((value) => ms(value)).join(', ')}.`);
say(`Run wall (CLI start to exit): contained ${(contained.wallMs / 1000).toFixed(1)} s, none ${(open.wallMs / 1000).toFixed(1)} s.`);
say(`Load average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadAtEnd}.`);
print();
