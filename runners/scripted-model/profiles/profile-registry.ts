import { ADVERSARIAL_PROFILES } from './adversarial-profiles.ts';
import { hangProfile, http500Profile } from './endpoint-profiles.ts';
import { FAULT_PROFILES } from './fault-profiles.ts';
import { coreWriteProfile, envReadProfile, noopProfile, textToolCallProfile, typeErrorProfile } from './mistake-profiles.ts';
import type { Profile, ProfileName } from './profile-types.ts';
import { qwenLikeProfile } from './qwen-like-profile.ts';
import { askQuestionProfile, referenceProfile } from './replay-profiles.ts';

/** Every profile by name; a name added to PROFILE_NAMES fails to compile until it is handled here. */
export const PROFILES: Record<ProfileName, Profile> = {
  reference: referenceProfile,
  noop: noopProfile,
  'core-write': coreWriteProfile,
  'env-read': envReadProfile,
  'type-error': typeErrorProfile,
  'text-tool-call': textToolCallProfile,
  'http-500': http500Profile,
  hang: hangProfile,
  'ask-question': askQuestionProfile,
  'qwen-like': qwenLikeProfile,
  ...FAULT_PROFILES,
  ...ADVERSARIAL_PROFILES,
};
