import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';
import { describe, it } from 'vitest';
import { CHROMIUM_PATH } from '../../bench/support/chromium-path.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { detectIsolation } from '../../platform/confinement/confinement.ts';

/**
 * Suites that need something real: bubblewrap, the fixture's installed dependencies, Chromium.
 * When it is there the suite runs. When it is missing, on CI (`CI` set: `.ci/run` installs all
 * of them) the suite fails, saying what is missing and how to install it; elsewhere it is
 * skipped, and the skipped suite's name says why. Never a silent skip.
 */
export interface Requirement {
  /** What the suite needs, e.g. "bubblewrap". */
  name: string;
  /** Why it cannot be had here, and how to get it; undefined when it is there. */
  missing: string | undefined;
  /** CI installs it, so a CI run without it is broken (tmpfs mounts need root, which CI may not have). */
  requiredOnCi: boolean;
}

export function isCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** `describe` that runs when the requirement is met, fails on CI when it is not, and is skipped visibly otherwise. */
export function describeWith(requirement: Requirement, name: string, body: () => void): void {
  const { missing } = requirement;
  if (missing === undefined) {
    describe(name, body);
  } else if (requirement.requiredOnCi && isCi()) {
    describe(name, () => {
      it(`needs ${requirement.name}`, () => {
        throw new Error(`${requirement.name} is missing on CI, where this suite must run: ${missing}`);
      });
    });
  } else {
    announceSkip(name, requirement.name, missing);
    describe.skip(`${name} [skipped: ${requirement.name} — ${missing}]`, body);
  }
}

/** `it` with the same rule as `describeWith`. */
export function itWith(requirement: Requirement, name: string, test: () => Promise<void> | void, timeoutMs?: number): void {
  const { missing } = requirement;
  if (missing === undefined) {
    it(name, test, timeoutMs);
  } else if (requirement.requiredOnCi && isCi()) {
    it(name, () => {
      throw new Error(`${requirement.name} is missing on CI, where this test must run: ${missing}`);
    });
  } else {
    announceSkip(name, requirement.name, missing);
    it.skip(`${name} [skipped: ${requirement.name} — ${missing}]`, test);
  }
}

/** A skip shows in the run's output, not only in a verbose list of test names. */
function announceSkip(name: string, needs: string, missing: string): void {
  process.stderr.write(`skipped "${name}": it needs ${needs} — ${missing}\n`);
}

/** Bubblewrap that can create a sandbox here (the harness's `isolation: auto` decides the same way). */
export function bubblewrap(): Requirement {
  const isolation = detectIsolation('auto');
  return { name: 'bubblewrap', missing: isolation.kind === 'bubblewrap' ? undefined : `${isolation.reason}; run npm run setup`, requiredOnCi: true };
}

/** The portfolio-dashboard fixture with its dependencies installed (`npm run setup`). */
export function installedFixture(): Requirement {
  const dir = path.join(PROJECT_ROOT, 'fixtures', 'portfolio-dashboard');
  const installed = existsSync(path.join(dir, 'fixture.yaml')) && existsSync(path.join(dir, 'node_modules'));
  return { name: "the fixture's dependencies", missing: installed ? undefined : `${dir}/node_modules is missing; run npm run setup`, requiredOnCi: true };
}

/** Debian's Chromium, which the browser tests drive. */
export function chromium(): Requirement {
  return { name: 'Chromium', missing: existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} is missing; run npm run setup (apt-get install chromium)`, requiredOnCi: true };
}

/** Mounting a small tmpfs, to fill a disk on purpose: needs root (or CAP_SYS_ADMIN), which CI need not give. */
export function tmpfsMounts(): Requirement {
  const probe = mkdtempSync(path.join(tmpdir(), 'tmpfs-probe-'));
  try {
    const mounted = execaSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', probe], { reject: false }).exitCode === 0;
    if (mounted) execaSync('umount', [probe], { reject: false });
    return { name: 'tmpfs mounts', missing: mounted ? undefined : 'mounting a tmpfs needs root', requiredOnCi: false };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/**
 * A folder the harness cannot write to. Without root, taking the write permission away does it;
 * root ignores permissions, so there it is a read-only tmpfs mounted on the folder.
 */
export function readOnlyFolders(): Requirement {
  if (process.getuid?.() !== 0) return { name: 'a read-only folder', missing: undefined, requiredOnCi: false };
  const mounts = tmpfsMounts();
  return { name: 'a read-only folder', missing: mounts.missing === undefined ? undefined : `root ignores permissions, and ${mounts.missing}`, requiredOnCi: false };
}

/** Makes `dir` (an empty folder) read-only; returns how to undo it (before the folder is removed). */
export function makeReadOnly(dir: string): () => void {
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    return () => chmodSync(dir, 0o755);
  }
  execaSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir]);
  return () => {
    execaSync('umount', ['-l', dir], { reject: false });
  };
}
