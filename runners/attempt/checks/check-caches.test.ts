/**
 * The typecheck and lint warm starts (a baseline made from the pristine fixture, copied to each
 * command) must never hide what a cold run finds: the real tsc 7 and ESLint 10 on copies of
 * fixtures/portfolio-dashboard, confined like a run's checks when bubblewrap works here.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { detectIsolation } from '../../platform/confinement/confinement.ts';
import { loadFixture, type LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { describeWith, installedFixture } from '../../testing/support/real-dependencies.ts';
import { lintWarmStart, prepareCheckBaseline, relocateBuildInfo, relocateLintCache, typecheckWarmStart, withLintCache, withTypecheckCache, type CheckBaseline } from './check-caches.ts';
import { checkLint } from './lint.ts';
import { makeContext, makeScenario } from './test-support.ts';
import { checkTypecheck } from './typecheck.ts';

describe('warm-start commands', () => {
  it('adds a build info in the scratch folder to a plain tsc run only', () => {
    expect(withTypecheckCache(['node', 'node_modules/typescript-native/bin/tsc', '--noEmit'])).toEqual(['node', 'node_modules/typescript-native/bin/tsc', '--noEmit', '--incremental', '--tsBuildInfoFile', '{scratchDir}/typecheck.tsbuildinfo']);
    expect(withTypecheckCache(['node', 'node_modules/typescript-native/bin/tsc', '--build'])).toBeUndefined();
    expect(withTypecheckCache(['node', 'node_modules/typescript-native/bin/tsc', '--incremental'])).toBeUndefined();
    expect(withTypecheckCache(['npm', 'run', 'typecheck'])).toBeUndefined();
  });

  it('adds a content-checked cache to a plain ESLint run only', () => {
    expect(withLintCache(['node', 'node_modules/eslint/bin/eslint.js', 'src'])).toEqual(['node', 'node_modules/eslint/bin/eslint.js', 'src', '--cache', '--cache-strategy', 'content', '--cache-location', '{scratchDir}/eslint-cache.json']);
    expect(withLintCache(['node', 'node_modules/eslint/bin/eslint.js', '--fix', 'src'])).toBeUndefined();
    expect(withLintCache(['node', 'node_modules/eslint/bin/eslint.js', '--cache', 'src'])).toBeUndefined();
    expect(withLintCache(['npx', 'biome', 'lint'])).toBeUndefined();
  });

  it('runs cold when the agent changed the configuration, or without a baseline', () => {
    const baseline: CheckBaseline = { pristineDir: '/base/repo', typecheck: { buildInfo: '{}', scratchDir: '/base/scratch' }, lint: { cache: '[]' } };
    const tsc = ['node', 'node_modules/typescript-native/bin/tsc', '--noEmit'];
    const eslint = ['node', 'node_modules/eslint/bin/eslint.js', 'src'];
    expect(typecheckWarmStart(baseline, tsc, '/sandbox', ['src/a.ts'])).toBeDefined();
    expect(typecheckWarmStart(baseline, tsc, '/sandbox', ['tsconfig.json'])).toBeUndefined();
    expect(typecheckWarmStart(baseline, tsc, '/sandbox', ['package.json'])).toBeUndefined();
    expect(typecheckWarmStart(undefined, tsc, '/sandbox', [])).toBeUndefined();
    expect(lintWarmStart(baseline, eslint, '/sandbox', ['src/a.ts'])).toBeDefined();
    expect(lintWarmStart(baseline, eslint, '/sandbox', ['eslint.config.js'])).toBeUndefined();
    expect(lintWarmStart({ ...baseline, lint: undefined }, eslint, '/sandbox', [])).toBeUndefined();
  });

  it('moves the build info from the pristine copy to the sandbox, relative to where the copy goes', () => {
    const buildInfo = JSON.stringify({ fileNames: ['lib.es5.d.ts', './repo/src/a.ts', '../../deps/node_modules/x/index.d.ts'], packageJsons: ['./repo/package.json'], missingPackageJsons: ['./repo/node_modules/y/package.json'], options: { strict: true, tsBuildInfoFile: './typecheck.tsbuildinfo' } });
    const moved = JSON.parse(relocateBuildInfo(buildInfo, { fromDir: '/tmp/base/repo', toDir: '/tmp/run/workers/1/repo', fromInfoDir: '/tmp/base', toInfoDir: '/tmp/check-1' })) as Record<string, unknown>;
    expect(moved.fileNames).toEqual(['lib.es5.d.ts', '../run/workers/1/repo/src/a.ts', '../../deps/node_modules/x/index.d.ts']);
    expect(moved.packageJsons).toEqual(['../run/workers/1/repo/package.json']);
    expect(moved.missingPackageJsons).toEqual(['../run/workers/1/repo/node_modules/y/package.json']);
    // The copy keeps its name, so tsBuildInfoFile (relative to itself) stays.
    expect(moved.options).toEqual({ strict: true, tsBuildInfoFile: './typecheck.tsbuildinfo' });
  });

  it("moves ESLint's cache keys from the pristine copy to the sandbox only", () => {
    const cache = '[["1","2"],"/tmp/base/repo/src/a.ts","/tmp/base/repository/b.ts"]';
    expect(relocateLintCache(cache, '/tmp/base/repo', '/tmp/sandbox')).toBe('[["1","2"],"/tmp/sandbox/src/a.ts","/tmp/base/repository/b.ts"]');
  });
});

const FIXTURES_DIR = path.join(PROJECT_ROOT, 'fixtures');
const FIXTURE_DIR = path.join(FIXTURES_DIR, 'portfolio-dashboard');
const isolation = detectIsolation('auto');
const work: string[] = [];
let fixture: LoadedFixture;
let env: Record<string, string>;
let baseline: CheckBaseline | undefined;

async function sandboxWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'check-caches-'));
  work.push(dir);
  await cp(FIXTURE_DIR, dir, { recursive: true, filter: (source) => path.relative(FIXTURE_DIR, source) !== 'node_modules' });
  await symlink(path.join(FIXTURE_DIR, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), contents);
  }
  return dir;
}

function contextFor(sandboxDir: string, changedFiles: string[]) {
  return makeContext({ sandboxDir, fixture, scenario: makeScenario({ hiddenTestsTarget: 'acceptance' }), env, timeoutMs: 60_000, changedFiles, confinement: { isolation, masked: [] } });
}

describeWith(installedFixture(), 'warm starts on the portfolio-dashboard fixture', () => {
  beforeAll(async () => {
    fixture = loadFixture(FIXTURES_DIR, 'portfolio-dashboard', 'check-caches.test.ts');
    env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}/usr/bin:/bin`, HOME: os.tmpdir(), CI: 'true' };
    baseline = await prepareCheckBaseline(fixture, { env, timeoutMs: 60_000, confinement: { isolation, masked: [] } });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(work.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('makes both caches from the pristine fixture', () => {
    expect(baseline?.typecheck?.buildInfo).toContain('"version"');
    expect(baseline?.lint?.cache).toContain(`${baseline?.pristineDir}/src/core/format.ts`);
  });

  it('passes the pristine fixture with the caches', { timeout: 60_000 }, async () => {
    const sandboxDir = await sandboxWith({});
    expect(typecheckWarmStart(baseline, fixture.commands.typecheck, sandboxDir, [])).toBeDefined();
    expect((await checkTypecheck(contextFor(sandboxDir, []))).status).toBe('passed');
    expect((await checkLint(contextFor(sandboxDir, []))).status).toBe('passed');
  });

  it('still fails a type error in a new file', { timeout: 60_000 }, async () => {
    const files = { 'src/user-components/total.ts': "export const total: number = 'not a number';\n" };
    const result = await checkTypecheck(contextFor(await sandboxWith(files), Object.keys(files)));
    if (result.status !== 'failed') throw new Error(JSON.stringify(result));
    expect(result.evidence.diagnostics).toContainEqual(expect.objectContaining({ file: 'src/user-components/total.ts', code: 'TS2322' }));
  });

  it('still fails a type error the agent caused in a file it did not change, which the baseline says is clean', { timeout: 60_000 }, async () => {
    const format = await readFile(path.join(FIXTURE_DIR, 'src/core/format.ts'), 'utf8');
    // formatCurrency now takes a string: the unchanged widgets passing a number break.
    const changed = format.replace(/export function formatCurrency\(([a-zA-Z]+): number/, 'export function formatCurrency($1: string');
    expect(changed).not.toBe(format);
    const files = { 'src/core/format.ts': changed };
    const result = await checkTypecheck(contextFor(await sandboxWith(files), Object.keys(files)));
    if (result.status !== 'failed') throw new Error(JSON.stringify(result));
    expect(result.evidence.diagnostics.map((diagnostic) => diagnostic.file)).toEqual(expect.arrayContaining(['src/core/widgets/PortfolioSummaryWidget.tsx', 'src/core/widgets/RecentTransactionsWidget.tsx']));
  });

  it('still fails a lint error in a changed file the baseline says is clean, and in a new file', { timeout: 60_000 }, async () => {
    const format = await readFile(path.join(FIXTURE_DIR, 'src/core/format.ts'), 'utf8');
    const files = { 'src/core/format.ts': `${format}\nconst unusedValue = 1;\n`, 'src/user-components/unused.ts': 'const alsoUnused = 1;\nexport const usedValue = 2;\n' };
    const result = await checkLint(contextFor(await sandboxWith(files), Object.keys(files)));
    if (result.status !== 'failed') throw new Error(JSON.stringify(result));
    expect(result.evidence.findings.map((finding) => `${finding.file} ${finding.ruleId ?? ''}`).sort()).toEqual(['src/core/format.ts @typescript-eslint/no-unused-vars', 'src/user-components/unused.ts @typescript-eslint/no-unused-vars']);
  });

  it('judges a cold run and a warm run of the same broken code alike', { timeout: 90_000 }, async () => {
    const files = { 'src/user-components/total.ts': "export const total: number = 'not a number';\nconst unusedValue = 1;\n" };
    const sandboxDir = await sandboxWith(files);
    const warm = [await checkTypecheck(contextFor(sandboxDir, Object.keys(files))), await checkLint(contextFor(sandboxDir, Object.keys(files)))];
    // A changed tsconfig or ESLint config makes both run cold: same verdicts, same evidence.
    const coldContext = contextFor(sandboxDir, [...Object.keys(files), 'tsconfig.json', 'eslint.config.js']);
    const cold = [await checkTypecheck(coldContext), await checkLint(coldContext)];
    const strip = (results: typeof warm) => results.map((result) => ({ ...result, durationMs: 0 }));
    expect(strip(warm)).toEqual(strip(cold));
    expect(warm.map((result) => result.status)).toEqual(['failed', 'failed']);
  });
});
