import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * The container image (`deploy/container/`) is built by an engine the test suite never runs, so
 * nothing else would notice it drifting from the project: these tests hold the Containerfile, its
 * entrypoint and its readiness check to what the project installs (`runners/setup/setup.sh`, the
 * Debian packages the confinement names), the Node it requires (package.json, the lockfile) and the
 * CLI commands and flags they call. Nothing is built here (README "Container image").
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIR = path.join(ROOT, 'deploy/container');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const containerfile = read('deploy/container/Containerfile');
const readiness = read('deploy/container/readiness.sh');
const entrypoint = read('deploy/container/entrypoint.sh');

/** The Containerfile's instructions, continuation lines joined and comments dropped. */
function instructions(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

/** The stages: FROM … [AS name] and the instructions under it. */
function stages(text: string): { from: string; name: string | undefined; lines: string[] }[] {
  const result: { from: string; name: string | undefined; lines: string[] }[] = [];
  for (const line of instructions(text)) {
    const from = /^FROM (\S+)(?: AS (\S+))?$/i.exec(line);
    if (from !== null) result.push({ from: from[1] ?? '', name: from[2], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/** Every package an `apt-get install` of these lines names. */
function aptPackages(lines: readonly string[]): string[] {
  return lines.flatMap((line) => [...line.matchAll(/apt-get install ((?:-\S+ )*)([^&|;]+)/g)].flatMap((match) => (match[2] ?? '').trim().split(' ')));
}

/** `node runners/cli.ts <sub> …` calls of a shell script: the subcommand and its options. */
function cliCalls(script: string): { subcommand: string; options: string[] }[] {
  return [...script.replace(/\\\n/g, ' ').matchAll(/node (?:\/opt\/harness\/)?runners\/cli\.ts ([a-z-]+)([^\n|&;>]*)/g)].map((match) => ({
    subcommand: match[1] ?? '',
    options: [...(match[2] ?? '').matchAll(/(?:^|\s)(--?[a-z][\w-]*)/g)].map((option) => option[1] ?? ''),
  }));
}

async function optionsOf(subcommand: string): Promise<Set<string>> {
  const { stdout } = await execa(process.execPath, [path.join(ROOT, 'runners/cli.ts'), subcommand, '--help'], { cwd: ROOT });
  return new Set([...stdout.matchAll(/^\s+(?:(-\w), )?(--[a-z][\w-]*)/gm)].flatMap((match) => [match[1], match[2]].filter((name) => name !== undefined)));
}

const all = stages(containerfile);
const system = all.find((stage) => stage.name === 'system');
const build = all.find((stage) => stage.name === 'build');
const final = all.at(-1);

describe('the container image agrees with the project', () => {
  it('has a system stage, a build stage on it and an image on it', () => {
    expect(system?.from).toBe('${BASE_IMAGE}');
    expect(build?.from).toBe('system');
    expect(final?.from).toBe('system');
    expect(final?.lines.some((line) => line.startsWith('COPY --from=build /opt/harness /opt/harness'))).toBe(true);
  });

  it('installs every system package runners/setup/setup.sh installs and every one the confinement names', () => {
    const setup = [...read('runners/setup/setup.sh').matchAll(/missing="\$missing (\S+)"/g)].map((match) => match[1]);
    expect(setup).toEqual(expect.arrayContaining(['bubblewrap', 'nftables', 'conntrack', 'ripgrep', 'chromium']));
    const named = ['runners/platform/network/namespace-tools.ts', 'runners/platform/confinement/confinement.ts'].flatMap((file) =>
      [...read(file).matchAll(/Debian packages? ([a-z0-9.+-]+)(?: and ([a-z0-9.+-]+))?/g)].flatMap((match) => [match[1], match[2]].filter((name) => name !== undefined)),
    );
    expect(named).toEqual(expect.arrayContaining(['util-linux', 'iproute2', 'nftables', 'conntrack', 'bubblewrap']));
    const installed = aptPackages(system?.lines ?? []);
    expect([...setup, ...named, 'git'].filter((name) => !installed.includes(name ?? ''))).toEqual([]);
  });

  it('runs the project set-up after the system packages, so that it installs only the fixtures', () => {
    const scripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(read('package.json'))).scripts;
    expect(scripts.setup).toBe('bash runners/setup/setup.sh');
    expect(build?.lines.some((line) => / npm run setup$/.test(line))).toBe(true);
    expect(build?.lines.some((line) => /npm install --omit=dev/.test(line))).toBe(true);
  });

  it('uses Node 24 from the npm package `node` at the version the lockfile pins, and OpenCode from `opencode-ai`', () => {
    const pkg = z
      .object({ engines: z.object({ node: z.string() }), dependencies: z.record(z.string(), z.string()) })
      .parse(JSON.parse(read('package.json')));
    expect(pkg.engines.node).toBe('>=24');
    expect(pkg.dependencies.node).toMatch(/^\^?24\./);
    expect(pkg.dependencies['opencode-ai']).toBeDefined();
    const lock = z.object({ packages: z.record(z.string(), z.object({ version: z.string().optional() })) }).parse(JSON.parse(read('package-lock.json')));
    expect(lock.packages['node_modules/node']?.version).toMatch(/^24\./);
    const buildText = (build?.lines ?? []).join('\n');
    expect(buildText).toContain(`require('/tmp/package-lock.json').packages['node_modules/node'].version`);
    expect(buildText).toContain('test "$(node_modules/.bin/node --version | cut -d. -f1)" = v24');
    expect(buildText).toContain('node_modules/.bin/opencode --version');
    // The image's node is the project's: node_modules/.bin first on PATH.
    expect(final?.lines.find((line) => line.startsWith('ENV PATH='))).toMatch(/^ENV PATH=\/opt\/harness\/node_modules\/\.bin:/);
    expect(readiness).toContain('[ "$major" = v24 ]');
  });

  it('names in ENTRYPOINT, HEALTHCHECK and the build script only files that exist', () => {
    const referenced = [...containerfile.matchAll(/\/opt\/harness\/(deploy\/container\/[\w.-]+)/g)].map((match) => match[1] ?? '');
    const script = read('deploy/container/build-image.sh');
    referenced.push(...[...script.matchAll(/(deploy\/container\/[\w.-]+)/g)].map((match) => match[1] ?? ''));
    expect(referenced).toEqual(expect.arrayContaining(['deploy/container/entrypoint.sh', 'deploy/container/readiness.sh', 'deploy/container/Containerfile.dockerignore']));
    expect(referenced.filter((file) => !existsSync(path.join(ROOT, file)))).toEqual([]);
    expect(final?.lines).toContain('HEALTHCHECK --interval=5m --timeout=60s --start-period=10s --retries=1 CMD ["/opt/harness/deploy/container/readiness.sh"]');
    expect(read('deploy/container/Containerfile.dockerignore').split('\n')).toEqual(expect.arrayContaining(['**/node_modules', 'runs', '.git']));
    expect(existsSync(path.join(DIR, 'README.md'))).toBe(true);
  });
});

describe('the readiness check and the entrypoint call the real CLI', () => {
  let cli: Map<string, Set<string>>;
  beforeAll(async () => {
    cli = new Map(await Promise.all((['run'] as const).map(async (name) => [name, await optionsOf(name)] as const)));
  }, 30_000);

  it('runs harness subcommands and flags that exist, on a scenario and target that exist', () => {
    const calls = cliCalls(readiness);
    expect(calls.map((call) => call.subcommand)).toEqual(['run', 'run']);
    expect(calls.flatMap((call) => call.options)).toEqual(expect.arrayContaining(['--dry-run', '--scenario', '--target', '--out', '--config']));
    expect(calls.flatMap(({ subcommand, options }) => options.filter((option) => !(cli.get(subcommand)?.has(option) ?? false)).map((option) => `${subcommand} ${option}`))).toEqual([]);
    const deep = /--scenario (\S+) --target (\S+)/.exec(readiness);
    expect(existsSync(path.join(ROOT, 'scenarios', deep?.[1] ?? '-', 'scenario.yaml'))).toBe(true);
    expect(read('harness.config.ts')).toContain(`id: '${deep?.[2] ?? '-'}'`);
  });

  it('asks the harness’s own isolation check, which still exports the function it imports', () => {
    const imported = /await import\('\/opt\/harness\/(runners\/[\w/.-]+\.ts)'\)/.exec(readiness);
    expect(imported?.[1]).toBe('runners/platform/confinement/confinement.ts');
    expect(readiness).toContain("const { detectIsolation } = await import(");
    expect(read(imported?.[1] ?? '-')).toMatch(/^export function detectIsolation\(mode: IsolationMode\): RunIsolation/m);
    // What a run does first after bubblewrap starts: nsenter into its network namespace.
    expect(read('runners/platform/network/prepare-network.ts')).toContain("['-t', String(pid), '-n'");
    expect(readiness).toContain('nsenter -t "$pid" -n');
  });

  it('gives an ad-hoc run the flags the CI recipe uses, which `harness run` defines', () => {
    const flags = [...entrypoint.matchAll(/set -- run ([^\n]*\\\n[^\n]*)/g)].flatMap((match) => [...(match[1] ?? '').matchAll(/(--[a-z][\w-]*)/g)].map((flag) => flag[1] ?? ''));
    expect(flags).toEqual(['--endpoint', '--model', '--quantization', '--api-key-env']);
    expect(flags.filter((flag) => !(cli.get('run')?.has(flag) ?? false))).toEqual([]);
    expect(entrypoint).toContain('exec node /opt/harness/runners/cli.ts "$@"');
    // The same variable names as the CI workflow and the Kubernetes ConfigMap.
    const workflow = read('.github/workflows/harness.yml');
    for (const name of ['HARNESS_BASE_URL', 'HARNESS_MODEL', 'HARNESS_QUANTIZATION', 'HARNESS_API_KEY']) {
      expect(workflow).toContain(name);
      expect(entrypoint).toContain(name);
    }
  });
});
