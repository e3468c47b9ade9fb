import { describe, expect, it } from 'vitest';
import type { ResolvedPromptVariant, ResolvedTarget } from '../../core/domain/target.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { planRuns } from './plan-runs.ts';
import { groupSpecsByServedModel, orderTargetsByServedModel, queueGroupsByServer, servedModelKeyOf, serverKeyOf } from './served-model-groups.ts';

const common = { quantization: 'q', limits: { context: 32768, output: 4096 }, sampling: {} };
const endpoint = (id: string, baseURL: string, model: string): ResolvedTarget => ({ kind: 'openai-compatible', id, baseURL, model, ...common });
const scripted = (id: string): ResolvedTarget => ({ kind: 'scripted', id, model: 'reference', ...common });

const awqGreedy = endpoint('awq-greedy', 'http://a30:8000/v1', 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ');
const gptq = endpoint('gptq', 'http://a30:8000/v1', 'Qwen/Qwen2.5-Coder-14B-Instruct-GPTQ-Int4');
const awqWarm = endpoint('awq-warm', 'http://A30:8000/v1/', 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ');
const reference = scripted('scripted-reference');

describe('grouping targets by served model', () => {
  it('keys by base URL (normalized) and model', () => {
    expect(servedModelKeyOf(awqGreedy)).toBe(servedModelKeyOf(awqWarm));
    expect(servedModelKeyOf(awqGreedy)).not.toBe(servedModelKeyOf(gptq));
  });

  it('puts targets of the same served model next to each other, keeping first-seen order', () => {
    expect(orderTargetsByServedModel([awqGreedy, gptq, awqWarm, reference]).map((target) => target.id)).toEqual(['awq-greedy', 'awq-warm', 'gptq', 'scripted-reference']);
  });

  it('plans one block of specs per served model, so a run switches models once per model', () => {
    const input = {
      scenarios: [{ id: 'a' }, { id: 'b' }] as ResolvedScenario[],
      targets: [awqGreedy, gptq, awqWarm, reference],
      promptVariants: [{ id: 'default' }] as ResolvedPromptVariant[],
      repeats: 2,
    };
    const specs = planRuns(input);
    expect([...new Set(specs.map((spec) => spec.targetId))]).toEqual(['awq-greedy', 'awq-warm', 'gptq', 'scripted-reference']);
    const groups = groupSpecsByServedModel(specs, new Map(input.targets.map((target) => [target.id, target])));
    expect(groups.map((group) => group.targetIds)).toEqual([['awq-greedy', 'awq-warm'], ['gptq'], ['scripted-reference']]);
    expect(groups.map((group) => group.specs.length)).toEqual([8, 4, 4]);
    expect(groups.flatMap((group) => group.specs)).toEqual(specs);
  });

  it('keeps spec ids independent of the reordering', () => {
    const base = { scenarios: [{ id: 'a' }] as ResolvedScenario[], promptVariants: [{ id: 'default' }] as ResolvedPromptVariant[], repeats: 1 };
    const ids = (targets: ResolvedTarget[]) => new Map(planRuns({ ...base, targets }).map((spec) => [spec.targetId, spec.id]));
    expect(ids([awqGreedy, gptq, awqWarm])).toEqual(ids([awqWarm, awqGreedy, gptq]));
  });
});

describe('queueing served-model groups by server', () => {
  const other = endpoint('other-gpu', 'http://a30-b:8000/v1', 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ');
  const served = (target: ResolvedTarget): ResolvedTarget =>
    target.kind === 'openai-compatible' ? { ...target, serve: { command: ['./switch-model.sh', target.model], readyTimeoutMs: 1000 } } : target;
  const queuesOf = (targets: ResolvedTarget[]) => {
    const specs = planRuns({ scenarios: [{ id: 'a' }] as ResolvedScenario[], targets, promptVariants: [{ id: 'default' }] as ResolvedPromptVariant[], repeats: 1 });
    const byId = new Map(targets.map((target) => [target.id, target]));
    return queueGroupsByServer(groupSpecsByServedModel(specs, byId), byId);
  };

  it('keys a server by its base URL origin: two models on one GPU share it, another host does not', () => {
    expect(serverKeyOf(awqGreedy)).toBe(serverKeyOf(gptq));
    expect(serverKeyOf(awqWarm)).toBe(serverKeyOf(awqGreedy));
    expect(serverKeyOf(endpoint('other-path', 'http://a30:8000/other/v1', 'm'))).toBe(serverKeyOf(awqGreedy));
    expect(serverKeyOf(other)).not.toBe(serverKeyOf(awqGreedy));
    expect(serverKeyOf(endpoint('other-port', 'http://a30:8001/v1', 'm'))).not.toBe(serverKeyOf(awqGreedy));
    expect(serverKeyOf(reference)).toBe(serverKeyOf(scripted('scripted-noop')));
  });

  it('gives each server its own queue of groups, in plan order', () => {
    const queues = queuesOf([awqGreedy, other, gptq, reference]);
    expect(queues.map((queue) => queue.groups.map((group) => group.targetIds))).toEqual([[['awq-greedy'], ['gptq']], [['other-gpu']], [['scripted-reference']]]);
    expect(queues.map((queue) => queue.switchesModels)).toEqual([false, false, false]);
  });

  it('makes a server take turns when one of its targets brings its model up', () => {
    const queues = queuesOf([awqGreedy, served(gptq), served(other), reference]);
    expect(queues.map((queue) => [queue.groups.length, queue.switchesModels])).toEqual([
      [2, true],
      [1, true],
      [1, false],
    ]);
  });
});

describe('a target with replicas', () => {
  const replicated = (id: string, baseURLs: string[], model = 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ'): ResolvedTarget => ({ kind: 'openai-compatible', id, baseURL: baseURLs[0] ?? '', baseURLs, model, ...common });

  it('is one server made of its replicas, whatever order they are listed in', () => {
    const one = replicated('one', ['http://gpu1:8000/v1', 'http://gpu2:8000/v1']);
    const other = replicated('other', ['http://GPU2:8000/v1/', 'http://gpu1:8000/v1'], 'another-model');
    expect(serverKeyOf(one)).toBe('http://gpu1:8000 + http://gpu2:8000');
    expect(serverKeyOf(other)).toBe(serverKeyOf(one));
    expect(servedModelKeyOf(replicated('same', ['http://gpu2:8000/v1', 'http://gpu1:8000/v1']))).toBe(servedModelKeyOf(one));
  });

  it('is not the server of its first replica alone', () => {
    expect(serverKeyOf(replicated('pair', ['http://gpu1:8000/v1', 'http://gpu2:8000/v1']))).not.toBe(serverKeyOf(endpoint('single', 'http://gpu1:8000/v1', 'm')));
  });
});
