import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { bubblewrap, itWith } from '../../testing/support/real-dependencies.ts';
import { expectNoWorkspaceProcesses, stopWorkspaceProcesses } from '../../testing/support/processes.ts';
import { sleep } from '../../testing/support/wait-for.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';
import { confineCommand, detectIsolation, isInside, lifelineGuard } from './confinement.ts';

/**
 * A stand-in harness: starts the confined command (argv as JSON) with bwrap's handshake on fds 3
 * and 4 and the lifeline on fd 5, says "held" once bwrap reported its child (the sandbox now
 * waits on the block fd, which nobody will release), and waits to be killed.
 */
const HELD_HARNESS = [
  "const argv = JSON.parse(process.argv[1]);",
  "const child = require('node:child_process').spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });",
  "let info = '';",
  "child.stdio[3].on('data', (chunk) => { info += chunk; if (info.includes('child-pid')) process.stdout.write('held\\n'); });",
  'setInterval(() => undefined, 1000);',
].join(' ');

describe('isolation', () => {
  it('leaves the command alone when isolation is off', () => {
    expect(confineCommand({ kind: 'none', reason: 'off' }, ['echo', 'hi'], { writable: [], masked: [] })).toEqual(['echo', 'hi']);
    expect(detectIsolation('none')).toMatchObject({ kind: 'none' });
  });

  it('knows what lies inside what', () => {
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b/c', '/a/b')).toBe(false);
  });

  itWith(bubblewrap(), 'lets a confined process write only where allowed and hides masked paths', async () => {
    const isolation = detectIsolation('auto');
    const root = useWorkspace('confine-').dir;
    const writable = path.join(root, 'writable');
    const outside = path.join(root, 'outside');
    const secret = path.join(root, 'secret');
    for (const dir of [writable, outside, secret]) mkdirSync(dir);
    writeFileSync(path.join(secret, 'key'), 'do-not-read');
    const script = [
      `echo ok > ${writable}/a`,
      `echo bad > ${outside}/b 2>/dev/null || echo refused-outside`,
      `cat ${secret}/key 2>/dev/null || echo hidden-secret`,
    ].join('; ');
    const [binary = '', ...args] = confineCommand(isolation, ['/bin/sh', '-c', script], { writable: [writable], masked: [secret] });
    const result = await execa(binary, args, { reject: false });
    expect(result.stdout).toContain('refused-outside');
    expect(result.stdout).toContain('hidden-secret');
    expect(result.stdout).not.toContain('do-not-read');
    expect(readFileSync(path.join(writable, 'a'), 'utf8')).toBe('ok\n');
  });

  it('runs the command under a watcher of its lifeline, which it does not inherit', () => {
    expect(() => lifelineGuard(2)).toThrow(/from 3 up/);
    expect(lifelineGuard(5)[2]).toMatch(/<&5; .*kill -KILL -1 .*; exec "\$@" 5<&-$/);
  });

  itWith(bubblewrap(), 'stops a confined command whose harness was killed before releasing it: nothing outlives the harness', async () => {
    const isolation = detectIsolation('auto');
    // The workspace's TMPDIR in their environment marks the stand-in's processes, bwrap's and the command's.
    const workspace = useWorkspace('confine-lifeline-');
    const argv = confineCommand(isolation, ['/bin/sleep', '300'], { writable: [], masked: [], preparedNetwork: { infoFd: 3, blockFd: 4 }, lifelineFd: 5 });
    const harness = spawn(process.execPath, ['-e', HELD_HARNESS, JSON.stringify(argv)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...workspace.env } });
    try {
      await new Promise<void>((resolve, reject) => {
        harness.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('held') && resolve());
        harness.once('exit', () => reject(new Error('the stand-in harness ended before bwrap held the sandbox')));
      });
      harness.kill('SIGKILL');
      // Released by the closing block fd, the command starts, and must end at once with the
      // lifeline closed; without the guard it would sleep on for five minutes.
      await sleep(1_000);
      await expectNoWorkspaceProcesses(workspace, 5_000);
    } finally {
      harness.kill('SIGKILL');
      stopWorkspaceProcesses(workspace);
    }
  });

  itWith(bubblewrap(), 'keeps stdin, output and exit status of a guarded command, hides its lifeline, and ends with it', async () => {
    const isolation = detectIsolation('auto');
    const argv = confineCommand(isolation, ['/bin/sh', '-c', 'read -r line; echo "got:$line"; test -e /proc/self/fd/3 && echo lifeline-visible; exit 7'], { writable: [], masked: [], lifelineFd: 3 });
    const started = performance.now();
    // The lifeline stays open (this process lives on): the sandbox ends because its command did.
    const result = await execa(argv[0] ?? '', argv.slice(1), { input: 'hello\n', reject: false, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], timeout: 10_000 });
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe('got:hello');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  itWith(bubblewrap(), 'gives the confined process no capability: masks stay, / stays read-only, host processes stay out of sight', async () => {
    const isolation = detectIsolation('auto');
    const root = mkdtempSync(path.join('/var/tmp', 'confine-caps-'));
    const secret = path.join(root, 'secret');
    mkdirSync(secret);
    writeFileSync(path.join(secret, 'key'), 'do-not-read');
    const probeFile = path.join(root, 'written-after-remount');
    // A host process holding a secret in its environment, as the harness holds API keys.
    const host = spawn('/bin/sleep', ['30'], { env: { CONFINE_PROBE_SECRET: 'hunter2-probe' }, stdio: 'ignore' });
    try {
      const script = [
        'grep CapEff /proc/self/status',
        `umount ${secret} 2>/dev/null; echo "after-umount:$(ls ${secret} | wc -l)"`,
        `mount -o remount,rw / 2>/dev/null; touch ${probeFile} 2>/dev/null || echo refused-remount`,
        `cat /proc/${host.pid}/environ 2>/dev/null | tr '\\0' '\\n'; echo "host-pid-visible:$(test -e /proc/${host.pid}/cmdline && cat /proc/${host.pid}/cmdline | tr '\\0' ' ')"`,
        'echo "processes:$(ls /proc | grep -c "^[0-9]")"',
      ].join('; ');
      const [binary = '', ...args] = confineCommand(isolation, ['/bin/sh', '-c', script], { writable: [], masked: [secret] });
      const result = await execa(binary, args, { reject: false });
      expect(result.stdout).toMatch(/CapEff:\s+0+$/m);
      expect(result.stdout).toContain('after-umount:0');
      expect(result.stdout).toContain('refused-remount');
      expect(existsSync(probeFile)).toBe(false);
      expect(result.stdout).not.toContain('hunter2-probe');
      expect(result.stdout).not.toContain('sleep 30');
      // Only the sandbox's own few processes are visible, never the host's.
      expect(Number(/processes:(\d+)/.exec(result.stdout)?.[1])).toBeLessThan(6);
    } finally {
      host.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  });
});
