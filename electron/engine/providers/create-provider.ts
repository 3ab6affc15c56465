// Picks the AuthProvider implementation for a configured provider: OIDC (the built-in one
// included) or GitHub.
import type { ProviderConfig } from '../config/types.ts';
import { GithubProvider } from './github.ts';
import { OidcProvider } from './oidc.ts';
import { ProviderError } from './provider-error.ts';
import type { AuthProvider, ProviderDeps } from './types.ts';

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
        scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
        groupsClaim: config.groupsClaim,
        rolesClaim: config.rolesClaim,
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
        rolesClaim: config.rolesClaim,
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
