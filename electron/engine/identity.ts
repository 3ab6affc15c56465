// Who a session belongs to and the tokens it holds: the engine-internal types that the
// providers produce, the session store keeps and the header policy turns into headers.

export interface Identity {
  /** Stable user id: the `sub` claim (OIDC) or the login (GitHub). Sent as X-Forwarded-User. */
  user: string;
  email: string;
  groups: string[];
  preferredUsername?: string;
  name?: string;
}

export interface TokenSet {
  idToken?: string;
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires, ms since epoch. */
  expiresAt?: number;
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
