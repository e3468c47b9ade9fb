import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { specIdOf } from '../../core/domain/run-spec.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../scripted-model/scripted-model-server.ts';
import { assembleStream, createTempScenario, openCodeRequest, readSseEvents, type TempScenario } from '../scripted-model/test-support.ts';
import { linkSessionCassettes, listCassetteIds, readCassette } from './cassette.ts';
import { findFirstDifference } from './describe-difference.ts';
import { matchKeyOf, normalizeChatBody } from './normalize-request.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { relocateResponse } from './relocate-response.ts';
import { applyReplayReport, cassetteIdForReplay } from './replay-outcome.ts';
import { startReplayServer } from './replay-server.ts';

const ATTEMPT = 'abcdef012345-a1';

describe('normalizing a request for matching', () => {
  const body = (dir: string, date: string, callId: string) =>
    JSON.stringify({
      model: 'm',
      messages: [
        { role: 'system', content: `<env>\n  Working directory: ${dir}\n  Today's date: ${date}\n</env>` },
        { role: 'user', content: 'Add a widget.' },
        { role: 'assistant', content: '', tool_calls: [{ id: callId, type: 'function', function: { name: 'read', arguments: `{"filePath": "${dir}/src/app.ts"}` } }] },
        { role: 'tool', tool_call_id: callId, content: `read ${dir}/src/app.ts (outside: ${path.dirname(dir)}/escape.txt)` },
      ],
    });

  it('ignores the sandbox path, the date line and tool-call ids', () => {
    const recorded = normalizeChatBody(body('/tmp/harness-aaa/sandboxes/x-a1/repo', 'Mon Jan 05 2026', 'chatcmpl-tool-1'));
    const replayed = normalizeChatBody(body('/tmp/harness-bbb/sandboxes/x-a1/repo', 'Tue Mar 10 2026', 'chatcmpl-tool-2'));
    expect(matchKeyOf(replayed)).toBe(matchKeyOf(recorded));
    expect(JSON.stringify(recorded)).toContain('<workdir>/src/app.ts');
    expect(JSON.stringify(recorded)).toContain('<attempt-dir>/escape.txt');
  });

  it('still tells apart requests that differ in what the model saw', () => {
    const a = normalizeChatBody(body('/tmp/a/x/repo', 'd', 'c1'));
    const b = normalizeChatBody(body('/tmp/a/x/repo', 'd', 'c1').replace('Add a widget.', 'Add a chart.'));
    expect(matchKeyOf(a)).not.toBe(matchKeyOf(b));
    expect(findFirstDifference(a, b)).toMatchObject({ path: expect.stringContaining('messages[1].content'), recorded: expect.stringContaining('widget'), requested: expect.stringContaining('chart') });
  });

});

