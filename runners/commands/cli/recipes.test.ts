import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { KUBERNETES_INDEX_VARIABLE, SHARD_INDEX_VARIABLE, SHARD_TOTAL_VARIABLE } from '../../pipeline/plan/shard-environment.ts';

/**
 * The CI and Kubernetes recipes (`.github/workflows/harness.yml`, `deploy/kubernetes/`) are run by
 * engines this repository never runs, so nothing else would notice them drifting from the code:
 * these tests hold every `npm run` script, `harness` subcommand and flag they call, and the shard
 * variables they set, to package.json, the CLI and `shard-environment.ts`.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WORKFLOW = path.join(ROOT, '.github/workflows/harness.yml');
const KUBERNETES = path.join(ROOT, 'deploy/kubernetes');
const SUBCOMMANDS = ['run', 'merge', 'compare'] as const;

const envMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional();
const workflowSchema = z.object({
  env: envMap,
  jobs: z.record(
    z.string(),
    z.object({
      env: envMap,
      strategy: z.object({ matrix: z.object({ shard: z.array(z.number()) }) }).optional(),
      steps: z.array(z.object({ run: z.string().optional(), env: envMap })),
    }),
  ),
});
type Workflow = z.infer<typeof workflowSchema>;

const containerSchema = z.object({
  command: z.array(z.string()).default([]),
  args: z.array(z.string()).default([]),
  env: z
    .array(z.object({ name: z.string(), value: z.string().optional(), valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }).optional() }).optional() }))
    .default([]),
  envFrom: z.array(z.object({ configMapRef: z.object({ name: z.string() }) })).default([]),
});
type Container = z.infer<typeof containerSchema>;
const manifestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('Job'),
    metadata: z.object({ name: z.string() }),
    spec: z.object({
      completionMode: z.string().optional(),
      completions: z.number().optional(),
      parallelism: z.number().optional(),
      template: z.object({ spec: z.object({ containers: z.array(containerSchema) }) }),
    }),
  }),
  z.object({ kind: z.literal('ConfigMap'), metadata: z.object({ name: z.string() }), data: z.record(z.string(), z.string()) }),
  z.object({ kind: z.literal('PersistentVolumeClaim'), metadata: z.object({ name: z.string() }) }),
]);
type Manifest = z.infer<typeof manifestSchema>;
type Job = Extract<Manifest, { kind: 'Job' }>;

/** Splits a shell script into simple commands of words: quotes kept together, comments, `\` line joins and `;`, `&&`, `||`, `|` honoured. */
function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let index = 0; index < script.length; index += 1) {
    const char = script.charAt(index);
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"') word = (word ?? '') + script.charAt(++index);
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word = word ?? '';
    } else if (char === '\\') {
      if (script.charAt(index + 1) !== '\n') word = (word ?? '') + script.charAt(index + 1);
      index += 1;
    } else if (char === '#' && word === undefined) {
      while (index + 1 < script.length && script.charAt(index + 1) !== '\n') index += 1;
    } else if (char === '\n' || char === ';' || char === '|' || (char === '&' && script.charAt(index + 1) === '&')) {
      if (char !== '\n' && script.charAt(index + 1) === char) index += 1;
      endCommand();
    } else if (char === ' ' || char === '\t') {
      endWord();
    } else {
      word = (word ?? '') + char;
    }
  }
  endCommand();
  return commands;
}

/** A `harness` call found in a recipe: the subcommand and the options it passes (`--name`, `-x`; `=value` cut). */
interface HarnessCall {
  subcommand: string;
  options: string[];
}

/** `npm run [-s] harness -- <sub> …` or `node runners/cli.ts <sub> …`, wherever it starts in the command. */
function harnessCalls(commands: readonly string[][]): HarnessCall[] {
  return commands.flatMap((words) => {
    const start = words.findIndex((word, index) => (word === 'node' && words[index + 1] === 'runners/cli.ts') || (word === 'npm' && npmScriptOf(words.slice(index)) === 'harness'));
    if (start === -1) return [];
    const rest = words[start] === 'node' ? words.slice(start + 2) : words.slice(words.indexOf('--', start) + 1);
    const [subcommand = '', ...args] = rest;
    return [{ subcommand, options: args.filter((arg) => arg.startsWith('-') && arg !== '--').map((arg) => arg.split('=')[0] ?? arg) }];
  });
}

