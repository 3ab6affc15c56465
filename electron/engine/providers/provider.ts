// The one interface the engine signs users in through, whatever the provider: OIDC issuers
// (the built-in one included) and GitHub's plain OAuth 2.0. createProvider picks the implementation.

import type { ProviderConfig } from '../config/types.ts';
import type { Identity, TokenSet } from '../identity.ts';
import { GithubProvider } from './github.ts';
import { OidcProvider } from './oidc.ts';
import { ProviderError } from './provider-error.ts';

export { ProviderError };

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
  status(): { ready: boolean; error?: string };
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

export function createProvider(config: ProviderConfig, deps: ProviderDeps): AuthProvider {
  switch (config.type) {
    case 'builtin': {
      if (!deps.builtin) throw new ProviderError('unavailable', 'The built-in identity provider is not running.');
      return new OidcProvider({
        id: config.id,
        type: 'builtin',
        label: config.name ?? 'The built-in identity provider',
        issuer: deps.builtin.issuer,
        clientId: deps.builtin.clientId,
        clientSecret: deps.builtin.clientSecret,
        scopes: ['openid', 'email', 'profile', 'groups'],
      });
    }
    case 'oidc':
      return new OidcProvider({
        id: config.id,
        type: 'oidc',
        label: config.name ?? `The identity provider ${config.id}`,
        issuer: config.issuer,
        clientId: config.clientId,
        clientSecret: deps.clientSecret,
        scopes: config.scopes,
        groupsClaim: config.groupsClaim,
        authParams: config.authParams,
      });
    case 'github':
      return new GithubProvider({
        id: config.id,
        label: config.name ?? 'GitHub',
        clientId: config.clientId,
        clientSecret: deps.clientSecret,
        org: config.org,
        team: config.team,
        baseUrl: config.baseUrl,
        apiUrl: config.apiUrl,
      });
  }
}