describe('record through the proxy, then replay', () => {
  let temp: TempScenario;
  let upstream: ScriptedModelServer;
  let cassettesDir: string;
  let sandboxDir: string;
  const recordedReplies: string[] = [];

  function conversation(priorRounds: number, dir = sandboxDir): Record<string, unknown> {
    return openCodeRequest({ model: 'reference', workingDirectory: dir, priorRounds });
  }

  async function post(baseURL: string, body: unknown, sessionId = 'ses_1'): Promise<Response> {
    return fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-id': sessionId, authorization: 'Bearer sk-secret' }, body: JSON.stringify(body) });
  }

  beforeAll(async () => {
    temp = createTempScenario();
    cassettesDir = mkdtempSync(path.join(tmpdir(), 'cassettes-'));
    sandboxDir = path.join(temp.sandboxDir, '..', 'worker-0', 'repo');
    upstream = await startScriptedModelServer({ scenarios: [temp.scenario] });
    const proxy = await startRecordingProxy({ upstreamBaseURL: upstream.baseURL, cassettesDir });
    try {
      proxy.registerAttempt({ attemptId: ATTEMPT, directory: sandboxDir });
      expect((await fetch(`${proxy.baseURL}/models`)).status).toBe(200);
      for (const rounds of [0, 1, 2]) recordedReplies.push(await (await post(proxy.baseURL, conversation(rounds))).text());
      expect(proxy.finishAttempt(ATTEMPT).exchanges).toBe(3);
      expect((await fetch(proxy.baseURL.replace('/v1', '/metrics'))).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  afterAll(async () => {
    await upstream.close();
    temp.remove();
    rmSync(cassettesDir, { recursive: true, force: true });
  });

  it('writes one cassette per attempt with each exchange, streamed chunks and no credentials', () => {
    expect(readdirSync(cassettesDir).sort()).toEqual([`${ATTEMPT}.jsonl`, 'models.json']);
    const read = readCassette(cassettesDir, ATTEMPT);
    expect(read.status).toBe('read');
    if (read.status !== 'read') return;
    expect(read.entries.map((entry) => entry.seq)).toEqual([0, 1, 2]);
    expect(read.entries[0]).toMatchObject({ attemptId: ATTEMPT, request: { method: 'POST', path: '/v1/chat/completions', sessionId: 'ses_1' }, response: { status: 200, contentType: expect.stringMatching(/^text\/event-stream/) } });
    expect(read.entries.map((entry) => entry.response.chunks.map((chunk) => chunk.text).join(''))).toEqual(recordedReplies);
    expect(readFileSync(path.join(cassettesDir, `${ATTEMPT}.jsonl`), 'utf8')).not.toContain('sk-secret');
  });

  it('serves the recorded responses back to the same requests from another sandbox path, in any order', async () => {
    const replay = await startReplayServer({ cassettesDir });
    try {
      const otherSandbox = path.join(tmpdir(), 'elsewhere', 'worker-3', 'repo');
      replay.registerAttempt({ attemptId: ATTEMPT, directory: otherSandbox });
      const second = await (await post(replay.baseURL, conversation(1, otherSandbox), 'ses_other')).text();
      const first = await (await post(replay.baseURL, conversation(0, otherSandbox), 'ses_other')).text();
      const calls = (reply: string | undefined) => assembleStream(readSseEvents(reply ?? '').slice(0, -1)).toolCalls.map((call) => ({ name: call.name, arguments: JSON.parse(call.arguments) as unknown }));
      // The same calls as recorded, with the recorded sandbox path moved to the replaying one.
      const moved = (reply: string | undefined) => JSON.parse(JSON.stringify(calls(reply)).split(sandboxDir).join(otherSandbox)) as unknown;
      expect(calls(first)).toEqual(moved(recordedReplies[0]));
      expect(calls(second)).toEqual(moved(recordedReplies[1]));
      expect(JSON.stringify(calls(first))).toContain(otherSandbox);
      expect(JSON.stringify(calls(first))).not.toContain(sandboxDir);
      expect(readSseEvents(first)).toHaveLength(readSseEvents(recordedReplies[0] ?? '').length);
      const models = (await (await fetch(`${replay.baseURL}/models`)).json()) as { data: Array<{ id: string }> };
      expect(models.data.map((model) => model.id)).toContain('reference');
      expect(replay.finishAttempt(ATTEMPT)).toEqual({ served: 2, unused: 1, misses: [] });
    } finally {
      await replay.close();
    }
  });

  it('answers a request that matches nothing with HTTP 400 "replay miss", naming where it differs, and records it', async () => {
    const missLog = path.join(cassettesDir, '..', `misses-${process.pid}.jsonl`);
    const replay = await startReplayServer({ cassettesDir, missLog });
    try {
      replay.registerAttempt({ attemptId: ATTEMPT, sessionId: 'ses_1' });
      const changed = conversation(0);
      (changed.messages as Array<{ role: string; content: string }>)[1] = { role: 'user', content: 'Something the recording never saw.' };
      const response = await post(replay.baseURL, changed);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { message: string; type: string } };
      expect(body.error.type).toBe('ReplayMiss');
      expect(body.error.message).toMatch(/^replay miss: request #0 of cassette abcdef012345-a1 differs from recorded exchange #0 at messages\[1\]\.content/);
      const report = replay.finishAttempt(ATTEMPT);
      expect(report.misses).toHaveLength(1);
      expect(readFileSync(missLog, 'utf8')).toContain('Something the recording never saw');
    } finally {
      await replay.close();
      rmSync(missLog, { force: true });
    }
  });

  it('misses when the attempt has no cassette or asks beyond the recording', async () => {
    const replay = await startReplayServer({ cassettesDir });
    try {
      replay.registerAttempt({ attemptId: 'ffffffffffff-a1', sessionId: 'ses_unknown' });
      const unknown = await post(replay.baseURL, conversation(0), 'ses_unknown');
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('no cassette ffffffffffff-a1.jsonl');
      replay.registerAttempt({ attemptId: ATTEMPT, sessionId: 'ses_1' });
      for (const rounds of [0, 1, 2]) await (await post(replay.baseURL, conversation(rounds))).text();
      const beyond = await post(replay.baseURL, conversation(3));
      expect(((await beyond.json()) as { error: { message: string } }).error.message).toContain('the recording has no more exchanges');
    } finally {
      await replay.close();
    }
  });
});

describe('unregistered sessions: one cassette per session, claimed on replay by its first request', () => {
  let temp: TempScenario;
  let upstream: ScriptedModelServer;
  let cassettesDir: string;

  const request = (model: string, rounds: number, dir: string) => openCodeRequest({ model, workingDirectory: dir, priorRounds: rounds });
  const post = (baseURL: string, body: unknown, sessionId: string) =>
    fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-id': sessionId }, body: JSON.stringify(body) }).then((response) => response.text());

  beforeAll(async () => {
    temp = createTempScenario();
    cassettesDir = mkdtempSync(path.join(tmpdir(), 'cassettes-sessions-'));
    upstream = await startScriptedModelServer({ scenarios: [temp.scenario] });
    const proxy = await startRecordingProxy({ upstreamBaseURL: upstream.baseURL, cassettesDir });
    await post(proxy.baseURL, request('reference', 0, temp.sandboxDir), 'ses_ref');
    await post(proxy.baseURL, request('reference', 1, temp.sandboxDir), 'ses_ref');
    await post(proxy.baseURL, request('noop', 0, temp.sandboxDir), 'ses_noop');
    await proxy.close();
  });

  afterAll(async () => {
    await upstream.close();
    temp.remove();
    rmSync(cassettesDir, { recursive: true, force: true });
  });

  it('claims the cassette whose first request matches, then follows it for the session', async () => {
    expect(listCassetteIds(cassettesDir)).toEqual(['ses_noop', 'ses_ref']);
    const replay = await startReplayServer({ cassettesDir });
    try {
      const elsewhere = path.join(tmpdir(), 'other-worker', 'repo');
      const noop = await post(replay.baseURL, request('noop', 0, elsewhere), 'ses_new_1');
      expect(assembleStream(readSseEvents(noop).slice(0, -1)).toolCalls).toEqual([]);
      const first = await post(replay.baseURL, request('reference', 0, elsewhere), 'ses_new_2');
      expect(assembleStream(readSseEvents(first).slice(0, -1)).toolCalls[0]?.name).toBe('read');
      await post(replay.baseURL, request('reference', 1, elsewhere), 'ses_new_2');
      expect(replay.misses()).toEqual([]);
      expect(replay.playedCassettes()).toEqual([
        { cassetteId: 'ses_noop', served: 1, unused: 0 },
        { cassetteId: 'ses_ref', served: 2, unused: 0 },
      ]);
      const again = await fetch(`${replay.baseURL}/chat/completions`, { method: 'POST', headers: { 'x-session-id': 'ses_new_3' }, body: JSON.stringify(request('reference', 0, elsewhere)) });
      expect(((await again.json()) as { error: { message: string } }).error.message).toContain('every recorded attempt was already replayed');
    } finally {
      await replay.close();
    }
  });

  it('links session cassettes to attempts by their session id', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'cassettes-link-'));
    try {
      for (const id of listCassetteIds(cassettesDir)) writeFileSync(path.join(copy, `${id}.jsonl`), readFileSync(path.join(cassettesDir, `${id}.jsonl`)));
      const result = linkSessionCassettes(copy, [{ attemptId: 'aaaaaaaaaaaa-a1', sessionId: 'ses_ref' }, { attemptId: 'bbbbbbbbbbbb-a1', sessionId: undefined }]);
      expect(result).toEqual({ linked: ['aaaaaaaaaaaa-a1'], leftOver: ['ses_noop'] });
      const read = readCassette(copy, 'aaaaaaaaaaaa-a1');
      expect(read.status === 'read' && read.entries.map((entry) => entry.attemptId)).toEqual(['aaaaaaaaaaaa-a1', 'aaaaaaaaaaaa-a1']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('relocating a recorded response to the replaying sandbox', () => {
  const recordedDir = '/tmp/harness-1/sandboxes/worker-0-app/repo';
  const replayDir = '/tmp/harness-2/sandboxes/worker-1-app/repo';
  const event = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;

  it('joins argument fragments that split the path, rewrites it, and keeps every event in order', () => {
    const args = JSON.stringify({ filePath: `${recordedDir}/src/app.ts`, note: `see ${path.dirname(recordedDir)}/x` });
    const text = [
      event({ role: 'assistant', content: '' }),
      event({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'read' } }] }),
      event({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, 20) } }] }),
      event({ tool_calls: [{ index: 0, function: { arguments: args.slice(20) } }] }),
      'data: [DONE]\n\n',
    ].join('');
    const entry = { v: 1, seq: 0, attemptId: 'a', recordedAt: '', request: { method: 'POST', path: '/v1/chat/completions', body: '{}' }, response: { status: 200, contentType: 'text/event-stream', chunks: [{ atMs: 1, text: text.slice(0, 150) }, { atMs: 9, text: text.slice(150) }] } } as const;
    const relocated = relocateResponse({ ...entry, response: { ...entry.response, chunks: [...entry.response.chunks] } }, recordedDir, replayDir);
    const events = readSseEvents(relocated.map((chunk) => chunk.text).join(''));
    expect(events).toHaveLength(5);
    const assembled = assembleStream(events.slice(0, -1));
    expect(JSON.parse(assembled.toolCalls[0]?.arguments ?? '')).toEqual({ filePath: `${replayDir}/src/app.ts`, note: `see ${path.dirname(replayDir)}/x` });
    expect(relocated.at(-1)?.atMs).toBe(9);
  });

  it('rewrites a JSON body, and leaves responses alone when the sandbox is the same', () => {
    const body = JSON.stringify({ choices: [{ message: { content: `done in ${recordedDir}` } }] });
    const entry = { v: 1 as const, seq: 0, attemptId: 'a', recordedAt: '', request: { method: 'POST', path: '/v1/chat/completions', body: '{}' }, response: { status: 200, contentType: 'application/json', chunks: [{ atMs: 3, text: body }] } };
    expect(relocateResponse(entry, recordedDir, replayDir)[0]?.text).toContain(`done in ${replayDir}`);
    expect(relocateResponse(entry, recordedDir, recordedDir)).toBe(entry.response.chunks);
  });
});

