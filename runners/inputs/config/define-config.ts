import type { HarnessConfigInput } from './config-schema.ts';

export type { HarnessConfigInput, TargetInput } from './config-schema.ts';

/** Identity function that only gives types; the config is validated when loaded. */
export function defineConfig(config: HarnessConfigInput): HarnessConfigInput {
  return config;
}
