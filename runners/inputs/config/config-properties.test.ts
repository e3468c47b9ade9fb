import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../core/errors.ts';
import { listJsonPaths, mutateAt, topLevelKeyOf } from '../../testing/support/json-mutation.ts';
import { resolveConfig } from './load-config.ts';

/**
 * Properties of the config parser: whatever value a config file exports, loading it either
 * gives a resolved config or a UserError naming the file and a field — never a crash, never
 * another kind of error.
 */
const FILE = path.join('/nonexistent', 'project', 'harness.config.ts');

const VALID = {
  outputDir: 'runs',
  scenarios: ['add-stock-widget'],
  promptVariants: ['default'],
  targets: [
    { kind: 'scripted', id: 'scripted-reference', model: 'reference', quantization: 'n/a' },
    {
      kind: 'openai-compatible',
      id: 'vllm-awq',
      model: 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ',
      baseURL: 'http://gpu-host:8000/v1',
      quantization: 'awq-int4',
      limits: { context: 32768, output: 4096 },
      sampling: { temperature: 0, seed: 1 },
      apiKeyEnv: 'VLLM_API_KEY',
      serve: { command: ['./switch-model.sh', 'awq'], readyTimeoutMs: 60000 },
    },
  ],
  repeats: 2,
  concurrency: 2,
  infraRetries: 1,
  gate: { minPassRate: 0.8, maxViolationRate: 0 },
};

type Outcome = { kind: 'resolved'; value: ReturnType<typeof resolveConfig> } | { kind: 'user-error'; message: string };

function load(value: unknown): Outcome {
  try {
    return { kind: 'resolved', value: resolveConfig(value, FILE) };
  } catch (error) {
    if (!isUserError(error)) throw new Error(`not a UserError: ${String(error)}`, { cause: error });
    return { kind: 'user-error', message: error.message };
  }
}

/** Every line names the file and a field (or the root) before saying what is wrong. */
function expectNamedFields(message: string): void {
  for (const line of message.split('\n')) expect(line).toMatch(/^harness\.config\.ts: (\(root\)|[A-Za-z][\w.[\]]*) \S/);
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });

describe('config parser properties', () => {
  it('resolves the valid base config', () => {
    expect(load(VALID).kind).toBe('resolved');
  });

  it('any JSON value: a resolved config, or a UserError naming the file and a field', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const outcome = load(value);
        if (outcome.kind === 'user-error') expectNamedFields(outcome.message);
        else expect(outcome.value.targets.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('any object with config-like keys: the same', () => {
    const configLike = fc.record(
      {
        targets: fc.oneof(fc.constant(VALID.targets), fc.array(fc.record({ kind: fc.constantFrom('scripted', 'openai-compatible', 'replay', 'x'), id: fc.string(), model: fc.string(), baseURL: fc.webUrl() }, { requiredKeys: [] }), { maxLength: 3 })),
        repeats: fc.oneof(fc.integer(), fc.double(), fc.string()),
        concurrency: fc.oneof(fc.integer({ min: -2, max: 100 }), fc.constant(null), fc.constantFrom('auto', 'Auto', 'max')),
        autoConcurrency: fc.record({ max: fc.integer({ min: 0, max: 80 }), start: fc.integer({ min: 0, max: 80 }), fallback: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.string()) }, { requiredKeys: [] }),
        scenarios: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        promptVariants: fc.array(fc.constantFrom('default', 'concise', 'Default', ''), { maxLength: 3 }),
        isolation: fc.constantFrom('auto', 'bubblewrap', 'none', 'docker', 3),
        gate: fc.record({ minPassRate: fc.double(), failOnSignificantRegression: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(configLike, (value) => {
        const outcome = load(value);
        if (outcome.kind === 'user-error') expectNamedFields(outcome.message);
      }),
      { numRuns: 300 },
    );
  });

  it('one field of a valid config changed or removed: still resolved, or a UserError naming that field', () => {
    const paths = listJsonPaths(VALID);
    fc.assert(
      fc.property(fc.nat(paths.length - 1), fc.option(jsonValue, { nil: undefined }), (index, replacement) => {
        const mutated = paths[index] ?? [];
        const outcome = load(mutateAt(VALID, mutated, replacement));
        if (outcome.kind === 'resolved') return;
        expectNamedFields(outcome.message);
        expect(outcome.message).toContain(topLevelKeyOf(mutated));
      }),
      { numRuns: 400 },
    );
  });

  it('a field added anywhere in a valid config: refused by name, with the fields allowed there', () => {
    const objectPaths = [[], ...listJsonPaths(VALID)].filter((candidate) => {
      let node: unknown = VALID;
      for (const key of candidate) node = (node as Record<string | number, unknown>)[key];
      return typeof node === 'object' && node !== null && !Array.isArray(node);
    });
    fc.assert(
      fc.property(fc.nat(objectPaths.length - 1), fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/), jsonValue, (index, key, value) => {
        const at = objectPaths[index] ?? [];
        fc.pre(!listJsonPaths(VALID).some((existing) => existing.length === at.length + 1 && existing.join('.') === [...at, key].join('.')));
        const outcome = load(mutateAt(VALID, [...at, key], value));
        expect(outcome.kind).toBe('user-error');
        if (outcome.kind !== 'user-error') return;
        expect(outcome.message).toContain(`has unknown field "${key}"`);
        expect(outcome.message).toContain('allowed here: ');
      }),
      { numRuns: 200 },
    );
  });
});
