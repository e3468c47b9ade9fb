import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { startScriptedModelServer, type ScriptedModelServer } from '../../endpoints/scripted-model/scripted-model-server.ts';
import { listScenarioIds, loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { PROJECT_ROOT, onlyRunDir, readSummary, scriptedTarget, writeConfig } from '../support/harness-cli.ts';
import { useSuiteWorkspace } from '../support/workspace.ts';

/**
 * `.github/workflows/harness.yml` run here as GitHub runs it: the shard job's and the merge job's
 * steps in order, each `run:` script by bash (`bash -e <script>`, as a Linux runner runs a
 * `run:` step without `shell:`) in a checkout of its own per job, with the environment a run would
 * give it — the workflow's, job's and step's `env:` with their `${{ … }}` expressions evaluated
 * (vars, secrets, matrix, strategy, step outputs), GITHUB_ACTIONS=true, CI=true, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files — against the scripted model served on a local port as the vLLM
 * endpoint (`vars.HARNESS_BASE_URL`, `vars.HARNESS_MODEL`). Two endpoints serve the same model name:
 * one scripted by the `reference` profile (every attempt passes), one by `noop` (every attempt
 * fails) — a deployment that regressed, so the second run's gate must fail.
 * A step that fails ends its job there, as on GitHub (no step of this workflow has an `if:`).
 *
 * Emulated, not run (GitHub's own actions and what needs a GitHub runner):
 * - `actions/checkout`: each job gets a fresh folder of symlinks to the project's top-level
 *   entries (no `.git`, no `runs/`);
 * - `actions/setup-node`: the test's Node (24, checked against `node-version`) first on PATH;
 * - `actions/upload-artifact` / `actions/download-artifact`: copies into and out of a folder per
 *   run and artifact name, with upload's `path:`, `if-no-files-found` and its leaving out of hidden
 *   files (`include-hidden-files`, v4.4), download's `pattern:`
 *   (each artifact into `<path>/<name>/`, as without `merge-multiple`);
 * - the step summary: GITHUB_STEP_SUMMARY is a file the test reads;
 * - `gh` (the baseline step): a stub on PATH that answers `gh api …/artifacts --jq <filter>` by
 *   running the workflow's own jq filter (real jq) over a canned artifacts listing, and
 *   `gh run download` from the emulated artifact store.
 * Skipped, with the reason in SKIPPED_RUN_STEPS: the apt-get/sysctl step (sudo; the packages are
 * this machine's, installed by `npm run setup`), `npm install` and `npm run setup` (done once for
 * the project; the checkout's node_modules and the fixtures' installs are the project's).
 *
 * The matrix is cut from four shards to two (the workflow's comment: its entries are the shard
 * count), the config (the HARNESS_CONFIG variable) to one scenario × 2 repeats, 1 attempt at once.
 */

const WORKFLOW = path.join(PROJECT_ROOT, '.github/workflows/harness.yml');
const API_KEY = 'sk-workflow-steps-secret-0f3a9';
const CONFIG_FILE = 'ci.harness.config.ts';
/** vLLM's served model name, the same on both endpoints. */
const MODEL = 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ';
/** The config the repository variable HARNESS_CONFIG names: one scenario, two repeats, a gate a failing profile cannot meet. */
const CONFIG_BODY = { targets: [scriptedTarget('reference')], scenarios: ['add-stock-widget'], repeats: 2, concurrency: 1, gate: { minPassRate: 0.5 } };
const SHARDS = 2;
const STEP_TIMEOUT_MS = 420_000;

const SKIPPED_RUN_STEPS: Record<string, string> = {
  'Packages that confine the agent': 'sudo apt-get install and sysctl change the machine; here the packages are installed by npm run setup and isolation is detected as on any host',
  'npm install': "the checkout's node_modules is the project's, installed once",
  'npm run setup': "the fixtures' dependencies and the confinement packages are the project's, installed once",
};

const envSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional();
const stepSchema = z.object({ name: z.string().optional(), id: z.string().optional(), uses: z.string().optional(), run: z.string().optional(), with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(), env: envSchema, if: z.string().optional() });
type Step = z.infer<typeof stepSchema>;
const workflowSchema = z.object({
  env: envSchema,
  jobs: z.object({
    shard: z.object({ env: envSchema, strategy: z.object({ matrix: z.object({ shard: z.array(z.number()) }) }), steps: z.array(stepSchema) }),
    merge: z.object({ needs: z.string(), env: envSchema, steps: z.array(stepSchema) }),
  }),
});
type Workflow = z.infer<typeof workflowSchema>;

/** What `${{ … }}` can read in a run. */
interface ExpressionContext {
  vars: Record<string, string>;
  secrets: Record<string, string>;
  github: Record<string, string>;
  matrix?: Record<string, string>;
  strategy?: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
}

/**
 * The expressions this workflow uses: a property path (`vars.X`, `strategy.job-index`,
 * `steps.merge.outputs.dir`), a quoted literal, and `a || b`. Anything else throws, so a new
 * kind of expression in the workflow is not silently read as empty.
 */
function evaluate(expression: string, context: ExpressionContext): string {
  const operands = expression.split('||').map((operand) => operand.trim());
  for (const operand of operands) {
    let value: string;
    const literal = /^'((?:[^']|'')*)'$/.exec(operand);
    if (literal !== null) value = (literal[1] ?? '').replaceAll("''", "'");
    else if (/^[a-z]+(\.[A-Za-z0-9_-]+)+$/.test(operand)) {
      let current: unknown = context;
      for (const key of operand.split('.')) current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
      if (current !== undefined && typeof current !== 'string') throw new Error(`\${{ ${expression} }}: ${operand} is not a value`);
      value = current ?? '';
    } else throw new Error(`\${{ ${expression} }}: an expression this emulation does not evaluate`);
    if (value !== '') return value;
  }
  return '';
}

