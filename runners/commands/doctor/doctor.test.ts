import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointTarget } from '../../core/domain/target.ts';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptedModelServerOptions } from '../../endpoints/scripted-model/scripted-model-server.ts';
import { createTempScenario, type TempScenario } from '../../endpoints/scripted-model/test-support.ts';
import { diagnoseTarget } from './diagnose-target.ts';
import { doctorExitCode, type Finding, type FindingCode, type TargetDiagnosis } from './finding.ts';
import { formatDiagnoses } from './format-diagnosis.ts';
import { CLI, writeConfig } from '../../testing/support/harness-cli.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';

const MODEL = 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ';
let temp: TempScenario;
const servers: ScriptedModelServer[] = [];

beforeAll(() => {
  temp = createTempScenario();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  temp.remove();
});

async function emulate(options: Omit<ScriptedModelServerOptions, 'scenarios'>): Promise<ScriptedModelServer> {
  const server = await startScriptedModelServer({ scenarios: [temp.scenario], ...options });
  servers.push(server);
  return server;
}

function target(baseURL: string, overrides: Partial<EndpointTarget> = {}): EndpointTarget {
  return { kind: 'openai-compatible', id: 'qwen', model: MODEL, baseURL, quantization: 'awq-int4', limits: { context: 32768, output: 4096 }, sampling: { temperature: 0 }, ...overrides };
}

async function diagnose(subject: EndpointTarget): Promise<TargetDiagnosis> {
  return diagnoseTarget(subject, { fieldPrefix: 'harness.config.ts: targets[0]', configDir: temp.sandboxDir, probeTimeoutMs: 10_000 });
}

function findingOf(diagnosis: TargetDiagnosis, code: FindingCode): Finding | undefined {
  return diagnosis.findings.find((finding) => finding.code === code);
}

describe('harness doctor against emulated vLLM servers', () => {
  it('a healthy server: every finding ok, exit 0', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'reference' } });
    const diagnosis = await diagnose(target(server.baseURL, { limits: { context: 24576, output: 4096 } }));
    expect(diagnosis.findings.map((finding) => `${finding.code}:${finding.severity}`)).toEqual([
      'reachable:ok',
      'model-listed:ok',
      'context-limit:ok',
      'prompt-budget:ok',
      'compaction-headroom:ok',
      'tool-choice:ok',
      'tool-call-format:ok',
      'serving-metrics:ok',
    ]);
    expect(doctorExitCode([diagnosis])).toBe(0);
  });

  it('limits.context equal to max_model_len: a warning that OpenCode cannot compact before the server refuses', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'reference' } });
    const finding = findingOf(await diagnose(target(server.baseURL)), 'compaction-headroom');
    expect(finding).toMatchObject({ severity: 'warning', message: expect.stringContaining('leaves 0 tokens'), fix: expect.stringContaining('limits.context to 24576 or less') });
  });

  it('unreachable: an error that says to start the server, and nothing else is probed', async () => {
    const diagnosis = await diagnose(target('http://127.0.0.1:9/v1'));
    expect(diagnosis.findings).toEqual([expect.objectContaining({ code: 'reachable', severity: 'error', fix: expect.stringContaining(`vllm serve ${MODEL} --port 9`) })]);
    expect(doctorExitCode([diagnosis])).toBe(1);
  });

  it('model not listed: names what is served and how to fix the name', async () => {
    const server = await emulate({ servedModels: { 'Qwen/Qwen2.5-Coder-7B-Instruct': 'reference' } });
    const finding = findingOf(await diagnose(target(server.baseURL)), 'model-listed');
    expect(finding).toMatchObject({ severity: 'error', message: expect.stringContaining('Qwen/Qwen2.5-Coder-7B-Instruct'), fix: expect.stringContaining(`--served-model-name ${MODEL}`) });
  });

  it('max_model_len smaller than limits.context: an error naming both numbers and the fix', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'reference' }, maxModelLen: 16384 });
    const diagnosis = await diagnose(target(server.baseURL));
    expect(findingOf(diagnosis, 'context-limit')).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('limits.context 32768 exceeds the server\'s max_model_len 16384'),
      fix: expect.stringContaining('targets[0].limits.context to 16384'),
    });
    expect(doctorExitCode([diagnosis])).toBe(1);
  });

  it('max_tokens that leaves no room for OpenCode\'s ~10k-token prompt: an error', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'reference' } });
    const diagnosis = await diagnose(target(server.baseURL, { limits: { context: 32768, output: 28000 } }));
    expect(findingOf(diagnosis, 'prompt-budget')).toMatchObject({ severity: 'error', fix: expect.stringContaining('limits.output to 22768') });
  });

  it('tool calls returned as text (Qwen2.5-Coder under hermes): an error with the parser fix', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'text-tool-call' } });
    const diagnosis = await diagnose(target(server.baseURL));
    expect(findingOf(diagnosis, 'tool-call-format')).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('<tool_call>'),
      fix: expect.stringContaining('--tool-call-parser qwen3_coder'),
    });
    expect(doctorExitCode([diagnosis])).toBe(1);
  });

  it('bare-JSON tool calls (qwen-like at rate 1) are caught the same way', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'qwen-like' }, textToolCallRate: 1 });
    expect(findingOf(await diagnose(target(server.baseURL)), 'tool-call-format')?.severity).toBe('error');
  });

  it('tool choice "auto" without --enable-auto-tool-choice: vLLM\'s 400, reported with the flags to add', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'reference' }, toolCallParser: false });
    const finding = findingOf(await diagnose(target(server.baseURL)), 'tool-choice');
    expect(finding).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'),
      fix: expect.stringContaining('--enable-auto-tool-choice --tool-call-parser'),
    });
  });

  it('a plain answer without a tool call is a warning, not an error', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'noop' } });
    const diagnosis = await diagnose(target(server.baseURL));
    expect(findingOf(diagnosis, 'tool-call-format')?.severity).toBe('warning');
    expect(doctorExitCode([diagnosis])).toBe(0);
  });
});

