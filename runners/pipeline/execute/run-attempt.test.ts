import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScenario } from '../../attempt/checks/test-support.ts';
import { createFakeOpencode, callsOf, type FakeOpencode, type SentTurn } from '../../attempt/opencode/test-support.ts';
import type { OpencodeServer } from '../../attempt/opencode/opencode-server.ts';
import { buildToolEnv } from '../../attempt/sandbox/tool-env.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { CHECK_NAMES } from '../../core/domain/check-result.ts';
import { makeFakeWorkerNetwork } from './test-support.ts';
import { NO_REDACTION } from '../../core/redact.ts';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { listenOnLoopback } from '../../platform/processes/listen-on-loopback.ts';
import { freePort } from '../../testing/support/free-port.ts';
import { useWorkspace, type Workspace } from '../../testing/support/workspace.ts';
import { runAttempt } from './run-attempt.ts';
import type { ResolvedAttempt, RunEnvironment } from './run-environment.ts';
import type { Worker } from './worker-pool.ts';

/**
 * One attempt with everything real but OpenCode and the model: a tiny fixture copied into a
 * sandbox, git, the five checks (their commands stand-ins that pass), against a fake OpenCode
 * whose "agent" writes files, and a stand-in endpoint that answers the probe.
 */
const node = process.execPath;
const writeReport = (json: string) => [node, '-e', `require('fs').writeFileSync(process.argv[1], ${JSON.stringify(json)})`, '{outputFile}'];
const PASSING_TESTS = JSON.stringify({
  numFailedTests: 0,
  numTotalTests: 1,
  success: true,
  testResults: [{ name: 'acceptance/a.test.ts', status: 'passed', message: '', assertionResults: [{ fullName: 'a works', status: 'passed', failureMessages: [] }] }],
});

let endpoint: Server;
let endpointBaseURL: string;