function substitute(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_whole, expression: string) => evaluate(expression, context));
}

function evaluateEnv(env: Record<string, string | number | boolean> | undefined, context: ExpressionContext): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([name, value]) => [name, substitute(String(value), context)]));
}

/** `name=value` lines and `name<<DELIMITER` blocks of a GITHUB_OUTPUT file. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block !== null) {
      const end = lines.indexOf(block[2] ?? '', index + 1);
      outputs[block[1] ?? ''] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

/** One run of the workflow: its id, repository variables and secrets, and where its artifacts go. */
interface WorkflowRun {
  id: string;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  /** The canned listing `gh api repos/…/actions/artifacts` returns. */
  artifactsListing: unknown;
}

interface StepRecord {
  name: string;
  /** `run` (bash ran it), `emulated` (a GitHub action done by the test), `skipped`. */
  how: 'run' | 'emulated' | 'skipped';
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

interface JobRecord {
  result: 'success' | 'failure';
  steps: StepRecord[];
  checkout: string;
  stepSummary: string;
}

const stepName = (step: Step): string => step.name ?? step.uses ?? step.run?.split('\n')[0] ?? '?';

describe('the GitHub Actions workflow, its steps run locally against the scripted model', () => {
  const workspace = useSuiteWorkspace('harness-e2e-workflow-');
  let good: ScriptedModelServer;
  let regressed: ScriptedModelServer;
  let workflow: Workflow;
  let stubBin: string;

  beforeAll(async () => {
    const scenariosDir = path.join(PROJECT_ROOT, 'scenarios');
    const scenarios = listScenarioIds(scenariosDir).map((id) => loadScenario(scenariosDir, id));
    good = await startScriptedModelServer({ scenarios, servedModels: { [MODEL]: 'reference' } });
    regressed = await startScriptedModelServer({ scenarios, servedModels: { [MODEL]: 'noop' } });
    workflow = workflowSchema.parse(parse(readFileSync(WORKFLOW, 'utf8')));
    stubBin = path.join(workspace.dir, 'stub-bin');
    mkdirSync(stubBin);
    writeFileSync(path.join(stubBin, 'gh'), GH_STUB);
    chmodSync(path.join(stubBin, 'gh'), 0o755);
  });
  afterAll(async () => {
    await good?.close();
    await regressed?.close();
  });

  /** A fresh checkout, as actions/checkout gives each job: the project's entries, symlinked. */
  function checkout(name: string): string {
    const dir = path.join(workspace.dir, 'jobs', name);
    mkdirSync(dir, { recursive: true });
    for (const entry of readdirSync(PROJECT_ROOT)) {
      if (['.git', 'runs', 'shards', 'merged', 'baseline'].includes(entry)) continue;
      symlinkSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry));
    }
    // The repository's config that vars.HARNESS_CONFIG names (relative to the checkout, as on a runner).
    writeConfig(dir, CONFIG_BODY, CONFIG_FILE);
    return dir;
  }

