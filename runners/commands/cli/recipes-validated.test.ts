import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

/**
 * The CI and Kubernetes recipes checked by the real validators of their formats, not by this
 * project's idea of them (recipes.test.ts holds them to the harness's own CLI):
 *
 * - `.github/workflows/harness.yml` by `@action-validator/core` (the `action-validator` tool as a
 *   WebAssembly module: SchemaStore's JSON schema for GitHub workflows);
 * - every object in `deploy/kubernetes/*.yaml` by `kubernetes-models`: its `apiVersion`/`kind`
 *   must name a model class of the Kubernetes API, and the class's `.validate()` (the API's OpenAPI
 *   schema: types, required fields, enums) must accept it. That schema does not refuse unknown
 *   fields, which the API server does (`kubectl apply` validates strictly), so each object is also
 *   type-checked as an object literal of the model's TypeScript interface, where an unknown field
 *   is an error.
 *
 * The manifests are plain YAML: every value to set is marked `# PARAMETER` and holds its default
 * (deploy/kubernetes/README.md), so the files as they are are the recipe with its defaults. The
 * only substitution is Kubernetes' own: `$(VAR)` in a container's command and args, expanded by
 * the kubelet from the container's environment (its `env` values and the ConfigMaps of `envFrom`);
 * the test expands them the same way and requires none to stay unexpanded (the kubelet would pass
 * it on literally).
 *
 * Every check has a failing case — a copy with a deliberate error the validator must reject — so
 * none can pass by accepting everything.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WORKFLOW = path.join(ROOT, '.github/workflows/harness.yml');
const KUBERNETES = path.join(ROOT, 'deploy/kubernetes');

/** Every error action-validator reports, nested `oneOf` branches flattened, as `path: detail or title`. */
function workflowErrors(text: string): string[] {
  const flatten = (errors: readonly ValidationError[]): string[] =>
    errors.flatMap((error) => [
      `${'path' in error ? error.path : `line ${error.location?.line ?? '?'}`}: ${error.detail ?? error.title}`,
      ...('states' in error && error.states !== undefined ? error.states.flatMap((state) => flatten(state.errors)) : []),
    ]);
  const state = validateWorkflow(text);
  expect(state.actionType).toBe('workflow');
  return flatten(state.errors);
}

describe('the GitHub Actions workflow, by action-validator', () => {
  const text = readFileSync(WORKFLOW, 'utf8');

  it('is a valid workflow', () => {
    expect(workflowErrors(text)).toEqual([]);
  });

  it('rejects a copy with a misspelled key (runs-on → run-on)', () => {
    expect(text).toContain('    runs-on: ubuntu-24.04\n    timeout-minutes: 360');
    const misspelled = text.replace('    runs-on: ubuntu-24.04\n    timeout-minutes: 360', '    run-on: ubuntu-24.04\n    timeout-minutes: 360');
    expect(workflowErrors(misspelled)).toEqual(expect.arrayContaining(["/jobs/shard: Additional property 'run-on' is not allowed", '/jobs/shard/runs-on: This property is required']));
  });

  it('rejects a copy with a wrong type (timeout-minutes: "six hours") and an unknown step key', () => {
    const wrong = text.replace('timeout-minutes: 30', 'timeout-minutes: six hours').replace('      - name: Merge the shards\n        id: merge', '      - name: Merge the shards\n        idd: merge');
    expect(wrong).not.toBe(text);
    const errors = workflowErrors(wrong);
    expect(errors.some((error) => error.startsWith('/jobs/merge/timeout-minutes'))).toBe(true);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^\/jobs\/merge\/steps\/\d+: Additional property 'idd' is not allowed$/)]));
  });
});

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  [key: string]: unknown;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

interface ManifestDocument {
  file: string;
  object: KubernetesObject;
}

function readManifests(): ManifestDocument[] {
  return readdirSync(KUBERNETES)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(path.join(KUBERNETES, file), 'utf8')).map((document) => {
        expect(document.errors, file).toEqual([]);
        return { file, object: document.toJS() as KubernetesObject };
      }),
    );
}

