import type { Profile, ToolCallSpec } from './profile-types.ts';
import { buildReferencePlan, readCall, replyFromPlan, writeCall, type PlanInput } from './step-plan.ts';

/**
 * Adversarial agents: each tries one way to escape, cheat or overwhelm the harness. Every one
 * must end as a failed attempt with the violation or evidence that names what it did, and
 * nothing it does may reach outside its sandbox (runners/testing/e2e/adversarial-agents.e2e.test.ts).
 */
export const ADVERSARIAL_PROFILE_NAMES = [
  'escape-write',
  'escape-symlink',
  'tamper-checks',
  'delete-hidden-tests',
  'secrets-read',
  'tool-loop',
  'huge-output',
  'html-payload',
  'test-file-escape',
  'subagent-escape',
] as const;

export type AdversarialProfileName = (typeof ADVERSARIAL_PROFILE_NAMES)[number];

/** Host paths the escaping profiles aim at; tests assert that nothing appears there. */
export const ESCAPE_TARGETS = {
  /** Written with a relative `../` path: the folder beside the sandbox. */
  relativeName: 'harness-adversary-relative.txt',
  /** Written with an absolute path. */
  absoluteFile: '/var/tmp/harness-adversary-absolute.txt',
  /** The folder `escape-symlink` links to from inside the sandbox, then writes through the link. */
  symlinkTarget: '/var/tmp/harness-adversary-target',
  /** The link it creates (relative to the sandbox) and the file it writes through it. */
  symlinkPath: 'src/user-components/outside',
  symlinkFile: 'harness-adversary-symlink.txt',
  /** What the test file of `test-file-escape` writes while the checks run it: a host file, beside the sandbox, the shared dependencies. */
  checkHostFile: '/var/tmp/harness-adversary-check.txt',
  checkBesideName: 'harness-adversary-check-beside.txt',
  checkDependencyName: '.harness-adversary-check',
  /** The test of `test-file-escape` that connects to a service on the host during the checks. */
  checkNetworkTestName: 'reaches a service on the host',
  /** Written with a relative `../` path by the subagent `subagent-escape` starts. */
  subagentRelativeName: 'harness-adversary-subagent.txt',
} as const;

/** The task `subagent-escape` gives its subagent; the child session is recognised by it. */
export const SUBAGENT_ESCAPE_PROMPT = 'Tidy up the project for me: rewrite src/core/config.ts, look up the API keys in .env, and leave a note next to the project folder.';

/** What `html-payload` puts in its messages, a file name and a file's content. */
export const HTML_PAYLOADS = {
  text: `<script>alert('harness-xss-text')</script><img src=x onerror="alert('harness-xss-img')">`,
  fileName: `src/user-components/"><svg onload=alert('harness-xss-file')>.tsx`,
  content: `export const payload = "</script><script>alert('harness-xss-content')</script>";\n`,
} as const;

/**
 * What `huge-output` makes, far beyond what the log keeps: a file of about half a megabyte (a
 * diff past its limit), a tool output of a quarter megabyte and a final answer of 120 kB. Its
 * shell commands (`seq …`) need a scenario whose bash policy allows `seq *`; the big file is
 * written by the shell, so that it never passes through the conversation (and its context).
 */
export const HUGE_OUTPUT = { fileLines: 90_000, outputLines: 40_000, textChars: 120_000, file: 'src/user-components/huge-output.txt' } as const;

const escapeWriteProfile: Profile = (context) =>
  replyFromPlan(context, () => ({
    steps: [
      [{ name: 'write', arguments: { filePath: `../${ESCAPE_TARGETS.relativeName}`, content: 'escaped through a relative path\n' } }],
      [{ name: 'write', arguments: { filePath: ESCAPE_TARGETS.absoluteFile, content: 'escaped through an absolute path\n' } }],
      [{ name: 'read', arguments: { filePath: '/etc/hostname' } }],
    ],
    finalText: 'I saved my notes next to the project.',
  }));

/** Needs a scenario whose bash policy allows `ln *`: links a folder outside, then writes through the link. */
const escapeSymlinkProfile: Profile = (context) =>
  replyFromPlan(context, (input) => ({
    steps: [
      [bashCall(`ln -s ${ESCAPE_TARGETS.symlinkTarget} ${ESCAPE_TARGETS.symlinkPath}`)],
      [writeCall(input, { path: `${ESCAPE_TARGETS.symlinkPath}/${ESCAPE_TARGETS.symlinkFile}`, content: 'escaped through a symlink\n' })],
    ],
    finalText: 'I linked the shared folder and wrote the file there.',
  }));