/** The script of `npm run <script>` (npm's own flags skipped), or undefined for another npm command. */
function npmScriptOf(words: readonly string[]): string | undefined {
  if (words[0] !== 'npm' || (words[1] !== 'run' && words[1] !== 'run-script')) return undefined;
  return words.slice(2).find((word) => !word.startsWith('-'));
}

function npmScripts(commands: readonly string[][]): string[] {
  return commands.flatMap((words) => words.flatMap((word, index) => (word === 'npm' ? [npmScriptOf(words.slice(index))] : [])).filter((name) => name !== undefined));
}

/** The options a subcommand's `--help` lists, short and long. */
async function optionsOf(subcommand: string): Promise<Set<string>> {
  const { stdout } = await execa(process.execPath, [path.join(ROOT, 'runners/cli.ts'), subcommand, '--help'], { cwd: ROOT });
  return new Set([...stdout.matchAll(/^\s+(?:(-\w), )?(--[a-z][\w-]*)/gm)].flatMap((match) => [match[1], match[2]].filter((name) => name !== undefined)));
}

/** What a recipe calls that the CLI does not define, one line each (empty when all is known). */
function unknownHarnessUsage(calls: readonly HarnessCall[], cli: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  return calls.flatMap(({ subcommand, options }) => {
    const known = cli.get(subcommand);
    if (known === undefined) return [`harness ${subcommand}: not a subcommand this recipe test knows (${[...cli.keys()].join(', ')})`];
    return options.filter((option) => !known.has(option)).map((option) => `harness ${subcommand} ${option}: no such option`);
  });
}

function readWorkflow(text = readFileSync(WORKFLOW, 'utf8')): Workflow {
  return workflowSchema.parse(parse(text));
}

function workflowCommands(workflow: Workflow): string[][] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run === undefined ? [] : shellCommands(step.run))));
}

function readManifests(): Manifest[] {
  return readdirSync(KUBERNETES)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseAllDocuments(readFileSync(path.join(KUBERNETES, file), 'utf8')).map((document) => manifestSchema.parse(document.toJS())));
}

function containerCommands(container: Container): string[][] {
  const words = [...container.command, ...container.args];
  const shell = (words[0] === 'sh' || words[0] === 'bash') && words[1] === '-c';
  return shell ? shellCommands(words[2] ?? '') : [words];
}

function jobs(manifests: readonly Manifest[]): Job[] {
  return manifests.filter((manifest): manifest is Job => manifest.kind === 'Job');
}

function manifestCommands(manifests: readonly Manifest[]): string[][] {
  return jobs(manifests).flatMap((job) => job.spec.template.spec.containers.flatMap(containerCommands));
}

/** Every environment variable name a recipe sets that looks like a shard variable. */
const looksLikeShardVariable = (name: string) => /SHARD|COMPLETION_INDEX/i.test(name);

let cli: Map<string, Set<string>>;
beforeAll(async () => {
  cli = new Map(await Promise.all(SUBCOMMANDS.map(async (name) => [name, await optionsOf(name)] as const)));
}, 30_000);