/** `batch/v1` → `batch/v1`, core `v1` → `v1`: the module path of a kind in kubernetes-models. */
function modelModule({ apiVersion, kind }: KubernetesObject): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The model class of an object's kind and apiVersion; throws when kubernetes-models has none. */
async function modelOf(object: KubernetesObject): Promise<ModelClass> {
  const module = (await import(modelModule(object))) as Record<string, unknown>;
  const model = module[object.kind];
  if (typeof model !== 'function') throw new Error(`${modelModule(object)} has no class ${object.kind}`);
  return model as ModelClass;
}

/** `.validate()`'s complaint, or undefined when the object is valid. */
async function schemaError(object: KubernetesObject): Promise<string | undefined> {
  const Model = await modelOf(object);
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Type-checks each object as a literal of its model's interface (`IJob`, `IConfigMap`, …) with the
 * project's TypeScript: unknown fields (excess properties) and wrong types are errors. Returns the
 * diagnostics, one line each.
 */
function typeErrors(objects: readonly KubernetesObject[]): string[] {
  const file = path.join(ROOT, '__kubernetes-manifests-check__.mts');
  const source = [
    ...objects.map((object, index) => `import type { I${object.kind} as T${index} } from '${modelModule(object)}';`),
    ...objects.map((object, index) => `export const object${index}: T${index} = ${JSON.stringify(object, null, 2)};`),
  ].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (path.resolve(name) === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file !== undefined && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0;
    const line = source.split('\n')[where - 1]?.trim() ?? '';
    return `${line} — ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}

/**
 * What the kubelet runs: each Job container's `$(VAR)` in command and args replaced from its
 * environment (`env[].value`, then the ConfigMaps of `envFrom`; a Secret's value as `<secret>`).
 * `$$(VAR)` stays `$(VAR)`, as Kubernetes documents; a variable it cannot resolve stays as written.
 */
function expandJobCommands(objects: readonly KubernetesObject[]): Array<{ job: string; words: string[] }> {
  const configMaps = new Map(objects.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata?.name, (object.data ?? {}) as Record<string, string>]));
  type Container = { command?: string[]; args?: string[]; env?: Array<{ name: string; value?: string; valueFrom?: unknown }>; envFrom?: Array<{ configMapRef?: { name: string } }> };
  return objects
    .filter((object) => object.kind === 'Job')
    .flatMap((job) => {
      const containers = ((job.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers);
      return containers.map((container) => {
        const environment = new Map<string, string>();
        for (const from of container.envFrom ?? []) for (const [name, value] of Object.entries(configMaps.get(from.configMapRef?.name) ?? {})) environment.set(name, value);
        for (const variable of container.env ?? []) environment.set(variable.name, variable.value ?? '<secret>');
        const expand = (word: string) => word.replace(/\$(\$?)\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, escaped: string, name: string) => (escaped === '$' ? `$(${name})` : (environment.get(name) ?? whole)));
        return { job: job.metadata?.name ?? '?', words: [...(container.command ?? []), ...(container.args ?? [])].map(expand) };
      });
    });
}

describe('the Kubernetes manifests, by kubernetes-models', () => {
  it('are the objects the README lists, each of a kind and apiVersion kubernetes-models has a model for', async () => {
    const manifests = readManifests();
    expect(manifests.map(({ file, object }) => `${file}: ${object.apiVersion} ${object.kind} ${object.metadata?.name}`)).toEqual([
      'merge-job.yaml: batch/v1 Job harness-merge',
      'parameters.yaml: v1 ConfigMap harness-parameters',
      'parameters.yaml: v1 PersistentVolumeClaim harness-runs',
      'shards-job.yaml: batch/v1 Job harness-shards',
    ]);
    for (const { object } of manifests) await expect(modelOf(object)).resolves.toBeTypeOf('function');
    await expect(modelOf({ apiVersion: 'batch/v1', kind: 'Jobs' })).rejects.toThrow();
  });

  it('each object passes its model’s validate() (the API schema), with the parameters at their documented defaults', async () => {
    for (const { file, object } of readManifests()) expect(await schemaError(object), `${file} ${object.kind}`).toBeUndefined();
  });

  it('no object has a field its kind does not define (each type-checks as its model’s interface)', () => {
    expect(typeErrors(readManifests().map(({ object }) => object))).toEqual([]);
  }, 60_000);

  it('every $(VAR) in the Jobs’ commands expands from the ConfigMap and env, as the kubelet does it', () => {
    const commands = expandJobCommands(readManifests().map(({ object }) => object));
    expect(commands.map(({ job }) => job).sort()).toEqual(['harness-merge', 'harness-shards']);
    for (const { job, words } of commands) expect(words.filter((word) => /\$\([A-Za-z_]/.test(word)), job).toEqual([]);
    const shard = commands.find(({ job }) => job === 'harness-shards')?.words ?? [];
    expect(shard.slice(shard.indexOf('--endpoint'), shard.indexOf('--endpoint') + 4)).toEqual(['--endpoint', 'http://vllm.example.internal:8000/v1', '--model', 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ']);
    expect(shard).toContain('/runs/nightly-0001/shards');
    // A variable no env or ConfigMap defines stays unexpanded, and is found.
    const [broken] = expandJobCommands([{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ args: ['--out', '/runs/$(HARNESS_RUN_NAM)', '$$(LITERAL)'] }] } } } }]);
    expect(broken?.words).toEqual(['--out', '/runs/$(HARNESS_RUN_NAM)', '$(LITERAL)']);
  });

  describe('failing cases: copies with a deliberate error are rejected', () => {
    const find = (kind: string, name: string): KubernetesObject => {
      const found = readManifests().find(({ object }) => object.kind === kind && object.metadata?.name === name)?.object;
      if (found === undefined) throw new Error(`no ${kind} ${name}`);
      return structuredClone(found);
    };

    it('a Job with completions: "four" fails validate()', async () => {
      const job = find('Job', 'harness-shards');
      (job.spec as Record<string, unknown>).completions = 'four';
      expect(await schemaError(job)).toContain('completions must be integer');
    });

    it('a ConfigMap with an unquoted number (HARNESS_CONCURRENCY: 2) fails validate()', async () => {
      const configMap = find('ConfigMap', 'harness-parameters');
      (configMap.data as Record<string, unknown>).HARNESS_CONCURRENCY = 2;
      expect(await schemaError(configMap)).toContain('HARNESS_CONCURRENCY must be string');
    });

    it('a PersistentVolumeClaim with an unknown access mode type and a Job without containers fail validate()', async () => {
      const claim = find('PersistentVolumeClaim', 'harness-runs');
      (claim.spec as Record<string, unknown>).accessModes = 'ReadWriteMany';
      expect(await schemaError(claim)).toContain('accessModes must be array');
      const job = find('Job', 'harness-merge');
      delete (job.spec as { template: { spec: Record<string, unknown> } }).template.spec.containers;
      expect(await schemaError(job)).toContain('must have required property containers');
    });

    it('a misspelled field (completion; volumeMount) passes validate() but not the interface check', async () => {
      // TypeScript reports the first unknown field of an assignment, so each typo gets its own copy.
      const job = find('Job', 'harness-shards');
      const spec = job.spec as Record<string, unknown>;
      spec.completion = spec.completions;
      delete spec.completions;
      const other = find('Job', 'harness-shards');
      const [container] = (other.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers;
      if (container === undefined) throw new Error('no container');
      container.volumeMount = container.volumeMounts;
      delete container.volumeMounts;
      // The OpenAPI schema does not close objects: validate() alone would let both typos through.
      expect(await schemaError(job)).toBeUndefined();
      expect(await schemaError(other)).toBeUndefined();
      expect(typeErrors([job])).toEqual([expect.stringMatching(/^"completion": 4,? — Object literal may only specify known properties, and '"completion"' does not exist in type 'IJobSpec'/)]);
      expect(typeErrors([other])).toEqual([expect.stringMatching(/^"volumeMount": \[ — Object literal may only specify known properties, and '"volumeMount"' does not exist in type 'IContainer'/)]);
    }, 60_000);
  });
});
