// Who a session belongs to and the tokens it holds: the engine-internal types that the
// providers produce, the session store keeps and the header policy turns into headers.

export interface Identity {
  /** Stable user id: the `sub` claim (OIDC) or the login (GitHub). Sent as X-Forwarded-User. */
  user: string;
  email: string;
  groups: string[];
  /** Read through the provider's rolesClaim; empty for GitHub. */
  roles: string[];
  /** The ID token's claims over userinfo's (or a bearer token's): what claimHeaders read. */
  claims: Record<string, unknown>;
  preferredUsername?: string;
  name?: string;
}

export interface TokenSet {
  idToken?: string;
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires, ms since epoch. */
  expiresAt?: number;
  /** When the refresh token expires, ms since epoch, where the provider says (refresh_expires_in). */
  refreshExpiresAt?: number;
  tokenType?: string;
  scope?: string;
}

export interface Session {
  id: string;
  upstreamId: string;
  providerId: string;
  identity: Identity;
  tokens: TokenSet;
  userinfo?: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/**
 * An identity simulation on one upstream (docs/control-api.md): each part given replaces the
 * real groups or roles, or (claims) is merged over the real claims.
 */
export interface IdentitySimulation {
  groups?: string[];
  roles?: string[];
  claims?: Record<string, unknown>;
}
