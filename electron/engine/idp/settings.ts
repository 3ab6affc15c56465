// What the built-in identity provider is told by the engine: its personas, service clients,
// token lifetimes and clock, all changeable while it runs. Secrets arrive resolved.

import { DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_REFRESH_TOKEN_TTL } from '../config/builtin-idp-rules.ts';
import type { Persona } from '../config/types.ts';

export interface IdpPersona extends Persona {
  /** Merged into the ID token, the userinfo answer and the access token. */
  claims?: Record<string, unknown>;
  /** Overrides IdpSettings.accessTokenTtl for this persona (seconds). */
  accessTokenTtl?: number;
}

/** A client that gets tokens for itself with the client-credentials grant (a script, a job). */
export interface ServiceClient {
  clientId: string;
  /** Resolved: the engine reads `{ env }` and `{ secretRef }` before handing it over. */
  clientSecret: string;
  /** Put in its access tokens. */
  claims?: Record<string, unknown>;
}

export interface IdpSettings {
  users: IdpPersona[];
  clients: ServiceClient[];
  /** Seconds; also the ID token's lifetime. */
  accessTokenTtl: number;
  refreshTokenTtl: number;
  /** Shifts the provider's clock: its iat/exp/nbf are off by this many seconds. */
  clockSkewSeconds: number;
}

export const DEFAULT_IDP_SETTINGS: Readonly<Omit<IdpSettings, 'users'>> = {
  clients: [],
  accessTokenTtl: DEFAULT_ACCESS_TOKEN_TTL,
  refreshTokenTtl: DEFAULT_REFRESH_TOKEN_TTL,
  clockSkewSeconds: 0,
};
