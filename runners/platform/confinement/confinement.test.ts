import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
});
