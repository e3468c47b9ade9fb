import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.ts';
import { resolveConfig } from './load-config.ts';

const endpoint = (baseURL: unknown, extra: Record<string, unknown> = {}) => ({ targets: [{ kind: 'scripted', id: 'first', model: 'reference' }, { kind: 'openai-compatible', id: 'qwen', model: 'm', baseURL, ...extra }] });

function problem(value: unknown): string {
  try {
    resolveConfig(value, '/tmp/harness.config.ts');
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('a target’s baseURL as a list of replicas', () => {
  it('accepts a list, keeping the first as baseURL and every one as baseURLs', () => {
    const config = resolveConfig(endpoint(['http://gpu1:8000/v1', 'http://gpu2:8000/v1']), '/tmp/harness.config.ts');
    expect(config.targets[1]).toMatchObject({ baseURL: 'http://gpu1:8000/v1', baseURLs: ['http://gpu1:8000/v1', 'http://gpu2:8000/v1'] });
  });

  it('still accepts one URL as a string, without baseURLs', () => {
    const config = resolveConfig(endpoint('http://gpu1:8000/v1'), '/tmp/harness.config.ts');
    expect(config.targets[1]).toMatchObject({ baseURL: 'http://gpu1:8000/v1' });
    expect(config.targets[1]).not.toHaveProperty('baseURLs');
  });

  it('rejects a replica listed twice (trailing slash aside), naming its field and the fix', () => {
    const message = problem(endpoint(['http://gpu1:8000/v1', 'http://gpu2:8000/v1', 'http://gpu1:8000/v1/']));
    expect(message).toContain('targets[1].baseURL[2]');
    expect(message).toContain("list each replica's base URL once");
  });

  it('rejects an empty list, naming the field', () => {
    const message = problem(endpoint([]));
    expect(message).toContain('targets[1].baseURL');
    expect(message).toContain('must list at least one base URL');
  });

  it('rejects a replica that is not an http(s) URL, naming its index', () => {
    expect(problem(endpoint(['http://gpu1:8000/v1', 'gpu2:8000']))).toContain('targets[1].baseURL[1]');
    expect(problem(endpoint(['http://gpu1:8000/v1', 'ftp://gpu2/v1']))).toContain('targets[1].baseURL[1] must start with http:// or https://');
  });

  it('rejects serve beside several replicas', () => {
    expect(problem(endpoint(['http://gpu1:8000/v1', 'http://gpu2:8000/v1'], { serve: { command: ['./up.sh'] } }))).toContain('targets[1].serve cannot bring up several replicas');
  });
});
