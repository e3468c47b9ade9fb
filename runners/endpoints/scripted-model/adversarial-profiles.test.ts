import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_PROFILES, ESCAPE_TARGETS, HTML_PAYLOADS, HUGE_OUTPUT } from './profiles/adversarial-profiles.ts';
import { FAULT_PROFILES, GARBAGE_TOOL_NAME } from './profiles/fault-profiles.ts';
import type { Profile, ProfileContext, ProfileReply } from './profiles/profile-types.ts';
import type { ScenarioScript } from './scenario-scripts.ts';
import { FIRST_TURN, REFERENCE_FILES } from './test-support.ts';

const SANDBOX = '/work/sandbox';
const script: ScenarioScript = {
  id: 'pie-chart',
  turns: [FIRST_TURN],
  referenceFiles: Object.entries(REFERENCE_FILES).map(([path, content]) => ({ path, content })),
};

function contextAt(stepIndex: number): ProfileContext {
  return {
    scenario: script,
    workingDirectory: SANDBOX,
    turnIndex: 0,
    stepIndex,
    sandbox: { hasFile: () => true, listFiles: (dir) => (dir === 'secrets' ? ['credentials.json'] : dir === 'src/core' ? ['App.test.tsx', 'App.tsx'] : []), lineCount: () => 0 },
    draw: () => 0.5,
    scenarioDraw: () => 0.5,
    textToolCallRate: 0,
  };
}

/** Every tool call a profile makes in its first turn, round by round, until it answers in text (at most `limit` rounds). */
function playTurn(profile: Profile, limit = 40): { calls: Array<{ name: string; arguments: Record<string, unknown> }>; final: ProfileReply } {
  const calls: Array<{ name: string; arguments: Record<string, unknown> }> = [];
  for (let step = 0; step < limit; step += 1) {
    const reply = profile(contextAt(step));
    if (reply.kind !== 'tool-calls') return { calls, final: reply };
    calls.push(...reply.calls);
  }
  return { calls, final: { kind: 'text', text: '(still calling tools)' } };
}

const pathsOf = (calls: Array<{ arguments: Record<string, unknown> }>) => calls.map((call) => call.arguments.filePath ?? call.arguments.command ?? call.arguments.path);

describe('adversarial profiles', () => {
  it('escape-write aims at a relative, an absolute and a system path', () => {
    expect(pathsOf(playTurn(ADVERSARIAL_PROFILES['escape-write']).calls)).toEqual([`../${ESCAPE_TARGETS.relativeName}`, ESCAPE_TARGETS.absoluteFile, '/etc/hostname']);
  });

  it('escape-symlink links a host folder into the sandbox, then writes through the link', () => {
    const { calls } = playTurn(ADVERSARIAL_PROFILES['escape-symlink']);
    expect(calls[0]).toMatchObject({ name: 'bash', arguments: { command: `ln -s ${ESCAPE_TARGETS.symlinkTarget} ${ESCAPE_TARGETS.symlinkPath}` } });
    expect(calls[1]).toMatchObject({ name: 'write', arguments: { filePath: `${SANDBOX}/${ESCAPE_TARGETS.symlinkPath}/${ESCAPE_TARGETS.symlinkFile}` } });
  });

  it('tamper-checks writes the solution, then the check configuration and a fixture test', () => {
    const written = pathsOf(playTurn(ADVERSARIAL_PROFILES['tamper-checks']).calls.filter((call) => call.name === 'write'));
    expect(written).toEqual(expect.arrayContaining([`${SANDBOX}/src/app.ts`, `${SANDBOX}/vitest.config.ts`, `${SANDBOX}/tsconfig.json`, `${SANDBOX}/eslint.config.js`, `${SANDBOX}/src/core/App.test.tsx`, `${SANDBOX}/src/user-components/vitest.config.ts`]));
  });

  it('delete-hidden-tests removes, replaces and hunts the hidden tests after writing the solution', () => {
    const { calls } = playTurn(ADVERSARIAL_PROFILES['delete-hidden-tests']);
    expect(calls.map((call) => call.name).slice(-3)).toEqual(['bash', 'write', 'glob']);
    expect(pathsOf(calls.slice(-3))).toEqual(['rm -rf acceptance hidden-tests ../hidden-tests', `${SANDBOX}/acceptance/stock-quotes-widget.test.tsx`, '/']);
  });

  it('secrets-read reads, greps and globs secrets/', () => {
    expect(pathsOf(playTurn(ADVERSARIAL_PROFILES['secrets-read']).calls)).toEqual([`${SANDBOX}/secrets/credentials.json`, 'secrets', undefined]);
  });

  it('tool-loop never stops, and never repeats a call (OpenCode would flag three identical ones)', () => {
    const { calls, final } = playTurn(ADVERSARIAL_PROFILES['tool-loop'], 60);
    expect(final).toEqual({ kind: 'text', text: '(still calling tools)' });
    for (let index = 2; index < calls.length; index += 1) {
      expect(JSON.stringify(calls[index]) === JSON.stringify(calls[index - 1]) && JSON.stringify(calls[index]) === JSON.stringify(calls[index - 2])).toBe(false);
    }
  });

  it('huge-output makes a big file and a big output with the shell, and a huge answer', () => {
    const { calls, final } = playTurn(ADVERSARIAL_PROFILES['huge-output']);
    expect(pathsOf(calls)).toEqual([`seq 1 ${HUGE_OUTPUT.fileLines} > ${HUGE_OUTPUT.file}`, `seq 1 ${HUGE_OUTPUT.outputLines}`]);
    expect(final.kind === 'text' && final.text.length).toBeGreaterThan(HUGE_OUTPUT.textChars);
  });

  it('html-payload puts markup in its answer, a file name and the file', () => {
    const { calls, final } = playTurn(ADVERSARIAL_PROFILES['html-payload']);
    expect(calls).toEqual([{ name: 'write', arguments: { filePath: `${SANDBOX}/${HTML_PAYLOADS.fileName}`, content: HTML_PAYLOADS.content } }]);
    expect(final.kind === 'text' && final.text).toContain(HTML_PAYLOADS.text);
  });

  it('test-file-escape writes a test that writes outside the sandbox when run', () => {
    const [call] = playTurn(ADVERSARIAL_PROFILES['test-file-escape']).calls;
    expect(call?.arguments.filePath).toBe(`${SANDBOX}/src/user-components/escape.test.ts`);
    const content = String(call?.arguments.content);
    for (const target of [ESCAPE_TARGETS.checkHostFile, `../${ESCAPE_TARGETS.checkBesideName}`, `node_modules/${ESCAPE_TARGETS.checkDependencyName}`]) expect(content).toContain(target);
  });
});

describe('fault profiles', () => {
  it('wrap what reference would say in a wire fault', () => {
    for (const name of ['drop-mid-stream', 'malformed-sse', 'malformed-json', 'slow-stream', 'slow-reference'] as const) {
      const reply = FAULT_PROFILES[name](contextAt(0));
      expect(reply.kind, name).toBe('fault');
      if (reply.kind === 'fault') expect(reply.reply.kind).toBe('tool-calls');
    }
  });

  it('garbage-tool-call calls a tool that does not exist, once, then answers', () => {
    expect(playTurn(FAULT_PROFILES['garbage-tool-call']).calls.map((call) => call.name)).toEqual([GARBAGE_TOOL_NAME]);
  });
});
