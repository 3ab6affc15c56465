// The one interface the engine signs users in through, whatever the provider: OIDC issuers
// (the built-in one included) and GitHub's plain OAuth 2.0. Only types live here, so the
// implementations and the factory (create-provider.ts) import it without a cycle.

import type { Identity, TokenSet } from '../identity.ts';

/** What a sign-in must present again at the callback; kept server-side between start and finish. */
export interface AuthChecks {
  state: string;
  nonce?: string;
  codeVerifier: string;
}

export interface AuthResult {
  identity: Identity;
  tokens: TokenSet;
  userinfo?: Record<string, unknown>;
}

export interface AuthProvider {
  readonly id: string;
  readonly type: 'builtin' | 'oidc' | 'github';
  /** Discovery (OIDC). Rejects with a clear message (unreachable, not an OIDC issuer, issuer mismatch). Retries are the caller's job. */
  ensureReady(): Promise<void>;
  startAuth(opts: { redirectUri: string; loginHint?: string }): Promise<{ url: string; checks: AuthChecks }>;
  /**
   * callbackUrl: the full URL the browser hit. Throws ProviderError (code e.g. 'access_denied',
   * 'state_mismatch', 'invalid_grant') on a provider `error`, a state mismatch, a failed exchange.
   */
  finishAuth(opts: { callbackUrl: URL; redirectUri: string; checks: AuthChecks }): Promise<AuthResult>;
  canRefresh(tokens: TokenSet): boolean;
  refresh(tokens: TokenSet): Promise<AuthResult>;
  /** Revokes refresh/access token where the provider supports it; never throws (returns false). */
  revoke(tokens: TokenSet): Promise<boolean>;
  /** True when the JWT's signature verifies against the provider's keys (for the UI). */
  verifyJwt(token: string): Promise<boolean>;
}

export interface ProviderDeps {
  /** The resolved client secret of an oidc or github provider. */
  clientSecret?: string;
  /** The running built-in identity provider, for a `builtin` provider. */
  builtin?: { issuer: string; clientId: string; clientSecret: string };
}

/** What a listener holds of its provider: the registry answers for it as the provider comes and goes. */
export interface ProviderHandle {
  /** What the sign-in page calls it ("Built-in", "auth0"). */
  readonly label: string;
  /** The provider when its discovery has succeeded, else undefined. */
  ready(): AuthProvider | undefined;
  /** Why the provider is not ready ("issuer http://… is unreachable: connection refused"). */
  problem(): string | undefined;
  /** For /ready: like problem(), and also whether the provider answers right now (probed, cached briefly). */
  readiness(): Promise<string | undefined>;
}