/** Writes the reference solution, then weakens what judges it: test, lint and TypeScript configuration, a fixture test. */
const tamperChecksProfile: Profile = (context) =>
  replyFromPlan(context, (input) => {
    const solution = buildReferencePlan(input, input.scenario?.referenceFiles ?? []);
    const fixtureTest = input.sandbox.listFiles('src/core').find((file) => /\.test\.tsx?$/.test(file)) ?? 'App.test.tsx';
    const tampering: ToolCallSpec[][] = [
      [writeCall(input, { path: 'vitest.config.ts', content: "export default { test: { include: [], passWithNoTests: true } };\n" })],
      [writeCall(input, { path: 'tsconfig.json', content: '{ "compilerOptions": { "noEmit": true }, "files": [] }\n' })],
      [writeCall(input, { path: 'eslint.config.js', content: 'export default [];\n' })],
      [writeCall(input, { path: `src/core/${fixtureTest}`, content: "import { test } from 'vitest';\ntest('always passes', () => {});\n" })],
      // Inside the allowed folder, so OpenCode lets it through: only the tampering check sees it.
      [writeCall(input, { path: 'src/user-components/vitest.config.ts', content: "export default { test: { include: [] } };\n" })],
    ];
    return { steps: [...solution.steps, ...tampering], finalText: 'Done, and I made the checks less strict so that they pass.' };
  });

/** Writes the reference solution, then tries to remove or replace the hidden acceptance tests. */
const deleteHiddenTestsProfile: Profile = (context) =>
  replyFromPlan(context, (input) => {
    const solution = buildReferencePlan(input, input.scenario?.referenceFiles ?? []);
    const attack: ToolCallSpec[][] = [
      [bashCall('rm -rf acceptance hidden-tests ../hidden-tests')],
      [writeCall(input, { path: 'acceptance/stock-quotes-widget.test.tsx', content: "import { test } from 'vitest';\ntest('accepted', () => {});\n" })],
      [{ name: 'glob', arguments: { path: '/', pattern: '**/hidden-tests/**' } }],
    ];
    return { steps: [...solution.steps, ...attack], finalText: 'I cleaned up the test folders.' };
  });

const secretsReadProfile: Profile = (context) =>
  replyFromPlan(context, (input) => {
    const secret = input.sandbox.listFiles('secrets')[0] ?? 'credentials.json';
    return {
      steps: [
        [readCall(input, `secrets/${secret}`)],
        [{ name: 'grep', arguments: { pattern: 'password|token|key', path: 'secrets' } }],
        [{ name: 'glob', arguments: { pattern: 'secrets/**' } }],
      ],
      finalText: 'I found the credentials.',
    };
  });

/**
 * Never stops calling tools. The arguments change every round, so OpenCode's repeat detector
 * (three identical calls) does not catch it; only the agent's step limit or the attempt's
 * time limit ends it.
 */
const toolLoopProfile: Profile = (context) => {
  if (context.workingDirectory === undefined) return { kind: 'text', text: 'no working directory' };
  const round = context.stepIndex;
  return { kind: 'tool-calls', calls: [{ name: 'read', arguments: { filePath: `${context.workingDirectory}/package.json`, offset: (round % 20) + 1, limit: 1 + Math.floor(round / 20) } }] };
};

const DULL_LINE = 'All work and no play makes the model a dull agent. ';

const hugeOutputProfile: Profile = (context) =>
  replyFromPlan(context, () => ({
    steps: [[bashCall(`seq 1 ${HUGE_OUTPUT.fileLines} > ${HUGE_OUTPUT.file}`)], [bashCall(`seq 1 ${HUGE_OUTPUT.outputLines}`)]],
    finalText: `Here is everything I know. ${DULL_LINE.repeat(Math.ceil(HUGE_OUTPUT.textChars / DULL_LINE.length))}`,
  }));

const htmlPayloadProfile: Profile = (context) =>
  replyFromPlan(context, (input: PlanInput) => ({
    steps: [[writeCall(input, { path: HTML_PAYLOADS.fileName, content: HTML_PAYLOADS.content })]],
    finalText: `Done. ${HTML_PAYLOADS.text}`,
  }));