  const artifactDir = (runId: string, name: string) => path.join(workspace.dir, 'artifacts', runId, name);

  /** Runs one job's steps in order; the first failing step ends it. */
  async function runJob(run: WorkflowRun, name: string, job: { env?: Record<string, string | number | boolean> | undefined; steps: Step[] }, extra: { matrix?: Record<string, string>; strategy?: Record<string, string> }): Promise<JobRecord> {
    const dir = checkout(name);
    const runnerTemp = path.join(workspace.dir, 'runner-temp', name);
    mkdirSync(runnerTemp, { recursive: true });
    // Each job's own TMPDIR, as each job has its own machine; inside the workspace's, so the
    // workspace's clean-up finds what a job left running.
    const tmp = path.join(workspace.tmp, name);
    mkdirSync(tmp);
    const stepSummary = path.join(runnerTemp, 'step-summary.md');
    writeFileSync(stepSummary, '');
    const context: ExpressionContext = { vars: run.vars, secrets: run.secrets, github: { token: 'ghs_emulated-token' }, ...extra, steps: {} };
    const records: StepRecord[] = [];
    for (const [index, step] of job.steps.entries()) {
      expect(step.if, `${name}: step ${stepName(step)} has an if:, which this emulation does not evaluate`).toBeUndefined();
      const env: Record<string, string> = {
        PATH: [path.dirname(process.execPath), stubBin, process.env.PATH ?? '/usr/bin:/bin'].join(path.delimiter),
        HOME: process.env.HOME ?? '/root',
        LANG: 'C.UTF-8',
        TMPDIR: tmp,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: dir,
        GITHUB_REPOSITORY: 'example-org/harness',
        GITHUB_RUN_ID: run.id,
        GITHUB_JOB: name,
        RUNNER_TEMP: runnerTemp,
        GITHUB_STEP_SUMMARY: stepSummary,
        GITHUB_OUTPUT: path.join(runnerTemp, `output-${index}`),
        GH_STUB_ARTIFACTS_LISTING: JSON.stringify(run.artifactsListing),
        GH_STUB_ARTIFACTS: path.join(workspace.dir, 'artifacts'),
        ...evaluateEnv(workflow.env, context),
        ...evaluateEnv(job.env, context),
        ...evaluateEnv(step.env, context),
      };
      const record = await runStep(step, env, context, dir, run.id);
      records.push(record);
      if (step.id !== undefined) context.steps[step.id] = { outputs: record.outputs };
      if (record.exitCode !== 0) return { result: 'failure', steps: records, checkout: dir, stepSummary: readFileSync(stepSummary, 'utf8') };
    }
    return { result: 'success', steps: records, checkout: dir, stepSummary: readFileSync(stepSummary, 'utf8') };
  }