beforeAll(async () => {
  endpoint = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'));
  endpointBaseURL = `http://127.0.0.1:${await listenOnLoopback(endpoint)}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => endpoint.close(resolve));
});

interface Setup {
  workspace: Workspace;
  environment: RunEnvironment;
  worker: Worker;
  opencode: FakeOpencode;
  /** What the hooks saw: the sandbox before the agent, the record after. */
  hooks: { before: string[]; after: AttemptRecord[] };
  attempt(number: number, overrides?: Partial<ResolvedAttempt>): ResolvedAttempt;
}

/** `agent` writes the files of its turn into the sandbox; the turn then goes idle. */
function setUp(agent: (turn: SentTurn) => Record<string, string>): Setup {
  const workspace = useWorkspace('run-attempt-');
  const fixtureDir = path.join(workspace.dir, 'fixture');
  mkdirSync(path.join(fixtureDir, 'src', 'core'), { recursive: true });
  mkdirSync(path.join(fixtureDir, 'node_modules'));
  writeFileSync(path.join(fixtureDir, 'src', 'core', 'store.ts'), 'export const store = {};\n');
  const hiddenTestsDir = path.join(workspace.dir, 'scenario', 'hidden-tests');
  mkdirSync(hiddenTestsDir, { recursive: true });
  writeFileSync(path.join(hiddenTestsDir, 'widget.test.ts'), '// the hidden test\n');
  const fixture: LoadedFixture = {
    name: 'tiny',
    dir: fixtureDir,
    description: '',
    commands: { typecheck: [node, '-e', '0'], lint: writeReport('[]'), tests: writeReport(PASSING_TESTS) },
    exclude: ['node_modules'],
  };
  const opencode = createFakeOpencode({
    onPrompt: (turn, fake) => {
      for (const [file, contents] of Object.entries(agent(turn))) {
        mkdirSync(path.dirname(path.join(turn.directory, file)), { recursive: true });
        writeFileSync(path.join(turn.directory, file), contents);
      }
      void fake.emit('session.idle', {});
    },
  });
  const server = { pid: 1, isAlive: () => true, logTail: () => '', takeEgress: () => [], client: opencode.client, exited: new Promise(() => undefined) } as unknown as OpencodeServer;
  const worker: Worker = { id: 0, profileKey: 'default', server, hub: opencode.hub, env: {}, network: makeFakeWorkerNetwork(), root: path.join(workspace.dir, 'worker-0'), attemptsRun: 0, sandboxes: new Map() };
  const environment = {
    settings: { checkTimeoutMs: 60_000, endpointRetryLimit: 1, keepSandboxes: false },
    toolEnv: buildToolEnv(path.join(workspace.dir, 'tool-home')),
    checkConfinement: { isolation: { kind: 'none', reason: 'a test' }, masked: [] },
    redactor: NO_REDACTION,
    runDir: path.join(workspace.dir, 'run'),
  } as unknown as RunEnvironment;
  const hooks: Setup['hooks'] = { before: [], after: [] };
  const scenario = makeScenario({ hiddenTestsDir, dir: path.join(workspace.dir, 'scenario'), turns: [{ text: 'Add a widget.', agent: 'build' }] });
  const target = { kind: 'scripted' as const, id: 'scripted-reference', model: 'reference', quantization: 'n/a', limits: { context: 32768, output: 4096 }, sampling: {} };
  const attempt = (number: number, overrides: Partial<ResolvedAttempt> = {}): ResolvedAttempt => ({
    spec: { id: 'spec1', scenarioId: scenario.id, targetId: target.id, promptVariantId: 'default', repeatIndex: 0 },
    attemptNumber: number,
    attemptId: `spec1-a${number}`,
    scenario,
    fixture,
    target,
    agent: { name: 'harness-spec1', prompt: '', target, settings: {} },
    profileKey: 'default',
    instructions: undefined,
    maxStepsPerTurn: undefined,
    providerId: 'scripted',
    endpointBaseURL,
    timeoutMs: 60_000,
    hooks: {
      before: async (directory) => {
        hooks.before.push(directory);
      },
      after: async (record) => {
        hooks.after.push(record);
        return record;
      },
    },
    ...overrides,
  });
  return { workspace, environment, worker, opencode, hooks, attempt };
}

describe('runAttempt', () => {
  it('runs the agent in a fresh sandbox, diffs its change and checks it', async () => {
    const setup = setUp(() => ({ 'src/user-components/Widget.tsx': 'export const Widget = () => null;\n' }));
    const record = await runAttempt(setup.environment, setup.attempt(1), setup.worker);
    expect(record.outcome, JSON.stringify(record.checks)).toEqual({ kind: 'passed' });
    expect(record).toMatchObject({ specId: 'spec1', attemptId: 'spec1-a1', attemptNumber: 1, changedFiles: ['src/user-components/Widget.tsx'], sessionId: 'ses_fake1' });
    expect(record.diff).toContain('+++ b/src/user-components/Widget.tsx');
    expect(record.checks.map((check) => [check.check, check.status])).toEqual(CHECK_NAMES.map((name) => [name, 'passed']));
    expect(Object.keys(record.timings.checkMs).sort()).toEqual([...CHECK_NAMES].sort());
    const [sandboxDir] = setup.hooks.before;
    expect(callsOf(setup.opencode, 'session.create')[0]?.directory).toBe(sandboxDir);
    expect(existsSync(path.join(sandboxDir ?? '', 'acceptance', 'widget.test.ts'))).toBe(true);
    expect(setup.hooks.after).toEqual([record]);
    expect(setup.worker.attemptsRun).toBe(1);
  });

  it('fails an attempt whose change breaks the policy (the permissions check), not the infrastructure', async () => {
    const setup = setUp(() => ({ 'src/core/store.ts': 'export const store = { hacked: true };\n' }));
    const record = await runAttempt(setup.environment, setup.attempt(1), setup.worker);
    expect(record.outcome).toEqual({ kind: 'failed', failedChecks: ['permissions'] });
  });

  it('resets the worker’s sandbox for its next attempt: the earlier change is gone', async () => {
    const setup = setUp((turn): Record<string, string> => (turn.index === 0 ? { 'src/user-components/First.tsx': 'first\n' } : { 'src/user-components/Second.tsx': 'second\n' }));
    await runAttempt(setup.environment, setup.attempt(1), setup.worker);
    const second = await runAttempt(setup.environment, setup.attempt(2), setup.worker);
    expect(second.changedFiles).toEqual(['src/user-components/Second.tsx']);
    expect(setup.hooks.before[1]).toBe(setup.hooks.before[0]);
    expect(setup.worker.attemptsRun).toBe(2);
  });

  it('an unreachable endpoint is an infra error [endpoint] before any session, with no checks', async () => {
    const setup = setUp(() => ({}));
    const record = await runAttempt(setup.environment, setup.attempt(1, { endpointBaseURL: `http://127.0.0.1:${await freePort()}/v1` }), setup.worker);
    expect(record.outcome).toMatchObject({ kind: 'infra-error', source: 'endpoint', message: expect.stringContaining('unreachable') });
    expect(record.checks).toEqual([]);
    expect(callsOf(setup.opencode, 'session.create')).toEqual([]);
  });

  it('a dead OpenCode server is an infra error [opencode]', async () => {
    const setup = setUp(() => ({}));
    const dead: Worker = { ...setup.worker, server: { ...setup.worker.server, isAlive: () => false, logTail: () => 'killed' } };
    const record = await runAttempt(setup.environment, setup.attempt(1), dead);
    expect(record.outcome).toEqual({ kind: 'infra-error', source: 'opencode', message: 'OpenCode server is not running:\nkilled' });
  });

  it('a harness fault is an infra error [harness], and the worker forgets the sandbox', async () => {
    const setup = setUp(() => ({}));
    const attempt = setup.attempt(1);
    const missing = { ...attempt, fixture: { ...attempt.fixture, dir: path.join(setup.workspace.dir, 'no-such-fixture') } };
    const record = await runAttempt(setup.environment, missing, setup.worker);
    expect(record.outcome).toMatchObject({ kind: 'infra-error', source: 'harness', message: expect.stringContaining('no-such-fixture') });
    expect(setup.worker.sandboxes.has('tiny')).toBe(false);
  });
});
