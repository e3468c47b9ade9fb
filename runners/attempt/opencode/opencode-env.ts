import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Variables passed through from the host. Nothing else is: no tokens, keys or host config. */
export const PASSED_THROUGH_VARIABLES = ['LANG', 'LC_ALL', 'TZ', 'TMPDIR'] as const;

/**
 * The environment of an OpenCode server (and so of its tools): an isolated HOME and XDG dirs
 * under the worker root, the offline switches, and a PATH holding only system tools and the
 * project's Node. Host secrets never reach the agent. Auto-compaction stays on, as OpenCode ships it.
 */
export function buildIsolatedEnv(workerRoot: string, nodeBinDir: string): Record<string, string> {
  const home = path.join(workerRoot, 'home');
  const xdg = (name: string) => path.join(workerRoot, 'xdg', name);
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_CACHE_HOME: xdg('cache'),
    XDG_STATE_HOME: xdg('state'),
    PATH: [nodeBinDir, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_CLAUDE_CODE: '1',
    OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
    OPENCODE_DISABLE_PROJECT_CONFIG: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_PURE: '1',
    OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER: '1',
    npm_config_offline: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
    NO_COLOR: '1',
  };
  for (const name of PASSED_THROUGH_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Creates the worker's dirs and pre-seeds OpenCode's config dir so it never runs `npm install`. */
export function prepareWorkerRoot(env: Record<string, string>): void {
  for (const name of ['HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'] as const) {
    const dir = env[name];
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
  }
  const configDir = path.join(env.XDG_CONFIG_HOME ?? '', 'opencode');
  mkdirSync(path.join(configDir, 'node_modules'), { recursive: true });
  writeFileSync(path.join(configDir, 'package.json'), JSON.stringify({ dependencies: { '@opencode-ai/plugin': '*' } }));
  writeFileSync(
    path.join(configDir, 'package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { '@opencode-ai/plugin': '*' } } } }),
  );
}

/**
 * Where OpenCode reads its global instructions (`AGENTS.md` in its config folder, read again at
 * every model request): the variant's rendered AGENTS.md for the attempt about to run, or none.
 * A worker runs one attempt at a time, so each attempt sees its own.
 */
export function instructionsFileOf(env: Record<string, string>): string {
  return path.join(env.XDG_CONFIG_HOME ?? '', 'opencode', 'AGENTS.md');
}

export function writeWorkerInstructions(env: Record<string, string>, instructions: string | undefined): void {
  const file = instructionsFileOf(env);
  if (instructions === undefined) rmSync(file, { force: true });
  else writeFileSync(file, instructions);
}