  async function runStep(step: Step, env: Record<string, string>, context: ExpressionContext, dir: string, runId: string): Promise<StepRecord> {
    const name = stepName(step);
    const done = (how: StepRecord['how'], exitCode = 0, stdout = '', stderr = ''): StepRecord => ({ name, how, exitCode, stdout, stderr, outputs: readOutputs(env.GITHUB_OUTPUT ?? '') });
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, substitute(String(value), context)]));
    if (step.run !== undefined) {
      if (SKIPPED_RUN_STEPS[name] !== undefined) return done('skipped');
      const script = path.join(env.RUNNER_TEMP ?? dir, `step-${path.basename(env.GITHUB_OUTPUT ?? 'x')}.sh`);
      writeFileSync(script, substitute(step.run, context));
      const result = await execa('bash', ['-e', script], { cwd: dir, env, extendEnv: false, reject: false, timeout: STEP_TIMEOUT_MS });
      return done('run', result.exitCode ?? -1, String(result.stdout), String(result.stderr));
    }
    const action = step.uses?.split('@')[0];
    switch (action) {
      case 'actions/checkout':
        return done('emulated');
      case 'actions/setup-node':
        expect(Number(inputs['node-version'])).toBe(Number(process.versions.node.split('.')[0]));
        return done('emulated');
      case 'actions/upload-artifact': {
        const target = artifactDir(runId, inputs.name ?? 'artifact');
        const paths = (inputs.path ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
        const found = paths.filter((entry) => existsSync(path.resolve(dir, entry)));
        if (found.length === 0 && inputs['if-no-files-found'] === 'error') return done('emulated', 1, '', `upload-artifact: no files found at ${paths.join(', ')}`);
        mkdirSync(target, { recursive: true });
        // A folder is uploaded as its contents; files by name (their common folder is the root). Since
        // v4.4 hidden files and folders are left out unless include-hidden-files is true.
        const hidden = (file: string) => inputs['include-hidden-files'] !== 'true' && path.basename(file).startsWith('.');
        for (const entry of found) cpSync(path.resolve(dir, entry), entry.endsWith('/') ? target : path.join(target, path.basename(entry)), { recursive: true, filter: (file) => !hidden(file) });
        return { ...done('emulated'), stdout: `uploaded ${found.join(', ')}${found.length < paths.length ? `; missing ${paths.filter((entry) => !found.includes(entry)).join(', ')}` : ''}` };
      }
      case 'actions/download-artifact': {
        const pattern = new RegExp(`^${(inputs.pattern ?? '').replaceAll('*', '.*')}$`);
        const names = readdirSync(path.join(workspace.dir, 'artifacts', runId)).filter((artifact) => pattern.test(artifact));
        for (const artifact of names) cpSync(artifactDir(runId, artifact), path.join(dir, inputs.path ?? '.', artifact), { recursive: true });
        return { ...done('emulated'), stdout: `downloaded ${names.join(', ')}` };
      }
      default:
        throw new Error(`step ${name}: ${step.uses ?? '?'} is neither run nor emulated here`);
    }
  }

  /** The whole workflow for one run: the shard matrix (both shards at once, as GitHub runs them), then merge. */
  async function runWorkflow(run: WorkflowRun): Promise<{ shards: JobRecord[]; merge: JobRecord }> {
    const matrix = workflow.jobs.shard.strategy.matrix.shard.slice(0, SHARDS);
    const shards = await Promise.all(
      matrix.map((shard, index) => runJob(run, `shard-${run.id}-${shard}`, workflow.jobs.shard, { matrix: { shard: String(shard) }, strategy: { 'job-index': String(index), 'job-total': String(matrix.length) } })),
    );
    expect(workflow.jobs.merge.needs).toBe('shard');
    for (const shard of shards) expect(shard.result, describeJob(shard)).toBe('success');
    const merge = await runJob(run, `merge-${run.id}`, workflow.jobs.merge, {});
    return { shards, merge };
  }

  const stepOf = (job: JobRecord, name: string): StepRecord => {
    const step = job.steps.find((candidate) => candidate.name === name);
    if (step === undefined) throw new Error(`no step "${name}" ran: ${describeJob(job)}`);
    return step;
  };

  it('the shard matrix is four shards, and the endpoint check refuses a run without the variables', async () => {
    expect(workflow.jobs.shard.strategy.matrix.shard).toEqual([0, 1, 2, 3]);
    const job = await runJob({ id: '100', vars: {}, secrets: {}, artifactsListing: { artifacts: [] } }, 'shard-unset', { ...workflow.jobs.shard, steps: workflow.jobs.shard.steps.slice(0, 1) }, { matrix: { shard: '0' }, strategy: { 'job-index': '0', 'job-total': '1' } });
    expect(job.result).toBe('failure');
    expect(job.steps[0]).toMatchObject({ name: 'Require the endpoint', exitCode: 2 });
    expect(job.steps[0]?.stdout).toContain('::error::set the repository variables HARNESS_BASE_URL');
  });

  describe('a run on a good endpoint passes the gate; a later run on a regressed one fails it against that baseline', () => {
    let passing: { shards: JobRecord[]; merge: JobRecord };
    let failing: { shards: JobRecord[]; merge: JobRecord };
    const vars = (endpoint: ScriptedModelServer) => ({ HARNESS_BASE_URL: endpoint.baseURL, HARNESS_MODEL: MODEL, HARNESS_CONFIG: CONFIG_FILE });

    beforeAll(async () => {
      passing = await runWorkflow({ id: '200', vars: vars(good), secrets: { HARNESS_API_KEY: API_KEY }, artifactsListing: artifactsListing('200', []) });
      failing = await runWorkflow({ id: '300', vars: vars(regressed), secrets: { HARNESS_API_KEY: API_KEY }, artifactsListing: artifactsListing('300', [{ id: 200, branch: 'main' }]) });
    }, 1_500_000);

    it('each shard job ran its steps as the workflow does, ran one half of the specs with --exit-zero, and uploaded it', () => {
      for (const [index, shard] of passing.shards.entries()) {
        expect(shard.steps.map((step) => `${step.how}: ${step.name}`)).toEqual([
          'run: Require the endpoint',
          'emulated: actions/checkout@v4',
          'emulated: actions/setup-node@v4',
          'skipped: Packages that confine the agent',
          'skipped: npm install',
          'skipped: npm run setup',
          'run: Run this shard',
          'emulated: actions/upload-artifact@v4',
        ]);
        expect(stepOf(shard, 'Run this shard').exitCode).toBe(0);
        const runDir = onlyRunDir(path.join(artifactDir('200', `harness-shard-${index}`)));
        const summary = readSummary(runDir);
        expect(summary.totals.specs).toBe(1);
        expect(summary.specs.map((spec) => spec.spec.targetId)).toEqual(['adhoc-Qwen_Qwen2.5-Coder-14B-Instruct-AWQ']);
      }
      // noop fails every attempt, and --exit-zero still lets each shard succeed: the gate is the merge job's.
      for (const shard of failing.shards) expect(stepOf(shard, 'Run this shard').exitCode).toBe(0);
    });

    it('merge gives one run with every attempt of both shards, summary.md in the step summary, junit.xml and the reports uploaded', () => {
      const { merge } = passing;
      expect(merge.result, describeJob(merge)).toBe('success');
      expect(stepOf(merge, 'actions/download-artifact@v4').stdout).toBe('downloaded harness-shard-0, harness-shard-1');
      const mergeStep = stepOf(merge, 'Merge the shards');
      expect(mergeStep.exitCode).toBe(0);
      const runDir = path.join(merge.checkout, mergeStep.outputs.dir ?? '?');
      expect(onlyRunDir(path.join(merge.checkout, 'merged'))).toBe(runDir);
      const summary = readSummary(runDir);
      expect(summary.totals).toMatchObject({ specs: 2, passed: 2, failed: 0 });
      const shardAttempts = passing.shards.map((_, index) => readSummary(onlyRunDir(artifactDir('200', `harness-shard-${index}`))).specs.flatMap((spec) => spec.attempts.map((attempt) => attempt.attemptId)));
      expect(summary.specs.flatMap((spec) => spec.attempts.map((attempt) => attempt.attemptId)).sort()).toEqual(shardAttempts.flat().sort());
      const markdown = readFileSync(path.join(runDir, 'summary.md'), 'utf8');
      expect(merge.stepSummary).toContain(markdown);
      expect(readFileSync(path.join(artifactDir('200', 'harness-junit'), 'junit.xml'), 'utf8')).toContain('<testsuites name="harness');
      expect(readdirSync(artifactDir('200', 'harness-report')).sort()).toEqual(['report.html', 'scorecard.html']);
      // The key reached the endpoint through the harness only; no file the run wrote holds it.
      expect(filesContaining(API_KEY, [path.join(workspace.dir, 'artifacts')])).toEqual([]);
    });

    it('without a baseline on main, the run is compared with itself and the gate passes: the job succeeds', () => {
      const { merge } = passing;
      // The workflow's jq filter left out an expired artifact, a fork's main, another branch and this run itself.
      expect(stepOf(merge, 'The main branch\'s last merged run (the baseline)').outputs).toEqual({});
      expect(merge.stepSummary).toContain("No merged run of main yet: the gate applies the config's thresholds only.");
      const gate = stepOf(merge, 'Compare and gate');
      expect(gate.exitCode).toBe(0);
      expect(gate.outputs).toEqual({ code: '0' });
      const current = path.join(merge.checkout, stepOf(merge, 'Merge the shards').outputs.dir ?? '?');
      expect(merge.stepSummary).toContain(readFileSync(path.join(current, 'compare.md'), 'utf8'));
      expect(merge.steps.at(-1)).toMatchObject({ name: "The gate's verdict", how: 'run', exitCode: 0 });
      expect(onlyRunDir(artifactDir('200', 'harness-merged'))).toMatch(/harness-merged\/[^/]+$/);
    });

    it("with main's merged run as the baseline, a run the gate rejects fails the job at the verdict step, after the merged run is uploaded", () => {
      const { merge } = failing;
      const mergeStep = stepOf(merge, 'Merge the shards');
      // merge exits 1 (specs failed), which the step lets through for the gate.
      expect(mergeStep.exitCode).toBe(0);
      expect(readSummary(path.join(merge.checkout, mergeStep.outputs.dir ?? '?')).totals).toMatchObject({ specs: 2, passed: 0 });
      const baseline = stepOf(merge, "The main branch's last merged run (the baseline)");
      expect(baseline.outputs.dir).toMatch(/^baseline\/[^/]+$/);
      expect(path.basename(baseline.outputs.dir ?? '')).toBe(path.basename(onlyRunDir(artifactDir('200', 'harness-merged'))));
      const gate = stepOf(merge, 'Compare and gate');
      expect(gate.exitCode).toBe(0);
      expect(gate.outputs).toEqual({ code: '1' });
      expect(gate.stderr).toContain('[minPassRate]');
      expect(stepOf(merge, 'Merged run (the baseline of later runs)').how).toBe('emulated');
      expect(existsSync(artifactDir('300', 'harness-merged'))).toBe(true);
      expect(merge.steps.at(-1)).toMatchObject({ name: "The gate's verdict", exitCode: 1 });
      expect(merge.result).toBe('failure');
    });
  });
});

