import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { isUserError } from '../../core/errors.ts';
import { listJsonPaths, mutateAt, topLevelKeyOf } from '../../testing/support/json-mutation.ts';
import { loadScenario } from './load-scenarios.ts';

/**
 * Properties of the scenario parser: whatever a scenario.yaml holds — any YAML value, any
 * text — loading it gives a resolved scenario or a UserError naming the file (and, for a
 * value that parses, a field); never a crash or another kind of error.
 */
const root = mkdtempSync(path.join(tmpdir(), 'scenario-properties-'));
const ID = 'fuzzed';
const dir = path.join(root, ID);
for (const folder of ['hidden-tests', 'reference']) mkdirSync(path.join(dir, folder), { recursive: true });
const FILE = path.join(dir, 'scenario.yaml');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const VALID = {
  id: ID,
  title: 'A fuzzed scenario',
  fixture: 'portfolio-dashboard',
  tags: ['difficulty:easy', 'widget', 'table'],
  timeoutMs: 60000,
  turns: [{ text: 'Add a watchlist widget.' }],
  answers: [{ match: 'data|source', answer: 'The core quotes client.' }],
  policy: {
    edit: { allow: ['src/user-components/**'], deny: ['src/core/**'] },
    read: { deny: ['.env*', 'secrets/**'] },
    bash: { default: 'deny', allow: ['npm test'] },
    webfetch: 'deny',
    question: 'allow',
  },
  hiddenTests: { dir: 'hidden-tests', target: 'acceptance' },
};

type Outcome = { kind: 'resolved' } | { kind: 'user-error'; message: string };

function loadText(text: string): Outcome {
  writeFileSync(FILE, text);
  try {
    loadScenario(root, ID);
    return { kind: 'resolved' };
  } catch (error) {
    if (!isUserError(error)) throw new Error(`not a UserError: ${String(error)}`, { cause: error });
    return { kind: 'user-error', message: error.message };
  }
}

function expectNamesTheFile(message: string): void {
  for (const line of message.split('\n')) expect(line.startsWith(FILE)).toBe(true);
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });

describe('scenario parser properties', () => {
  it('loads the valid base scenario', () => {
    expect(loadText(stringifyYaml(VALID))).toEqual({ kind: 'resolved' });
  });

  it('any YAML value: a scenario, or a UserError naming the file and a field', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const outcome = loadText(stringifyYaml(value));
        if (outcome.kind === 'user-error') {
          expectNamesTheFile(outcome.message);
          for (const line of outcome.message.split('\n')) expect(line.slice(FILE.length)).toMatch(/^(:\d+:\d+)?: (\(root\)|[A-Za-z][\w.[\]]*) \S/);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('any text at all: a scenario, or a UserError naming the file', () => {
    const validText = stringifyYaml(VALID);
    const damaged = fc
      .tuple(fc.nat(validText.length), fc.nat(40), fc.string({ maxLength: 12 }))
      .map(([start, length, insert]) => validText.slice(0, start) + insert + validText.slice(start + length));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), damaged), (generated) => {
        // An unknown `!tag` or `%directive` only gives a string (and a process warning that would clutter the output).
        const text = generated.replace(/[!%]/g, '?');
        const outcome = loadText(text);
        if (outcome.kind === 'user-error') expectNamesTheFile(outcome.message);
      }),
      { numRuns: 300 },
    );
  });

  it('one field of a valid scenario changed or removed: still a scenario, or a UserError naming that field', () => {
    const paths = listJsonPaths(VALID).filter((candidate) => candidate[0] !== 'id');
    fc.assert(
      fc.property(fc.nat(paths.length - 1), fc.option(jsonValue, { nil: undefined }), (index, replacement) => {
        const mutated = paths[index] ?? [];
        const outcome = loadText(stringifyYaml(mutateAt(VALID, mutated, replacement)));
        if (outcome.kind === 'resolved') return;
        expectNamesTheFile(outcome.message);
        expect(outcome.message).toContain(topLevelKeyOf(mutated));
      }),
      { numRuns: 300 },
    );
  });
});
