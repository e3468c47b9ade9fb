import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import { makeScenario } from '../checks/test-support.ts';
import { driveSession, type DriveSessionOptions } from './drive-session.ts';
import { STEP_LIMIT_ERROR } from './step-watch.ts';
import { FAKE_SESSION_ID, callsOf, createFakeOpencode, type FakeOpencode, type FakeOpencodeOptions } from './test-support.ts';

const DIRECTORY = '/workers/worker-0/sandboxes/portfolio-dashboard/repo';

const SCENARIO: ResolvedScenario = makeScenario({
  turns: [{ text: 'Add a stock widget.', agent: 'build' }, { text: 'Now sort it by symbol.', agent: 'build' }],
  answers: [{ match: 'sort|order', answer: 'Ascending' }],
  defaultAnswer: 'Use your best judgement.',
});

function optionsFor(opencode: FakeOpencode, overrides: Partial<DriveSessionOptions> = {}): DriveSessionOptions {
  return {
    host: { client: opencode.client, hub: opencode.hub, exited: new Promise(() => undefined), logTail: () => 'the last lines of the server log' },
    directory: DIRECTORY,
    title: 'add-stock-widget · scripted-reference · default · #0',
    scenario: SCENARIO,
    agent: { name: 'harness-spec', providerId: 'scripted', modelId: 'reference' },
    rules: [],
    limits: { timeoutMs: 600_000, endpointRetryLimit: 2 },
    ...overrides,
  };
}

/** An agent that does its turn (`act`), then goes idle. */
function agent(act: FakeOpencodeOptions['onPrompt'] = () => undefined): FakeOpencode {
  return createFakeOpencode({
    onPrompt: (turn, opencode) => {
      act(turn, opencode);
      void opencode.emit('session.idle', {});
    },
  });
}

const entriesOf = <T extends TranscriptEntry['type']>(transcript: TranscriptEntry[], type: T) =>
  transcript.filter((entry): entry is Extract<TranscriptEntry, { type: T }> => entry.type === type);

afterEach(() => {
  vi.useRealTimers();
});