/** The files under `dirs` that contain `text`. */
function filesContaining(text: string, dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && readFileSync(full).includes(text)) found.push(full);
    }
  };
  for (const dir of dirs) walk(dir);
  return found;
}

/**
 * What GitHub's artifacts API would list for `harness-merged`, newest first: decoys the
 * workflow's filter must pass over (an expired one, a fork's `main`, another branch, the current
 * run itself) and then the given runs.
 */
function artifactsListing(currentRunId: string, runs: Array<{ id: number; branch: string }>): unknown {
  const artifact = (id: number, branch: string, extra: { expired?: boolean; fork?: boolean } = {}) => ({
    name: 'harness-merged',
    expired: extra.expired ?? false,
    workflow_run: { id, head_branch: branch, repository_id: 1, head_repository_id: extra.fork === true ? 2 : 1 },
  });
  return {
    total_count: runs.length + 4,
    artifacts: [artifact(Number(currentRunId), 'main'), artifact(150, 'main', { fork: true }), artifact(140, 'feature/x'), artifact(130, 'main', { expired: true }), ...runs.map((run) => artifact(run.id, run.branch))],
  };
}

function describeJob(job: JobRecord): string {
  return job.steps.map((step) => `${step.how} ${step.name} → ${step.exitCode}${step.exitCode === 0 ? '' : `\n${step.stdout.slice(-2000)}\n${step.stderr.slice(-3000)}`}`).join('\n');
}

