import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { loadConfig } from '../../inputs/config/load-config.ts';
import type { gateSchema } from '../../inputs/config/config-schema.ts';
import type { GateSettings, PassRateBound } from './gate.ts';

/** The config's `gate`, validated. */
export type ConfiguredGate = z.output<typeof gateSchema>;

/** Command-line overrides of the configured gate. */
export interface GateFlags {
  minPassRate?: number | undefined;
  maxViolationRate?: number | undefined;
  allowRegressions?: boolean | undefined;
  passRateBound?: PassRateBound | undefined;
  minAnswerable?: number | undefined;
}

/** The config's gate with the flags applied on top; regressions fail unless allowed. */
export function resolveGateSettings(configured: ConfiguredGate | undefined, flags: GateFlags): GateSettings {
  return {
    minPassRate: flags.minPassRate ?? configured?.minPassRate,
    maxViolationRate: flags.maxViolationRate ?? configured?.maxViolationRate,
    failOnSignificantRegression: flags.allowRegressions === true ? false : (configured?.failOnSignificantRegression ?? true),
    passRateBound: flags.passRateBound ?? configured?.passRateBound ?? 'estimate',
    minAnswerable: flags.minAnswerable ?? configured?.minAnswerable ?? 1,
  };
}

export const DEFAULT_CONFIG_FILE = 'harness.config.ts';

/**
 * Reads the `gate` of a config file. An explicitly named file must exist (a UserError
 * otherwise); the default harness.config.ts is optional.
 */
export async function readConfiguredGate(configPath: string | undefined): Promise<ConfiguredGate | undefined> {
  if (configPath === undefined && !existsSync(path.resolve(DEFAULT_CONFIG_FILE))) return undefined;
  const config = await loadConfig(configPath ?? DEFAULT_CONFIG_FILE);
  return config.gate;
}
