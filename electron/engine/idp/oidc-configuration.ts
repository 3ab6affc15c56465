// oidc-provider's configuration for the built-in identity provider: one first-party client
// (Portcullis), service clients for the client-credentials grant, RFC 9068 JWT access tokens,
// token lifetimes and the refresh fault. Read live from the running provider's state, so a
// change of personas, clients or lifetimes applies to the next request.

import { BUILTIN_CLIENT_ID } from '../config/builtin-idp-rules.ts';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { accessTokenExtraClaims, personaClaims, SCOPE_CLAIMS, serviceClientClaims } from './claims.ts';
import type { IdpFaults } from './faults.ts';
import { InjectedFault } from './injected-fault.ts';
import type { IdpKeyMaterial } from './keys.ts';
import { interactionPolicy, Provider } from './oidc-provider-quiet.ts';
import { renderErrorPage, renderLoggedOutPage, renderLogoutPage } from './pages.ts';
import type { Persona } from '../config/types.ts';
import type { IdpSettings, ServiceClient } from './settings.ts';
import type { IdpStore } from './store.ts';
import { USERINFO_PATH } from './userinfo.ts';

/** The resource a token is for when the client names none: Portcullis itself (its `aud` is the client id). */
export const DEFAULT_RESOURCE = 'urn:portcullis:client';

const OIDC_SCOPES = ['openid', 'offline_access', 'email', 'profile', 'groups'];
/** What an access token can be granted, for any resource. */
const ACCESS_TOKEN_SCOPES = 'openid email profile groups';
const MIN_GRANT_TTL = 30 * 24 * 60 * 60;
/**
 * Set by offline-access.ts when the client asked for offline_access: oidc-provider drops that
 * scope from a request without prompt=consent before the grant sees it.
 */
export const OFFLINE_PARAM = 'portcullis_offline';

const grantsOffline = (grant: { getOIDCScope(): string } | undefined): boolean => grant?.getOIDCScope().split(' ').includes('offline_access') ?? false;

export interface ProviderState {
  issuer: string;
  keys: IdpKeyMaterial;
  store: IdpStore;
  settings(): IdpSettings;
  faults(): IdpFaults;
  findPersona(username: string): Persona | undefined;
  /** Persona claim names beyond the standard ones; oidc-provider releases only claims it was configured with. */
  customClaimNames: readonly string[];
}

function audienceOf(resource: string): string {
  return resource === DEFAULT_RESOURCE ? BUILTIN_CLIENT_ID : resource;
}

/**
 * A service client as oidc-provider registers it. oidc-provider binds one authentication method
 * to a client; Keycloak and Auth0 take the secret either way, so the registration it is shown
 * names the method the request in hand uses (it caches one client per variant).
 */
function serviceClientMetadata(client: ServiceClient): Record<string, unknown> {
  const body = Provider.ctx?.oidc?.body;
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.clientId,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: typeof body?.client_secret === 'string' ? 'client_secret_post' : 'client_secret_basic',
  };
}