/**
 * `gh` as the baseline step calls it. `gh api <endpoint> --jq <filter>` prints the workflow's own
 * filter (real jq) applied to the canned listing; `gh run download <run> --name <artifact> --dir
 * <dir>` copies that run's artifact from the emulated store. GH_TOKEN must be set, as gh requires.
 */
const GH_STUB = `#!/bin/bash
set -euo pipefail
[ -n "\${GH_TOKEN:-}" ] || { echo "gh: GH_TOKEN is not set" >&2; exit 4; }
case "$1" in
  api)
    endpoint="$2"; shift 2; filter="."
    while [ $# -gt 0 ]; do case "$1" in --jq) filter="$2"; shift 2;; *) shift;; esac; done
    case "$endpoint" in
      "repos/$GITHUB_REPOSITORY/actions/artifacts?name=harness-merged&per_page=100") ;;
      *) echo "gh stub: unexpected endpoint $endpoint" >&2; exit 1;;
    esac
    printf '%s' "$GH_STUB_ARTIFACTS_LISTING" | jq -r "$filter"
    ;;
  run)
    [ "$2" = download ] || { echo "gh stub: run $2" >&2; exit 1; }
    run_id="$3"; shift 3; name=""; dir="."
    while [ $# -gt 0 ]; do case "$1" in --name) name="$2"; shift 2;; --dir) dir="$2"; shift 2;; *) shift;; esac; done
    source_dir="$GH_STUB_ARTIFACTS/$run_id/$name"
    [ -d "$source_dir" ] || { echo "no artifact $name in run $run_id" >&2; exit 1; }
    mkdir -p "$dir"; cp -R "$source_dir"/. "$dir"/
    ;;
  *) echo "gh stub: $1" >&2; exit 1;;
esac
`;
