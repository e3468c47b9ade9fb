import path from 'node:path';
import type { CallApiContextParams } from 'promptfoo';
import { describe, expect, it } from 'vitest';
import type { RunAttemptsRequest, RunAttemptsResult } from '../api/run-attempts.ts';
import type { PreparedRun } from '../../pipeline/plan/prepare-run.ts';
import { UserError } from '../../core/errors.ts';
import HarnessProvider, { type HarnessProviderDependencies } from './harness-provider.ts';
import { checkNodeVersion } from './provider-config.ts';
import { RUN_DIR, sampleSpec } from './test-support.ts';

let configCounter = 0;

/** A provider whose harness is a fake: records requests, answers with a sample attempt. */
function makeProvider(answer: (request: RunAttemptsRequest) => Promise<RunAttemptsResult>, concurrency = 2) {
  const requests: RunAttemptsRequest[] = [];
  configCounter += 1;
  const dependencies: HarnessProviderDependencies = {
    runAttempts: (request) => {
      requests.push(request);
      return answer(request);
    },
    readConcurrency: async () => concurrency,
  };
  const provider = new HarnessProvider(
    { id: 'file://harness-provider.ts', config: { target: 'qwen-awq', promptVariant: 'default', harnessConfig: `fake-${configCounter}.config.ts` } },
    dependencies,
  );
  return { provider, requests };
}

function sampleResult(request: RunAttemptsRequest): Promise<RunAttemptsResult> {
  const { spec, attempts } = sampleSpec('sortable', 'qwen-awq');
  const repeatIndex = request.repeatIndexes?.[0] ?? 0;
  return Promise.resolve({ runId: 'run-1', runDir: RUN_DIR, prepared: {} as PreparedRun, specs: [{ ...spec, repeatIndex }], attempts });
}

function context(vars: Record<string, string>, repeatIndex?: number): CallApiContextParams {
  return { vars, prompt: { raw: '{{scenario}}', label: 'scenario' }, ...(repeatIndex === undefined ? {} : { repeatIndex }) };
}

describe('HarnessProvider', () => {
  it('runs one attempt of the test’s scenario on its target and prompt variant, at promptfoo’s repeat index', async () => {
    const { provider, requests } = makeProvider(sampleResult);
    const response = await provider.callApi('sortable', context({ scenario: 'sortable' }, 3));
    expect(requests).toEqual([
      expect.objectContaining({ scenarioIds: ['sortable'], targetIds: ['qwen-awq'], promptVariantIds: ['default'], repeatIndexes: [3], configFile: path.resolve(`fake-${configCounter}.config.ts`) }),
    ]);
    expect(response.error).toBeUndefined();
    expect(response.output).toContain('```diff');
    expect(response.metadata?.harness).toMatchObject({ runDir: RUN_DIR, repeatIndex: 3, outcome: { kind: 'failed' } });
    expect(provider.id()).toBe('harness:qwen-awq:default');
  });

  it('runs every call as a new attempt, never answering from a cache', async () => {
    const { provider, requests } = makeProvider(sampleResult);
    const first = await provider.callApi('sortable', context({ scenario: 'sortable' }, 0));
    const second = await provider.callApi('sortable', context({ scenario: 'sortable' }, 0));
    expect(requests).toHaveLength(2);
    expect([first.cached, second.cached]).toEqual([false, false]);
  });

  it('returns an error naming vars.scenario when the test does not say which scenario', async () => {
    const { provider, requests } = makeProvider(sampleResult);
    const response = await provider.callApi('x', context({ topic: 'x' }));
    expect(response.error).toContain("the test's vars.scenario must name a harness scenario");
    expect(requests).toHaveLength(0);
  });

  it('returns bad input (unknown scenario, target) as an error naming the provider', async () => {
    const { provider } = makeProvider(() => Promise.reject(new UserError('FILTER_INVALID', 'unknown target "qwen-awq" in the filter; known: a, b')));
    const response = await provider.callApi('x', context({ scenario: 'sortable' }));
    expect(response.error).toBe('promptfoo provider "qwen-awq/default": unknown target "qwen-awq" in the filter; known: a, b');
  });

  it('returns a harness bug as an error with its stack, not as a crash', async () => {
    const { provider } = makeProvider(() => Promise.reject(new Error('boom')));
    const response = await provider.callApi('x', context({ scenario: 'sortable' }));
    expect(response.error).toMatch(/^harness bug while running sortable on "qwen-awq\/default" \(please report it\): Error: boom\n\s+at /);
  });

  it('never runs more attempts at once than the harness config’s concurrency', async () => {
    let active = 0;
    let maxActive = 0;
    const { provider } = makeProvider(async (request) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 20));
      active -= 1;
      return sampleResult(request);
    }, 1);
    await Promise.all([0, 1, 2].map((repeat) => provider.callApi('s', context({ scenario: 'sortable' }, repeat))));
    expect(maxActive).toBe(1);
  });

  it('rejects a bad config when promptfoo loads the provider, naming the field', () => {
    expect(() => new HarnessProvider({ id: 'file://harness-provider.ts', label: 'mine', config: { promptVariant: 'default' } })).toThrow(
      'promptfoo provider "mine": config.target is required: the id of a target in the harness config, e.g. scripted-reference',
    );
    expect(() => new HarnessProvider({ id: 'file://harness-provider.ts', config: { target: 'a', promptVariants: 'x' } })).toThrow(
      /promptfoo provider "file:\/\/harness-provider.ts": config Unrecognized key: "promptVariants"/,
    );
  });

  it('refuses to load on a Node older than 24, saying to use the project’s', () => {
    expect(() => checkNodeVersion('v20.20.2', 'p')).toThrow('promptfoo provider "p": the harness needs Node 24 or newer, but promptfoo runs on Node v20.20.2');
    expect(() => checkNodeVersion('v24.21.0', 'p')).not.toThrow();
  });
});