describe('driveSession', () => {
  it('sends each turn once the previous one went idle, and completes', async () => {
    const opencode = agent();
    const result = await driveSession(optionsFor(opencode));
    expect(result).toMatchObject({ status: 'completed', sessionId: FAKE_SESSION_ID });
    expect(callsOf(opencode, 'session.create')).toEqual([{ directory: DIRECTORY, title: 'add-stock-widget · scripted-reference · default · #0', permission: [] }]);
    expect(callsOf(opencode, 'session.promptAsync').map((call) => call.parts)).toEqual([[{ type: 'text', text: 'Add a stock widget.' }], [{ type: 'text', text: 'Now sort it by symbol.' }]]);
    expect(callsOf(opencode, 'session.promptAsync')[0]).toMatchObject({ agent: 'harness-spec', model: { providerID: 'scripted', modelID: 'reference' } });
    expect(entriesOf(result.transcript, 'user').map((entry) => entry.turnIndex)).toEqual([0, 1]);
    expect(callsOf(opencode, 'session.abort')).toEqual([]);
  });

  it('answers a clarifying question from the scenario’s script', async () => {
    const opencode = agent((turn, fake) => {
      if (turn.index === 1) void fake.emit('question.asked', { id: 'que_1', questions: [{ question: 'Which sort order?', options: [{ label: 'Ascending' }, { label: 'Descending' }] }] });
    });
    const result = await driveSession(optionsFor(opencode));
    expect(callsOf(opencode, 'question.reply')).toEqual([{ requestID: 'que_1', directory: DIRECTORY, answers: [['Ascending']] }]);
    expect(entriesOf(result.transcript, 'question')).toEqual([
      expect.objectContaining({ questions: [{ question: 'Which sort order?', options: ['Ascending', 'Descending'] }], answers: [['Ascending']], matchedBy: ['sort|order'] }),
    ]);
    expect(result.status).toBe('completed');
  });

  it('refuses a permission ask with the reason, and records it', async () => {
    const opencode = agent((turn, fake) => {
      if (turn.index === 0) void fake.emit('permission.asked', { id: 'per_1', permission: 'external_directory', patterns: ['/etc/*'] });
    });
    const result = await driveSession(optionsFor(opencode));
    const [reply] = callsOf(opencode, 'permission.reply');
    expect(reply).toMatchObject({ requestID: 'per_1', directory: DIRECTORY, reply: 'reject' });
    expect(String(reply?.message)).toContain('Refused by the platform policy: external_directory /etc/* is not allowed');
    expect(entriesOf(result.transcript, 'permission')).toEqual([expect.objectContaining({ permission: 'external_directory', patterns: ['/etc/*'], decision: 'reject' })]);
    expect(result.status).toBe('completed');
  });

  it('turns OpenCode retrying the endpoint past endpointRetryLimit into an endpoint infra error, and aborts', async () => {
    const opencode = createFakeOpencode({
      onPrompt: (_turn, fake) => {
        for (const attempt of [1, 2, 3]) void fake.emit('session.status', { status: { type: 'retry', attempt, message: 'vLLM returned 503 Service Unavailable' } });
      },
    });
    const result = await driveSession(optionsFor(opencode));
    expect(result).toMatchObject({ status: 'infra-error', source: 'endpoint', message: 'endpoint failing, OpenCode retry 3: vLLM returned 503 Service Unavailable' });
    expect(entriesOf(result.transcript, 'retry').map((entry) => entry.attempt)).toEqual([1, 2, 3]);
    expect(callsOf(opencode, 'session.promptAsync')).toHaveLength(1);
    expect(callsOf(opencode, 'session.abort')).toEqual([{ sessionID: FAKE_SESSION_ID, directory: DIRECTORY }]);
  });

  it('an endpoint error in the session is an infra error; a model error is recorded and the turn goes on', async () => {
    const modelError = agent((turn, fake) => {
      if (turn.index === 0) void fake.emit('session.error', { error: { name: 'ContextOverflowError', data: { message: 'prompt is 33012 tokens' } } });
    });
    const completed = await driveSession(optionsFor(modelError));
    expect(completed.status).toBe('completed');
    expect(entriesOf(completed.transcript, 'session-error')).toEqual([expect.objectContaining({ name: 'ContextOverflowError' })]);

    const endpointError = createFakeOpencode({
      onPrompt: (_turn, fake) => {
        void fake.emit('session.error', { error: { name: 'APIError', data: { message: 'Internal Server Error', statusCode: 500 } } });
      },
    });
    expect(await driveSession(optionsFor(endpointError))).toMatchObject({ status: 'infra-error', source: 'endpoint', message: 'endpoint unavailable (HTTP 500): Internal Server Error' });
  });

  it('stops a turn that goes past the step limit: completed, with the stop in the transcript (the model’s doing)', async () => {
    const opencode = createFakeOpencode({
      onPrompt: (_turn, fake) => {
        for (const id of ['prt_1', 'prt_2', 'prt_3']) void fake.emit('message.part.updated', { part: { type: 'step-finish', id, reason: 'tool-calls', tokens: { output: 10 } } });
      },
    });
    const result = await driveSession(optionsFor(opencode, { limits: { timeoutMs: 600_000, endpointRetryLimit: 2, maxStepsPerTurn: 2 } }));
    expect(result.status).toBe('completed');
    expect(entriesOf(result.transcript, 'session-error')).toEqual([expect.objectContaining({ name: STEP_LIMIT_ERROR })]);
    expect(callsOf(opencode, 'session.abort')).toHaveLength(1);
    expect(callsOf(opencode, 'session.promptAsync')).toHaveLength(1);
  });

  it('times out at the attempt’s limit: aborts, and refuses the session’s pending asks so nothing waits', async () => {
    vi.useFakeTimers();
    const opencode = createFakeOpencode({
      onPrompt: (_turn, fake) => {
        fake.pendingPermissions.push({ id: 'per_mine', sessionID: FAKE_SESSION_ID }, { id: 'per_other', sessionID: 'ses_someone_else' });
      },
    });
    const running = driveSession(optionsFor(opencode, { limits: { timeoutMs: 30_000, endpointRetryLimit: 2 } }));
    await vi.advanceTimersByTimeAsync(30_000);
    const result = await running;
    expect(result).toMatchObject({ status: 'timed-out', afterMs: 30_000 });
    expect(callsOf(opencode, 'session.abort')).toEqual([{ sessionID: FAKE_SESSION_ID, directory: DIRECTORY }]);
    expect(callsOf(opencode, 'permission.reply')).toEqual([{ requestID: 'per_mine', directory: DIRECTORY, reply: 'reject', message: 'attempt ended' }]);
  });

  it('out of time while OpenCode waits to retry a failing endpoint: an endpoint infra error, not a time-out', async () => {
    vi.useFakeTimers();
    const opencode = createFakeOpencode({
      onPrompt: (_turn, fake) => {
        void fake.emit('session.status', { status: { type: 'retry', attempt: 1, message: 'Internal Server Error' } });
      },
    });
    const running = driveSession(optionsFor(opencode, { limits: { timeoutMs: 10_000, endpointRetryLimit: 2 } }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await running).toMatchObject({ status: 'infra-error', source: 'endpoint', message: "endpoint failing when the attempt's time ran out (OpenCode retry 1): Internal Server Error" });
  });

  it('a retry the model recovered from does not excuse a later time-out', async () => {
    vi.useFakeTimers();
    const opencode = createFakeOpencode({
      onPrompt: (_turn, fake) => {
        void fake.emit('session.status', { status: { type: 'retry', attempt: 1, message: 'Internal Server Error' } });
        void fake.emit('message.part.updated', { part: { type: 'text', id: 'prt_1', text: 'Working on it' } });
      },
    });
    const running = driveSession(optionsFor(opencode, { limits: { timeoutMs: 10_000, endpointRetryLimit: 2 } }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await running).toMatchObject({ status: 'timed-out' });
  });

  it('counts a session as idle when two status polls miss it (the event stream was lost)', async () => {
    vi.useFakeTimers();
    const opencode = createFakeOpencode({
      onPrompt: (_turn, fake) => {
        // The turn ends, but no session.idle arrives.
        fake.busy.delete(FAKE_SESSION_ID);
      },
    });
    const running = driveSession(optionsFor(opencode, { scenario: { ...SCENARIO, turns: [{ text: 'Add a stock widget.', agent: 'build' }] } }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(callsOf(opencode, 'session.status')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    const result = await running;
    expect(result.status).toBe('completed');
    expect(callsOf(opencode, 'session.status')).toHaveLength(2);
  });

  it('an OpenCode server that exits during the attempt is an infra error [opencode] with its last lines', async () => {
    const opencode = createFakeOpencode();
    const result = await driveSession(optionsFor(opencode, {
      host: { client: opencode.client, hub: opencode.hub, exited: Promise.resolve({ code: 1, signal: null }), logTail: () => 'panic: out of memory' },
    }));
    expect(result).toMatchObject({ status: 'infra-error', source: 'opencode', message: 'OpenCode server exited during the attempt:\npanic: out of memory' });
  });

  it('a session OpenCode will not create, or a prompt it refuses, is an infra error [opencode]', async () => {
    const noSession = await driveSession(optionsFor(createFakeOpencode({ createError: { name: 'UnknownError' } })));
    expect(noSession).toMatchObject({ status: 'infra-error', source: 'opencode', message: 'session.create failed: {"name":"UnknownError"}' });
    const refusing = createFakeOpencode({ promptError: 'agent not found' });
    expect(await driveSession(optionsFor(refusing))).toMatchObject({ status: 'infra-error', source: 'opencode', message: 'prompt was refused: agent not found' });
    expect(callsOf(refusing, 'session.abort')).toHaveLength(1);
  });
});
