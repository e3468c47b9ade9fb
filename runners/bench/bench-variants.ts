/**
 * `npm run bench:variants`: what OpenCode's deployed defaults cost against the `lean` variant
 * (todowrite, task and skill off, no auto-compaction) — the size of the first request OpenCode
 * sends the model (system prompt, tool definitions, tools offered), the prompt tokens an attempt
 * uses, and the agent's time — on `add-stock-widget` with the `reference` profile, recorded with
 * `--record` so that the requests are read exactly as sent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { median } from '../pipeline/statistics/descriptive.ts';
import { attemptsOf, createBenchOutput, formatMs, runHarness } from './support/harness-run.ts';
import { measureRequest, type RequestSize } from './support/request-size.ts';

const VARIANTS = ['default', 'lean'] as const;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 4);
const SCENARIO = 'add-stock-widget';

const out = createBenchOutput();
const run = await runHarness(
  SCENARIO,
  { targets: [{ kind: 'scripted', id: 'scripted-reference', model: 'reference', quantization: 'n/a' }], promptVariants: [...VARIANTS], repeats: REPEATS, concurrency: 1 },
  ['--record'],
);

const firstRequests = readFirstRequests(path.join(run.runDir, 'cassettes'));
out.say(`## Agent variants (\`npm run bench:variants\`, ${SCENARIO}, reference profile, ${REPEATS} attempts per variant, 1 worker)`);
out.say();
out.say('| variant | system prompt, chars | tool definitions, chars | ≈ tokens (chars / 4) | tools offered | prompt tokens per attempt (median) | agent time, ms (median) | passed |');
out.say('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const variant of VARIANTS) {
  const specs = run.summary.specs.filter((spec) => spec.spec.promptVariantId === variant);
  const attempts = attemptsOf({ ...run.summary, specs });
  const size = firstRequests.get(variant);
  const promptTokens = median(attempts.map((attempt) => attempt.tokens.input));
  const agentMs = median(attempts.map((attempt) => attempt.timings.agentMs));
  const passed = specs.filter((spec) => spec.outcome.kind === 'passed').length;
  out.say(`| ${variant} | ${size?.systemChars ?? '—'} | ${size?.toolChars ?? '—'} | ${size?.approxTokens ?? '—'} | ${size?.tools ?? '—'} | ${formatMs(promptTokens)} | ${formatMs(agentMs)} | ${passed}/${specs.length} |`);
}
out.say();
out.say(`Run wall: ${(run.wallMs / 1000).toFixed(1)} s.`);
out.print();

/** Per variant, the first request of its first attempt (cassettes are named by attempt id). */
function readFirstRequests(cassettesDir: string): Map<string, RequestSize> {
  const byAttempt = new Map(run.summary.specs.flatMap((spec) => spec.attempts.map((attempt) => [attempt.attemptId, spec.spec.promptVariantId] as const)));
  const sizes = new Map<string, RequestSize>();
  for (const file of readdirSync(cassettesDir).sort()) {
    const variant = byAttempt.get(file.replace(/\.jsonl$/, ''));
    if (variant === undefined || sizes.has(variant)) continue;
    const first = readFileSync(path.join(cassettesDir, file), 'utf8').split('\n').find((line) => line.includes('/chat/completions'));
    if (first === undefined) continue;
    const entry = JSON.parse(first) as { request: { body: string } };
    sizes.set(variant, measureRequest(entry.request.body));
  }
  return sizes;
}
