import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { UserError, formatIssues } from '../../core/errors.ts';
import { configSchema, type ResolvedConfigData } from './config-schema.ts';
import { explainConfigIssue, type SchemaIssue } from './explain-issues.ts';

export interface ResolvedConfig extends Omit<ResolvedConfigData, 'targets'> {
  /** Absolute path of the config file. */
  file: string;
  /** Folder paths made absolute against the config file's folder. */
  rootDir: string;
  targets: ResolvedTarget[];
}

/** Imports a config module (TypeScript via Node's type stripping) and validates it. */
export async function loadConfig(configPath: string): Promise<ResolvedConfig> {
  const file = path.resolve(configPath);
  if (!existsSync(file)) {
    throw new UserError('CONFIG_NOT_FOUND', `${file}: config file not found. Pass --config <file> or create harness.config.ts.`, { file });
  }
  let loaded: unknown;
  try {
    const module: unknown = await import(pathToFileURL(file).href);
    loaded = typeof module === 'object' && module !== null && 'default' in module ? module.default : undefined;
  } catch (error) {
    throw new UserError('CONFIG_INVALID', `${file}: could not be loaded: ${describe(error)}`, { file, cause: error });
  }
  if (loaded === undefined) {
    throw new UserError('CONFIG_INVALID', `${file}: must \`export default defineConfig({...})\``, { file });
  }
  return resolveConfig(loaded, file);
}

/** Validates a config value (already imported) and resolves paths. */
export function resolveConfig(value: unknown, file: string): ResolvedConfig {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => explainConfigIssue(configSchema, issue as SchemaIssue));
    throw new UserError('CONFIG_INVALID', formatIssues(path.basename(file), issues), { file });
  }
  const rootDir = path.dirname(file);
  const data = parsed.data;
  return {
    ...data,
    file,
    rootDir,
    outputDir: path.resolve(rootDir, data.outputDir),
    scenariosDir: path.resolve(rootDir, data.scenariosDir),
    fixturesDir: path.resolve(rootDir, data.fixturesDir),
    promptsDir: path.resolve(rootDir, data.promptsDir),
    targets: data.targets.map(resolveTarget),
  };
}

/** A target as the run reads it: an endpoint's replicas as `baseURLs`, the first also as `baseURL`. */
function resolveTarget(target: ResolvedConfigData['targets'][number]): ResolvedTarget {
  if (target.kind !== 'openai-compatible') return { ...target };
  const { baseURL } = target;
  if (typeof baseURL === 'string') return { ...target, baseURL };
  return { ...target, baseURL: baseURL[0] ?? '', baseURLs: [...baseURL] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error);
}
