import { defineConfig } from './runners/inputs/config/define-config.ts';

/**
 * The default run: every scenario of the suite (scenarios/) on the embedded scripted model (no
 * GPU needed) — the reference profile beside two failing profiles (a write to src/core/, a type
 * error), so the report shows the checks telling them apart.
 * 12 scenarios × 3 targets = 36 attempts (kept in step with scenarios/ by `npm run docs:scenarios`),
 * about five minutes at concurrency 2. (`harness validate` runs `reference`, `noop` and
 * `answers-probe` on every scenario, into runs/validate/.)
 *
 * A real vLLM target looks like:
 *   {
 *     kind: 'openai-compatible', id: 'qwen2.5-coder-32b-awq',
 *     baseURL: 'http://a30-host:8000/v1', model: 'Qwen/Qwen2.5-Coder-32B-Instruct-AWQ',
 *     quantization: 'awq-int4', limits: { context: 32768, output: 4096 },
 *     sampling: { temperature: 0, seed: 1 }, apiKeyEnv: 'VLLM_API_KEY',
 *   }
 * or, without editing this file: `npm run harness -- run --endpoint URL --model NAME`.
 */
export default defineConfig({
  outputDir: 'runs',
  promptVariants: ['default'],
  targets: [
    { kind: 'scripted', id: 'scripted-reference', model: 'reference', quantization: 'n/a' },
    { kind: 'scripted', id: 'scripted-core-write', model: 'core-write', quantization: 'n/a' },
    { kind: 'scripted', id: 'scripted-type-error', model: 'type-error', quantization: 'n/a' },
  ],
  repeats: 1,
  concurrency: 2,
});
