import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { bubblewrap, itWith } from '../../testing/support/real-dependencies.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';
import { confineCommand, detectIsolation, isInside } from './confinement.ts';

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