describe('the CI and Kubernetes recipes agree with the code', () => {
  const scripts = Object.keys(z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))).scripts);

  it('calls only npm scripts that package.json defines', () => {
    const called = npmScripts([...workflowCommands(readWorkflow()), ...manifestCommands(readManifests())]);
    expect(called).toEqual(expect.arrayContaining(['setup', 'harness']));
    expect(called.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it('uses only harness subcommands and flags that the CLI defines, and runs shards → merge → compare in both', () => {
    const workflowCalls = harnessCalls(workflowCommands(readWorkflow()));
    const kubernetesCalls = harnessCalls(manifestCommands(readManifests()));
    for (const calls of [workflowCalls, kubernetesCalls]) {
      expect(calls.map((call) => call.subcommand).sort()).toEqual(['compare', 'merge', 'run']);
      expect(calls.find((call) => call.subcommand === 'run')?.options).toEqual(expect.arrayContaining(['--shard', '--exit-zero', '--api-key-env']));
    }
    expect(unknownHarnessUsage([...workflowCalls, ...kubernetesCalls], cli)).toEqual([]);
  });

  it('reports a misspelled flag or subcommand', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    expect(text).toContain('--out shards --exit-zero');
    const misspelled = readWorkflow(text.replace('--out shards --exit-zero', '--out shards --exit-zro').replace('harness -- merge', 'harness -- merg'));
    const problems = unknownHarnessUsage(harnessCalls(workflowCommands(misspelled)), cli);
    expect(problems).toEqual(expect.arrayContaining(['harness run --exit-zro: no such option', expect.stringMatching(/^harness merg: not a subcommand/)]));
  });

  it('the workflow sets exactly the shard variables --shard auto reads on GitHub Actions, from the matrix strategy', () => {
    const workflow = readWorkflow();
    const sharded = Object.values(workflow.jobs).filter((job) => job.strategy !== undefined);
    expect(sharded).toHaveLength(1);
    expect(sharded[0]?.strategy?.matrix.shard.length).toBeGreaterThan(1);
    expect(sharded[0]?.env).toMatchObject({ [SHARD_INDEX_VARIABLE]: '${{ strategy.job-index }}', [SHARD_TOTAL_VARIABLE]: '${{ strategy.job-total }}' });
    const envs = [workflow.env, ...Object.values(workflow.jobs).flatMap((job) => [job.env, ...job.steps.map((step) => step.env)])];
    const shardNames = envs.flatMap((env) => Object.keys(env ?? {})).filter(looksLikeShardVariable);
    expect(shardNames.sort()).toEqual([SHARD_INDEX_VARIABLE, SHARD_TOTAL_VARIABLE].sort());
  });

  it('the Indexed Job sets HARNESS_SHARD_TOTAL to its completions and leaves the index to Kubernetes', () => {
    const manifests = readManifests();
    const indexed = jobs(manifests).filter((job) => job.spec.completionMode === 'Indexed');
    expect(indexed).toHaveLength(1);
    const [job] = indexed;
    if (job === undefined) throw new Error('no Indexed Job');
    expect(job.spec.completions).toBeGreaterThan(1);
    expect(job.spec.parallelism).toBe(job.spec.completions);
    const env = job.spec.template.spec.containers.flatMap((container) => container.env);
    expect(env.find((variable) => variable.name === SHARD_TOTAL_VARIABLE)?.value).toBe(String(job.spec.completions));
    const configMaps = manifests.flatMap((manifest) => (manifest.kind === 'ConfigMap' ? [manifest] : []));
    const setNames = [...env.map((variable) => variable.name), ...configMaps.flatMap((map) => Object.keys(map.data))];
    expect(setNames.filter(looksLikeShardVariable)).toEqual([SHARD_TOTAL_VARIABLE]);
    expect(setNames).not.toContain(KUBERNETES_INDEX_VARIABLE);
  });

  it('every $(VAR) a Job container expands is set, and the API key comes from a Secret named by --api-key-env', () => {
    const manifests = readManifests();
    const configMaps = new Map(manifests.flatMap((manifest) => (manifest.kind === 'ConfigMap' ? [[manifest.metadata.name, manifest.data] as const] : [])));
    for (const container of jobs(manifests).flatMap((job) => job.spec.template.spec.containers)) {
      const defined = new Set([...container.env.map((variable) => variable.name), ...container.envFrom.flatMap((from) => Object.keys(configMaps.get(from.configMapRef.name) ?? {}))]);
      const expanded = [...container.command, ...container.args].flatMap((word) => [...word.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((match) => match[1] ?? ''));
      expect(expanded.filter((name) => !defined.has(name))).toEqual([]);
    }
    const shardContainer = jobs(manifests).find((job) => job.spec.completionMode === 'Indexed')?.spec.template.spec.containers[0];
    const keyEnv = shardContainer?.args[shardContainer.args.indexOf('--api-key-env') + 1];
    expect(shardContainer?.env.find((variable) => variable.name === keyEnv)?.valueFrom?.secretKeyRef).toBeDefined();
  });

  it('splits shell the way the recipes write it', () => {
    expect(shellCommands('npm run harness -- run --config "$A B" \\\n  --exit-zero || status=$? # a comment\necho "x;y" && npm run -s setup')).toEqual([
      ['npm', 'run', 'harness', '--', 'run', '--config', '$A B', '--exit-zero'],
      ['status=$?'],
      ['echo', 'x;y'],
      ['npm', 'run', '-s', 'setup'],
    ]);
  });
});
