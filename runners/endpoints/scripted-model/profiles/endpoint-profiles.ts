import type { Profile } from './profile-types.ts';

/** Every request fails with HTTP 500, as a crashed vLLM engine answers. */
export const http500Profile: Profile = () => ({ kind: 'server-error' });

/** Every request is accepted and never answered, until the client or the server gives up. */
export const hangProfile: Profile = () => ({ kind: 'hang' });
