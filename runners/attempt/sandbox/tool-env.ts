import path from 'node:path';

/** The environment of git and the checks: the project's Node first, no host secrets. */
export function buildToolEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    PATH: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    LANG: process.env.LANG ?? 'C.UTF-8',
    CI: '1',
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
}