describe('replay outcomes', () => {
  const spec: RunSpec = { id: specIdOf({ scenarioId: 's', targetId: 'qwen-replay', promptVariantId: 'default', repeatIndex: 1 }), scenarioId: 's', targetId: 'qwen-replay', promptVariantId: 'default', repeatIndex: 1 };

  it('maps a replayed attempt to the cassette recorded for the same cell under the recorded target', () => {
    const recorded = specIdOf({ scenarioId: 's', targetId: 'qwen-awq', promptVariantId: 'default', repeatIndex: 1 });
    expect(cassetteIdForReplay(spec, 2, 'qwen-awq')).toBe(`${recorded}-a2`);
    expect(cassetteIdForReplay(spec, 1, undefined)).toBe(`${spec.id}-a1`);
  });

  it('turns an attempt with a miss into an endpoint infra error naming it; leaves others alone', () => {
    const record = { outcome: { kind: 'passed' } } as AttemptRecord;
    const miss = { attemptId: 'x', cassetteId: 'x', requestIndex: 2, reason: 'request #2 differs at messages[4].content', at: '' };
    expect(applyReplayReport(record, { served: 2, unused: 1, misses: [miss, miss] }).outcome).toEqual({
      kind: 'infra-error',
      source: 'endpoint',
      message: 'replay miss: request #2 differs at messages[4].content (+1 more)',
    });
    expect(applyReplayReport(record, { served: 3, unused: 0, misses: [] })).toBe(record);
  });
});
