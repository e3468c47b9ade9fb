import { isProfileName, PROFILE_FAMILIES, PROFILE_NAMES, type ProfileName } from './profiles/profile-registry.ts';

export type ServedModelsParse = { status: 'parsed'; servedModels: Record<string, ProfileName> } | { status: 'invalid'; message: string };

/**
 * Reads `--served-model-name` values: `NAME=PROFILE` serves NAME scripted by PROFILE (e.g.
 * `Qwen/Qwen2.5-Coder-14B-Instruct=qwen-like`); a bare profile name serves it under its own name.
 */
export function parseServedModels(values: readonly string[]): ServedModelsParse {
  const servedModels: Record<string, ProfileName> = {};
  for (const value of values) {
    const separator = value.lastIndexOf('=');
    const name = separator < 0 ? value : value.slice(0, separator);
    const profile = separator < 0 ? value : value.slice(separator + 1);
    if (name === '') return { status: 'invalid', message: `--served-model-name "${value}": the name is empty` };
    if (!isProfileName(profile)) {
      return { status: 'invalid', message: `--served-model-name "${value}": "${profile}" is not a profile; use NAME=PROFILE with one of ${[...PROFILE_NAMES, ...PROFILE_FAMILIES].join(', ')}` };
    }
    servedModels[name] = profile;
  }
  return { status: 'parsed', servedModels };
}
