// What the built-in identity provider is told by the engine: its personas, service clients,
// token lifetimes and clock, all changeable while it runs. Secrets arrive resolved.

import { DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_REFRESH_TOKEN_TTL } from '../config/builtin-idp-rules.ts';
import type { Persona, ServiceClientConfig } from '../config/types.ts';

/** A service client as the provider gets it: its secret resolved (the settings may say `{ env }` or `{ secretRef }`). */
export type ServiceClient = Omit<ServiceClientConfig, 'clientSecret'> & { clientSecret: string };

export interface IdpSettings {
  users: Persona[];
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
