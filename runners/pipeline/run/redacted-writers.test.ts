import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeRunReports } from '../../commands/cli/write-run-reports.ts';
import { exportCommand } from '../../commands/cli/export-command.ts';
import { createRedactor } from '../../core/redact.ts';
import { startRecordingProxy } from '../../endpoints/replay/recording-proxy.ts';
import { openEventLog } from '../events/event-log.ts';
import type { RunStartedEvent } from '../events/event-types.ts';
import { startScriptedModelServer } from '../../endpoints/scripted-model/scripted-model-server.ts';

/**
 * The second wall: every writer of the harness replaces known secret values by a marker — the
 * event log, every report file, the promptfoo export and the cassettes — even when what it is
 * given holds one (an old log, a request body carrying a tool's output).
 */
const SECRET = 'sk-writer-test-77d3e1a9';
const work = mkdtempSync(path.join(tmpdir(), 'redacted-writers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.WRITER_TEST_KEY;
});

function started(title: string): RunStartedEvent {
  return {
    v: 1,
    type: 'run.started',
    at: '2026-01-01T00:00:00.000Z',
    runId: 'run-1',
    harnessVersion: '0',
    opencodeVersion: '1.18.33',
    configFile: 'harness.config.ts',
    scriptedModel: false,
    targets: [{ kind: 'openai-compatible', id: 'holdout', model: 'm', quantization: 'fp16', limits: { context: 32768, output: 4096 }, sampling: {}, baseURL: 'http://gpu:8000/v1', apiKeyEnv: 'WRITER_TEST_KEY' }],
    scenarios: [{ id: 's', title, fixture: 'f', tags: [], turns: [] }],
    promptVariants: [],
    renderedPrompts: {},
    specs: [],
    fingerprints: { config: '', scenarios: {}, fixtures: {}, promptVariants: {}, opencodeVersion: '1.18.33', specInputs: {} },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('writers that redact', () => {
  it('the event log writes a marker in place of the value', () => {
    const runDir = mkdtempSync(path.join(work, 'log-'));
    const log = openEventLog(runDir, { redactor: createRedactor([{ name: 'WRITER_TEST_KEY', value: SECRET }]) });
    log.append(started(`leaked ${SECRET}`));
    log.close();
    const text = readFileSync(path.join(runDir, 'events.jsonl'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('leaked [redacted WRITER_TEST_KEY]');
  });

  it('reports and the promptfoo export leave out the keys the run’s targets name, even from a log that holds one', async () => {
    const outputDir = mkdtempSync(path.join(work, 'reports-'));
    const runDir = path.join(outputDir, 'run-1');
    mkdirSync(runDir);
    const log = openEventLog(runDir);
    log.append(started(`leaked ${SECRET}`));
    log.close();
    process.env.WRITER_TEST_KEY = SECRET;
    const written = await writeRunReports(runDir);
    expect(written.paths.length).toBeGreaterThan(2);
    const exported = exportCommand(runDir, { format: 'promptfoo', out: path.join(runDir, 'export', 'promptfoo.json') });
    for (const file of [...filesUnder(runDir).filter((name) => !name.endsWith('events.jsonl')), path.join(outputDir, 'index.html'), exported.file]) {
      expect(readFileSync(file, 'utf8').includes(SECRET), file).toBe(false);
    }
    expect(readFileSync(path.join(runDir, 'summary.json'), 'utf8')).toContain('[redacted WRITER_TEST_KEY]');
  });

  it('a cassette records the exchange with the secret replaced', async () => {
    const cassettesDir = path.join(work, 'cassettes');
    const upstream = await startScriptedModelServer({ scenarios: [] });
    const proxy = await startRecordingProxy({ upstreamBaseURL: upstream.baseURL, cassettesDir, redactor: createRedactor([{ name: 'WRITER_TEST_KEY', value: SECRET }]) });
    proxy.registerAttempt({ attemptId: 'attempt-1', sessionId: 'ses_1' });
    try {
      const body = JSON.stringify({ model: 'noop', messages: [{ role: 'user', content: 'hi' }, { role: 'tool', content: `env: ${SECRET}` }] });
      await new Promise<void>((resolve, reject) => {
        const outgoing = request(`${proxy.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-id': 'ses_1' } }, (response) => {
          response.resume();
          response.on('end', () => resolve());
        });
        outgoing.on('error', reject);
        outgoing.end(body);
      });
      const text = readFileSync(path.join(cassettesDir, 'attempt-1.jsonl'), 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).toContain('[redacted WRITER_TEST_KEY]');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
