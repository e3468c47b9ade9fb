/**
 * Measures one attempt's wall time split into sandbox, agent and each check, over several
 * attempts of the scripted `reference` profile, through the real CLI and OpenCode.
 *
 *   npm run bench -- [--attempts 6] [--concurrency 1]
 *
 * Prints a Markdown table (medians and ranges) for the benchmark notes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { CHECK_NAMES, type AttemptRecord } from '../domain.ts';
import { onlyRunDir, readSummary, writeConfig, scriptedTarget, PROJECT_ROOT } from '../e2e/run-harness.ts';

const { values } = parseArgs({ options: { attempts: { type: 'string', default: '6' }, concurrency: { type: 'string', default: '1' } } });
const attempts = Number(values.attempts);
const concurrency = Number(values.concurrency);

const workDir = mkdtempSync(path.join(tmpdir(), 'harness-bench-'));
const config = writeConfig(workDir, { targets: [scriptedTarget('reference')], repeats: attempts, concurrency });
const started = Date.now();
const result = await execa(process.execPath, [path.join(PROJECT_ROOT, 'runners', 'cli.ts'), 'run', '--config', config], {
  reject: false,
  env: { FORCE_COLOR: '0' },
});
const wallMs = Date.now() - started;
if (result.exitCode !== 0) {
  process.stderr.write(`${String(result.stderr)}\nbenchmark run failed (exit ${String(result.exitCode)})\n`);
  process.exit(1);
}
const summary = readSummary(onlyRunDir(path.join(workDir, 'runs')));
const records = summary.specs.flatMap((spec) => spec.attempts);

const rows: Array<[string, (attempt: AttemptRecord) => number]> = [
  ['sandbox (copy, link, git baseline)', (a) => a.timings.sandboxMs],
  ['agent (OpenCode session, scripted model)', (a) => a.timings.agentMs],
  ['checks (all, in parallel)', (a) => a.timings.checksMs],
  ...CHECK_NAMES.map((name): [string, (attempt: AttemptRecord) => number] => [`  ${name}`, (a) => a.timings.checkMs[name] ?? 0]),
  ['total per attempt', (a) => a.timings.totalMs],
];

const lines = [
  `${records.length} attempts of scripted \`reference\`, concurrency ${concurrency}, run wall ${(wallMs / 1000).toFixed(1)} s (includes OpenCode server start)`,
  '',
  '| phase | median ms | min ms | max ms |',
  '|---|---:|---:|---:|',
  ...rows.map(([label, pick]) => {
    const values = records.map(pick).sort((a, b) => a - b);
    return `| ${label} | ${median(values)} | ${values[0] ?? 0} | ${values.at(-1) ?? 0} |`;
  }),
];
process.stdout.write(`${lines.join('\n')}\n`);

function median(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}
