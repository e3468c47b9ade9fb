import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ReplayTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { specIdOf } from '../../core/domain/run-spec.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../scripted-model/scripted-model-server.ts';
import { createTempScenario, openCodeRequest, type TempScenario } from '../scripted-model/test-support.ts';
import { listCassetteIds, readCassette } from './cassette.ts';
import { createRunRecording } from './run-recording.ts';
import { createRunReplay } from './run-replay.ts';

/** How execution drives recording and replay: register each attempt before its session, finish it after. */
const specOf = (targetId: string, repeatIndex: number): RunSpec => {
  const parts = { scenarioId: 'pie-chart', targetId, promptVariantId: 'default', repeatIndex };
  return { id: specIdOf(parts), ...parts };
};

let temp: TempScenario;
let upstream: ScriptedModelServer;
let runDir: string;
const workerSandbox = () => path.join(temp.sandboxDir);

function post(baseURL: string, rounds: number, directory: string, sessionId: string): Promise<Response> {
  const body = openCodeRequest({ model: 'reference', workingDirectory: directory, priorRounds: rounds });
  return fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-id': sessionId }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  temp = createTempScenario();
  upstream = await startScriptedModelServer({ scenarios: [temp.scenario] });
  runDir = mkdtempSync(path.join(tmpdir(), 'run-wiring-'));
});

afterAll(async () => {
  await upstream.close();
  temp.remove();
  rmSync(runDir, { recursive: true, force: true });
});

describe('--record and replay targets, driven as execution would', () => {
  const first = specOf('qwen-awq', 0);
  const second = specOf('qwen-awq', 1);

  it('records each attempt of a reused worker sandbox into its own cassette', async () => {
    const recording = createRunRecording(runDir);
    const baseURL = await recording.proxyBaseURL(upstream.baseURL);
    recording.registerAttempt({ attemptId: `${first.id}-a1`, directory: workerSandbox() });
    await (await post(baseURL, 0, workerSandbox(), 'ses_first')).text();
    await (await post(baseURL, 1, workerSandbox(), 'ses_first')).text();
    recording.finishAttempt(`${first.id}-a1`);
    recording.registerAttempt({ attemptId: `${second.id}-a1`, directory: workerSandbox() });
    await (await post(baseURL, 0, workerSandbox(), 'ses_second')).text();
    recording.finishAttempt(`${second.id}-a1`);
    const linked = await recording.close([{ attemptId: `${first.id}-a1` }, { attemptId: `${second.id}-a1` }]);
    expect(linked).toEqual({ linked: [], leftOver: [] });
    expect(listCassetteIds(recording.cassettesDir)).toEqual([`${first.id}-a1`, `${second.id}-a1`].sort());
    const read = readCassette(recording.cassettesDir, `${first.id}-a1`);
    expect(read.status === 'read' && read.entries.length).toBe(2);
  });

  it('replays each cell from the cassette recorded for the same cell under the recorded target id', async () => {
    const target: ReplayTarget = {
      kind: 'replay',
      id: 'qwen-replay',
      replayOf: 'qwen-awq',
      model: 'reference',
      cassettesDir: path.join(path.basename(runDir), 'cassettes'),
      quantization: 'awq-int4',
      limits: { context: 32768, output: 4096 },
      sampling: {},
    };
    expect(existsSync(path.join(runDir, 'cassettes'))).toBe(true);
    const replay = createRunReplay({ configDir: path.dirname(runDir) });
    const baseURL = await replay.baseURLOf(target);
    const replaySandbox = path.join(tmpdir(), 'replay-worker', 'repo');
    const passed = { attemptId: '', outcome: { kind: 'passed' } } as AttemptRecord;
    try {
      // Repeat 1 was recorded with one exchange only: a second request is beyond its recording.
      const repeat1 = specOf('qwen-replay', 1);
      await replay.registerAttempt(target, { spec: repeat1, attemptNumber: 1, attemptId: `${repeat1.id}-a1`, directory: replaySandbox });
      expect((await post(baseURL, 0, replaySandbox, 'ses_r1')).status).toBe(200);
      expect((await post(baseURL, 1, replaySandbox, 'ses_r1')).status).toBe(400);
      const missed = await replay.finishAttempt(target, { ...passed, attemptId: `${repeat1.id}-a1` });
      expect(missed.outcome).toMatchObject({ kind: 'infra-error', source: 'endpoint', message: expect.stringContaining('no more exchanges') });

      const repeat0 = specOf('qwen-replay', 0);
      await replay.registerAttempt(target, { spec: repeat0, attemptNumber: 1, attemptId: `${repeat0.id}-a1`, directory: replaySandbox });
      expect((await post(baseURL, 0, replaySandbox, 'ses_r0')).status).toBe(200);
      expect((await post(baseURL, 1, replaySandbox, 'ses_r0')).status).toBe(200);
      const clean = await replay.finishAttempt(target, { ...passed, attemptId: `${repeat0.id}-a1` });
      expect(clean.outcome).toEqual({ kind: 'passed' });
    } finally {
      await replay.close();
    }
  });
});
