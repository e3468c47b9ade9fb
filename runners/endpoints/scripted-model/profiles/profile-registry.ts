import { ADVERSARIAL_PROFILE_NAMES, ADVERSARIAL_PROFILES } from './adversarial-profiles.ts';
import { chanceProfile, isChanceProfileName, type ChanceProfileName } from './chance-profiles.ts';
import { CONTAINMENT_PROFILE_NAMES, CONTAINMENT_PROFILES } from './containment-profiles.ts';
import { hangProfile, http500Profile } from './endpoint-profiles.ts';
import { FAULT_PROFILE_NAMES, FAULT_PROFILES } from './fault-profiles.ts';
import { coreWriteProfile, envReadProfile, noopProfile, textToolCallProfile, typeErrorProfile } from './mistake-profiles.ts';
import type { Profile } from './profile-types.ts';
import { qwenLikeProfile } from './qwen-like-profile.ts';
import { answersProbeProfile, askQuestionProfile, referenceProfile } from './replay-profiles.ts';

export const PROFILE_NAMES = [
  'reference',
  'noop',
  'core-write',
  'env-read',
  'type-error',
  'text-tool-call',
  'http-500',
  'hang',
  'ask-question',
  'answers-probe',
  'qwen-like',
  // Endpoint faults (fault-profiles.ts) and adversarial agents (adversarial-profiles.ts, containment-profiles.ts).
  ...FAULT_PROFILE_NAMES,
  ...ADVERSARIAL_PROFILE_NAMES,
  ...CONTAINMENT_PROFILE_NAMES,
] as const;

/** A profile with a name of its own (served under that name by default). */
export type FixedProfileName = (typeof PROFILE_NAMES)[number];

/** A scripted behaviour, chosen by the request's `model` field: a fixed profile, or a family member such as `chance-80`. */
export type ProfileName = FixedProfileName | ChanceProfileName;

export function isFixedProfileName(name: string): name is FixedProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

export function isProfileName(name: string): name is ProfileName {
  return isFixedProfileName(name) || isChanceProfileName(name);
}

/** The profiles a family name stands for, in words (for help texts and errors). */
export const PROFILE_FAMILIES = ['chance-<percent>[-<label>]'] as const;

/** The profile behind a name. */
export function profileFor(name: ProfileName): Profile {
  return isFixedProfileName(name) ? PROFILES[name] : chanceProfile(name);
}

/** Every fixed profile by name; a name added to PROFILE_NAMES fails to compile until it is handled here. */
export const PROFILES: Record<FixedProfileName, Profile> = {
  reference: referenceProfile,
  noop: noopProfile,
  'core-write': coreWriteProfile,
  'env-read': envReadProfile,
  'type-error': typeErrorProfile,
  'text-tool-call': textToolCallProfile,
  'http-500': http500Profile,
  hang: hangProfile,
  'ask-question': askQuestionProfile,
  'answers-probe': answersProbeProfile,
  'qwen-like': qwenLikeProfile,
  ...FAULT_PROFILES,
  ...ADVERSARIAL_PROFILES,
  ...CONTAINMENT_PROFILES,
};