describe('the report', () => {
  it('escapes control characters from server text and prints each fix', () => {
    const hostile: TargetDiagnosis = {
      targetId: 't',
      model: 'm\u001b[2J',
      baseURL: 'http://h/v1',
      findings: [{ severity: 'error', code: 'tool-call-format', message: 'text \u001b]0;owned\u0007 here', fix: 'do this' }],
    };
    const text = formatDiagnoses([hostile]).join('\n');
    expect(text.includes('\u001b') || text.includes('\u0007')).toBe(false);
    expect(text).toContain('m\\u001b[2J');
    expect(text).toContain('fix: do this');
    expect(text).toContain('1 of 1 target(s) have errors');
  });
});

describe('`harness doctor` on the command line', () => {
  it('exits 0 when healthy, 1 on an error finding, 2 on an unknown target', { timeout: 120_000 }, async () => {
    const healthy = await emulate({ servedModels: { [MODEL]: 'reference' } });
    const broken = await emulate({ servedModels: { [MODEL]: 'reference' }, toolCallParser: false });
    const config = writeConfig(useWorkspace('doctor-cli-').dir, {
      targets: [
        { kind: 'openai-compatible', id: 'good', model: MODEL, baseURL: healthy.baseURL },
        { kind: 'openai-compatible', id: 'no-parser', model: MODEL, baseURL: broken.baseURL },
      ],
    });
    const run = (args: string[]) => execa(process.execPath, [CLI, 'doctor', '--config', config, ...args], { reject: false });
    const good = await run(['--target', 'good']);
    expect(good.exitCode, good.stderr).toBe(0);
    expect(good.stdout).toContain('1 target(s) healthy');
    const bad = await run([]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('error   tool-choice');
    const json = await run(['--json', '--target', 'no-parser']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ targetId: 'no-parser' })]);
    const unknown = await run(['--target', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown target "nope"');
  });
});

describe('harness doctor for a replay target', () => {
  it('needs cassettes recorded for its model', async () => {
    const { diagnoseReplayTarget } = await import('./diagnose-replay-target.ts');
    const { dir } = useWorkspace('doctor-replay-');
    const replay = { kind: 'replay' as const, id: 'r', model: MODEL, cassettesDir: 'cassettes', quantization: 'q', limits: { context: 32768, output: 4096 }, sampling: {} };
    const options = { fieldPrefix: 'harness.config.ts: targets[0]', configDir: dir };
    expect(diagnoseReplayTarget(replay, options).findings).toEqual([expect.objectContaining({ code: 'reachable', severity: 'error' })]);
    const entry = { v: 1, seq: 0, attemptId: 'a', recordedAt: '', request: { method: 'POST', path: '/v1/chat/completions', body: JSON.stringify({ model: 'other' }) }, response: { status: 200, contentType: 'application/json', chunks: [] } };
    mkdirSync(path.join(dir, 'cassettes'));
    writeFileSync(path.join(dir, 'cassettes', 'abcdefabcdef-a1.jsonl'), `${JSON.stringify(entry)}\n`);
    expect(diagnoseReplayTarget(replay, options).findings[1]).toMatchObject({ code: 'model-listed', severity: 'warning' });
    expect(diagnoseReplayTarget({ ...replay, model: 'other' }, options).findings.every((finding) => finding.severity === 'ok')).toBe(true);
  });
});

describe('harness doctor on a target with replicas', () => {
  it('checks every replica; one that cannot be reached is a warning naming its URL while another answers', async () => {
    const server = await emulate({ servedModels: { [MODEL]: 'reference' } });
    const down = 'http://127.0.0.1:9/v1';
    const diagnosis = await diagnose(target(server.baseURL, { limits: { context: 24576, output: 4096 }, baseURLs: [server.baseURL, down] }));
    expect(diagnosis.baseURLs).toEqual([server.baseURL, down]);
    const reachable = diagnosis.findings.filter((finding) => finding.code === 'reachable');
    expect(reachable.map((finding) => finding.severity)).toEqual(['ok', 'warning']);
    expect(reachable[1]).toMatchObject({ message: expect.stringContaining(down), fix: expect.stringContaining('targets[0].baseURL[1]') });
    expect(doctorExitCode([diagnosis])).toBe(0);
    expect(formatDiagnoses([diagnosis])[0]).toContain(`${server.baseURL}, ${down}`);
  });

  it('is an error when no replica answers', async () => {
    const diagnosis = await diagnose(target('http://127.0.0.1:9/v1', { baseURLs: ['http://127.0.0.1:9/v1', 'http://127.0.0.1:7/v1'] }));
    expect(diagnosis.findings.map((finding) => `${finding.code}:${finding.severity}`)).toEqual(['reachable:error', 'reachable:error']);
    expect(diagnosis.findings[1]?.message).toContain('http://127.0.0.1:7/v1');
    expect(doctorExitCode([diagnosis])).toBe(1);
  });
});