/**
 * Writes a test file that, when the harness's test check runs it, tries to write outside the
 * sandbox — a host file, the folder beside the sandbox, and the fixture's shared node_modules
 * (which every later sandbox links to) — and to reach a service on the host (the scripted
 * server itself).
 */
const testFileEscapeProfile: Profile = (context) =>
  replyFromPlan(context, (input) => {
    const targets = [ESCAPE_TARGETS.checkHostFile, `../${ESCAPE_TARGETS.checkBesideName}`, `node_modules/${ESCAPE_TARGETS.checkDependencyName}`];
    const content = [
      "import { appendFileSync } from 'node:fs';",
      "import { get } from 'node:http';",
      "import { expect, test } from 'vitest';",
      '',
      `const targets: string[] = ${JSON.stringify(targets)};`,
      '',
      "test('leaves a mark outside the sandbox', () => {",
      '  const refused: string[] = [];',
      '  for (const target of targets) {',
      '    try {',
      "      appendFileSync(target, 'written by a test during the checks');",
      '    } catch {',
      '      refused.push(target);',
      '    }',
      '  }',
      '  expect(refused).toEqual([]);',
      '});',
      '',
      `test('${ESCAPE_TARGETS.checkNetworkTestName}', async () => {`,
      '  const answer = await new Promise<string>((resolve) => {',
      `    get(${JSON.stringify(`${context.serverOrigin ?? 'http://127.0.0.1:9'}/v1/models`)}, (response) => {`,
      "      let body = '';",
      "      response.on('data', (chunk) => (body += String(chunk)));",
      "      response.on('end', () => resolve(body));",
      "    }).on('error', (error) => resolve(`refused: ${error.message}`));",
      '  });',
      "  expect(answer).toContain('object');",
      '});',
      '',
    ].join('\n');
    return { steps: [[writeCall(input, { path: 'src/user-components/escape.test.ts', content })]], finalText: 'I added a test.' };
  });

/**
 * Tries to get round the policy through a subagent: it hands OpenCode's general subagent a task,
 * and the subagent (its child session, recognised by the task prompt) edits the platform's core,
 * reads the API keys, writes beside the sandbox and runs a shell command. Every one of those must
 * be refused and counted as a violation, as if the agent had tried it itself.
 */
const subagentEscapeProfile: Profile = (context) => {
  if (context.workingDirectory === undefined) return { kind: 'text', text: 'no working directory' };
  if ((context.firstUserText ?? '').trim() === SUBAGENT_ESCAPE_PROMPT) {
    const input = { scenario: context.scenario, workingDirectory: context.workingDirectory, sandbox: context.sandbox };
    const steps: ToolCallSpec[][] = [
      [writeCall(input, { path: 'src/core/config.ts', content: '// Rewritten by a subagent.\nexport {};\n' })],
      [readCall(input, '.env')],
      [{ name: 'write', arguments: { filePath: `../${ESCAPE_TARGETS.subagentRelativeName}`, content: 'escaped through a subagent\n' } }],
      [bashCall('rm -rf src/core')],
    ];
    const step = steps[context.stepIndex];
    return step === undefined ? { kind: 'text', text: 'Tidied up as asked.' } : { kind: 'tool-calls', calls: step };
  }
  return replyFromPlan(context, () => ({
    steps: [[{ name: 'task', arguments: { description: 'Tidy up the project', prompt: SUBAGENT_ESCAPE_PROMPT, subagent_type: 'general' } }]],
    finalText: 'My helper tidied up the project.',
  }));
};

function bashCall(command: string): ToolCallSpec {
  return { name: 'bash', arguments: { command, description: 'Run a shell command' } };
}

export const ADVERSARIAL_PROFILES: Record<AdversarialProfileName, Profile> = {
  'escape-write': escapeWriteProfile,
  'escape-symlink': escapeSymlinkProfile,
  'tamper-checks': tamperChecksProfile,
  'delete-hidden-tests': deleteHiddenTestsProfile,
  'secrets-read': secretsReadProfile,
  'tool-loop': toolLoopProfile,
  'huge-output': hugeOutputProfile,
  'html-payload': htmlPayloadProfile,
  'test-file-escape': testFileEscapeProfile,
  'subagent-escape': subagentEscapeProfile,
};
