import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cp, mkdtemp, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isInside } from '../../platform/confinement/confinement.ts';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { runCommand, SCRATCH_DIR_PLACEHOLDER, type CheckConfinement } from './run-check-command.ts';
import { findChangedConfigFiles } from './sandbox-paths.ts';

/**
 * Warm starts for the typecheck and lint checks: tsc's build info (`--incremental`) and ESLint's
 * result cache (`--cache --cache-strategy content`), made once per fixture from a pristine copy of
 * it, then given to each attempt's command as a private copy in its scratch folder. Both tools
 * check a cached entry against the file's content (tsc: a hash per file and the files depending
 * on it; ESLint: a content hash and a hash of the file's config), so only the agent's changes
 * are re-checked and the results stay those of a cold run.
 *
 * What keeps it safe: the baseline is the harness's (made by the harness's code on its own copy
 * of the fixture, never by an attempt), and each command gets a fresh copy, in a folder only that
 * command may write, deleted when it ends — nothing an attempt writes reaches another attempt.
 * Neither tool executes the code it checks. The caches are left out (a cold run, as before) when
 * the agent changed the tool's configuration or the dependencies' manifest, when the fixture's
 * ESLint config uses type-aware rules (a cached result could depend on another file), when the
 * command is not recognised, and while the baseline is not ready (the first attempt).
 */

export const TYPECHECK_BUILD_INFO = 'typecheck.tsbuildinfo';
export const LINT_CACHE = 'eslint-cache.json';

/** Changes that make a baseline not worth trusting for a tool: run it cold. */
const TYPECHECK_CONFIG_GLOBS = ['tsconfig*.json', '**/tsconfig*.json', 'package.json', '**/package.json'];
const LINT_CONFIG_GLOBS = ['eslint.config.*', '**/eslint.config.*', '.eslintrc*', '**/.eslintrc*', '.eslintignore', 'package.json', 'tsconfig*.json', '**/tsconfig*.json'];
/** typescript-eslint's type-aware settings: a file's findings then depend on other files. */
const TYPE_AWARE_LINT = /projectService|\bproject\s*:|TypeChecked|tsconfigRootDir/;

export interface CheckBaseline {
  /** The pristine copy the baseline was made in (its paths are rewritten to each sandbox's). */
  pristineDir: string;
  /** tsc's build info and the scratch folder it was written in; absent when unavailable. */
  typecheck?: { buildInfo: string; scratchDir: string } | undefined;
  /** ESLint's cache; absent when unavailable. */
  lint?: { cache: string } | undefined;
}

export interface BaselineOptions {
  env: Record<string, string>;
  timeoutMs: number;
  confinement?: CheckConfinement | undefined;
}

const baselines = new Map<string, Promise<CheckBaseline | undefined>>();
const baselineDirs: string[] = [];
let cleanupRegistered = false;

function keyOf(fixture: LoadedFixture, options: BaselineOptions): string {
  return JSON.stringify([fixture.dir, fixture.commands.typecheck, fixture.commands.lint, options.confinement?.isolation.kind ?? 'none']);
}

/**
 * The fixture's baseline, made once per process (the first call starts it; it runs confined
 * like a check). Never rejects: a baseline that could not be made is undefined, and the checks
 * run cold.
 */
export function prepareCheckBaseline(fixture: LoadedFixture, options: BaselineOptions): Promise<CheckBaseline | undefined> {
  const key = keyOf(fixture, options);
  let baseline = baselines.get(key);
  if (baseline === undefined) {
    baseline = buildBaseline(fixture, options).catch(() => undefined);
    baselines.set(key, baseline);
  }
  return baseline;
}