export function oidcConfiguration(state: ProviderState): Configuration {
  const { keys, store } = state;
  const accessTokenTtl = (accountId: unknown): number => {
    const persona = typeof accountId === 'string' ? state.findPersona(accountId) : undefined;
    return persona?.accessTokenTtl ?? state.settings().accessTokenTtl;
  };

  const policy = interactionPolicy.base();
  // A persona picker is the point of this provider: every sign-in shows it (or honours
  // login_hint) instead of silently reusing whoever signed in last in this browser.
  policy.get('login')?.checks.add(new interactionPolicy.Check(
    'choose_persona',
    'a persona must be chosen for every sign-in',
    (ctx) => (ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT),
  ));

  const storeAdapter = store.adapterFactory();
  const clientAdapter = {
    async find(id: string) {
      const client = state.settings().clients.find((c) => c.clientId === id);
      return client && serviceClientMetadata(client);
    },
  };

  return {
    adapter: (model: string) => (model === 'Client' ? clientAdapter : storeAdapter(model)),
    clients: [{
      client_id: BUILTIN_CLIENT_ID,
      client_secret: keys.clientSecret,
      client_name: 'Portcullis',
      // Registered for form; redirectUriAllowed accepts any loopback port (see builtin-idp.ts).
      redirect_uris: ['http://127.0.0.1/oauth2/callback', 'http://localhost/oauth2/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: keys.signingKeys as Record<string, unknown>[] },
    // In Portcullis's `_portcullis` cookie namespace: the browser sends them to every port of
    // 127.0.0.1, and listeners keep that namespace from targets both ways (docs/security.md).
    cookies: {
      keys: keys.cookieKeys,
      names: { session: '_portcullis_idp_session', interaction: '_portcullis_idp_interaction', resume: '_portcullis_idp_resume' },
    },
    scopes: OIDC_SCOPES,
    claims: { ...SCOPE_CLAIMS, openid: [...SCOPE_CLAIMS.openid, ...state.customClaimNames] } as Record<string, string[]>,
    // Apps behind Portcullis read groups from the ID token, as behind oauth2-proxy.
    conformIdTokenClaims: false,
    findAccount: (ctx, sub) => {
      // Checked here, before oidc-provider consumes or rotates the refresh token.
      const refreshFault = state.faults().refresh;
      if (refreshFault && ctx.oidc.route === 'token' && ctx.oidc.params?.grant_type === 'refresh_token') throw new InjectedFault(refreshFault);
      const persona = state.findPersona(sub);
      return persona && { accountId: persona.username, claims: () => personaClaims(persona) };
    },
    // First-party client: consent is implied, so every requested scope is granted.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      if (!oidc.client || !accountId) return undefined;
      const existingId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client.clientId);
      const existing = existingId ? await oidc.provider.Grant.find(existingId) : undefined;
      const offline = Boolean(oidc.params?.[OFFLINE_PARAM]);
      const grant = existing?.accountId === accountId && grantsOffline(existing) === offline
        ? existing
        : new oidc.provider.Grant({ accountId, clientId: oidc.client.clientId });
      const scope = [...oidc.requestParamScopes, ...(offline ? ['offline_access'] : [])].join(' ');
      grant.addOIDCScope(scope);
      for (const resource of Object.keys(oidc.resourceServers ?? {})) grant.addResourceScope(resource, scope);
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    // A refresh token only for a client that asked for offline_access, as Auth0, Okta and Entra
    // do: a provider configured without it shows what a session without refresh does.
    issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token') && grantsOffline(ctx.oidc.entities.Grant),
    extraParams: [OFFLINE_PARAM],
    expiresWithSession: () => false,
    pkce: { required: () => true },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy,
    },
    // oidc-provider's userinfo endpoint cannot answer JWT access tokens; ours does (userinfo.ts).
    discovery: { userinfo_endpoint: `${state.issuer}${USERINFO_PATH}` },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind === 'ClientCredentials') return serviceClientClaims(state.settings().clients.find((c) => c.clientId === token.clientId)?.claims);
      const persona = typeof token.accountId === 'string' ? state.findPersona(token.accountId) : undefined;
      return persona && accessTokenExtraClaims(persona);
    },
    formats: {
      customizers: {
        // RFC 9068 leaves nbf optional; Entra sets it, and a skewed clock shows in it.
        jwt: (_ctx, _token, jwt) => {
          jwt.payload.nbf = jwt.payload.iat;
        },
      },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true, allowedPolicy: () => true },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEFAULT_RESOURCE,
        useGrantedResource: () => true,
        // Any absolute URI is a resource here: the token is simply for it (its `aud`), as for an Auth0 API.
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: ACCESS_TOKEN_SCOPES,
          audience: audienceOf(resource),
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = renderLogoutPage(form);
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = renderLoggedOutPage();
        },
      },
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: { accountId?: string }) => accessTokenTtl(token.accountId),
      ClientCredentials: () => state.settings().accessTokenTtl,
      IdToken: (_ctx: unknown, token: { available: { sub?: unknown } }) => accessTokenTtl(token.available.sub),
      RefreshToken: () => state.settings().refreshTokenTtl,
      // A grant outlives the refresh tokens issued under it (rotation issues new ones).
      Grant: () => Math.max(MIN_GRANT_TTL, state.settings().refreshTokenTtl),
      AuthorizationCode: 60,
      Interaction: 60 * 60,
      Session: 14 * 24 * 60 * 60,
    },
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out.error, out.error_description);
    },
  };
}