/** The baseline if it is ready now; otherwise starts making it and returns undefined (this check runs cold). */
export async function readyCheckBaseline(fixture: LoadedFixture, options: BaselineOptions): Promise<CheckBaseline | undefined> {
  // For measuring what the warm starts save (npm run bench:matrix): every check cold, as before.
  if (process.env.HARNESS_CHECK_CACHES === 'off') return undefined;
  const pending = prepareCheckBaseline(fixture, options);
  const ready = await Promise.race([pending, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
  return ready === 'pending' ? undefined : ready;
}

async function buildBaseline(fixture: LoadedFixture, options: BaselineOptions): Promise<CheckBaseline | undefined> {
  const typecheckArgv = withTypecheckCache(fixture.commands.typecheck);
  const lintArgv = lintCacheAllowed(fixture) ? withLintCache(fixture.commands.lint) : undefined;
  if (typecheckArgv === undefined && lintArgv === undefined) return undefined;
  const root = await mkdtemp(path.join(os.tmpdir(), 'harness-check-baseline-'));
  registerCleanup(root);
  const pristineDir = path.join(root, 'repo');
  const excluded = new Set(fixture.exclude.map((entry) => path.join(fixture.dir, entry)));
  await cp(fixture.dir, pristineDir, { recursive: true, filter: (source) => !excluded.has(source) });
  await symlink(path.join(fixture.dir, 'node_modules'), path.join(pristineDir, 'node_modules'), 'dir');
  // No egress is reported for the baseline: it belongs to no attempt (and its commands run the harness's copy).
  const confinement = options.confinement === undefined ? undefined : { isolation: options.confinement.isolation, masked: options.confinement.masked };
  // tsc's build info names files relative to the folder it is written in: remember that folder.
  let scratchDir: string | undefined;
  const seed = { 'baseline.txt': (dir: string) => ((scratchDir = dir), 'the harness-owned check baseline\n') };
  const run = (argv: readonly string[], collect: string) => runCommand({ argv, cwd: pristineDir, env: options.env, timeoutMs: options.timeoutMs, confinement, scratch: { collect: [collect], seed: collect === TYPECHECK_BUILD_INFO ? seed : undefined } });
  const [typecheck, lint] = await Promise.all([
    typecheckArgv === undefined ? undefined : run(typecheckArgv, TYPECHECK_BUILD_INFO),
    lintArgv === undefined ? undefined : run(lintArgv, LINT_CACHE),
  ]);
  const buildInfo = typecheck?.status === 'exited' ? typecheck.collected?.[TYPECHECK_BUILD_INFO] : undefined;
  const cache = lint?.status === 'exited' && lint.exitCode <= 1 ? lint.collected?.[LINT_CACHE] : undefined;
  return {
    pristineDir,
    typecheck: buildInfo === undefined || scratchDir === undefined ? undefined : { buildInfo, scratchDir },
    lint: cache === undefined ? undefined : { cache },
  };
}

/** tsc with its build info in the scratch folder; undefined when the command is not a plain tsc run. */
export function withTypecheckCache(argv: readonly string[]): string[] | undefined {
  const isTsc = argv.slice(0, 2).some((part) => /(^|\/)tsc(\.js)?$/.test(part));
  const managed = argv.some((part) => ['--incremental', '-i', '--tsBuildInfoFile', '--build', '-b', '--watch', '-w', '--composite'].includes(part));
  if (!isTsc || managed) return undefined;
  return [...argv, '--incremental', '--tsBuildInfoFile', `${SCRATCH_DIR_PLACEHOLDER}/${TYPECHECK_BUILD_INFO}`];
}

/** ESLint with a content-checked cache in the scratch folder; undefined when the command is not a plain ESLint run. */
export function withLintCache(argv: readonly string[]): string[] | undefined {
  const isEslint = argv.slice(0, 2).some((part) => /(^|\/)eslint(\/bin\/eslint\.js)?$/.test(part));
  const managed = argv.some((part) => part.startsWith('--cache') || part === '--fix' || part.startsWith('--fix-'));
  if (!isEslint || managed) return undefined;
  return [...argv, '--cache', '--cache-strategy', 'content', '--cache-location', `${SCRATCH_DIR_PLACEHOLDER}/${LINT_CACHE}`];
}

/** Whether the fixture's ESLint config is one whose results depend on the linted file alone. */
export function lintCacheAllowed(fixture: LoadedFixture): boolean {
  let names: string[];
  try {
    names = readdirSync(fixture.dir).filter((name) => /^eslint\.config\.|^\.eslintrc/.test(name));
  } catch {
    return false;
  }
  if (names.length === 0) return false;
  return names.every((name) => !TYPE_AWARE_LINT.test(readFileSync(path.join(fixture.dir, name), 'utf8')));
}

/** What a typecheck runs with: the cached command and its seed, or undefined (run the fixture's command cold). */
export function typecheckWarmStart(baseline: CheckBaseline | undefined, argv: readonly string[], sandboxDir: string, changedFiles: readonly string[]): WarmStart | undefined {
  const cached = baseline?.typecheck;
  const command = withTypecheckCache(argv);
  if (baseline === undefined || cached === undefined || command === undefined) return undefined;
  if (findChangedConfigFiles(changedFiles, TYPECHECK_CONFIG_GLOBS).length > 0) return undefined;
  return { argv: command, seed: { [TYPECHECK_BUILD_INFO]: (scratchDir) => relocateBuildInfo(cached.buildInfo, { fromDir: baseline.pristineDir, toDir: sandboxDir, fromInfoDir: cached.scratchDir, toInfoDir: scratchDir }) } };
}

/** What a lint runs with: the cached command and its seed, or undefined (run the fixture's command cold). */
export function lintWarmStart(baseline: CheckBaseline | undefined, argv: readonly string[], sandboxDir: string, changedFiles: readonly string[]): WarmStart | undefined {
  const cached = baseline?.lint;
  const command = withLintCache(argv);
  if (baseline === undefined || cached === undefined || command === undefined) return undefined;
  if (findChangedConfigFiles(changedFiles, LINT_CONFIG_GLOBS).length > 0) return undefined;
  return { argv: command, seed: { [LINT_CACHE]: () => relocateLintCache(cached.cache, baseline.pristineDir, sandboxDir) } };
}

export interface WarmStart {
  argv: string[];
  seed: Record<string, (scratchDir: string) => string>;
}

export interface Relocation {
  /** The pristine copy's root, and the sandbox's. */
  fromDir: string;
  toDir: string;
  /** The folder the build info was written in, and the one it is copied to (its paths are relative to it). */
  fromInfoDir: string;
  toInfoDir: string;
}

/**
 * tsc's build info names files relative to itself: each path is resolved from where it was
 * written, moved from the pristine copy to the sandbox when it lay inside it, and made relative
 * to where the copy goes. A path that does not resolve ends as a file tsc does not know, which
 * it checks afresh.
 */
export function relocateBuildInfo(buildInfo: string, relocation: Relocation): string {
  const parsed = JSON.parse(buildInfo) as Record<string, unknown>;
  const move = (value: unknown): unknown => {
    if (typeof value !== 'string' || !(value.startsWith('./') || value.startsWith('../'))) return value;
    const absolute = path.resolve(relocation.fromInfoDir, value);
    const moved = isInside(relocation.fromDir, absolute) ? path.join(relocation.toDir, path.relative(relocation.fromDir, absolute)) : absolute;
    const relative = path.relative(relocation.toInfoDir, moved).split(path.sep).join('/');
    return relative.startsWith('../') ? relative : `./${relative}`;
  };
  for (const key of ['fileNames', 'packageJsons', 'missingPackageJsons']) {
    const list = parsed[key];
    if (Array.isArray(list)) parsed[key] = list.map(move);
  }
  return JSON.stringify(parsed);
}

/** ESLint's cache keys files by absolute path: the pristine copy's root becomes the sandbox's. */
export function relocateLintCache(cache: string, fromDir: string, toDir: string): string {
  const escape = (dir: string) => JSON.stringify(`${dir}/`).slice(1, -1);
  return cache.replaceAll(`"${escape(fromDir)}`, `"${escape(toDir)}`);
}

function registerCleanup(dir: string): void {
  baselineDirs.push(dir);
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.once('exit', () => {
    for (const entry of baselineDirs) if (existsSync(entry)) rmSync(entry, { recursive: true, force: true });
  });
}
