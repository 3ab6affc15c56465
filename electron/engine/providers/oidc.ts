// Sign-in through an OpenID Connect issuer (Auth0, Keycloak, Entra ID… and the built-in
// identity provider): discovery, code flow with state + nonce + PKCE S256, refresh, revocation.

import * as client from 'openid-client';
import { compactVerify, createRemoteJWKSet, customFetch, decodeJwt } from 'jose';
import { httpFetch } from './http-fetch.ts';
import type { Identity, TokenSet } from '../identity.ts';
import { BearerTokenError, verifyBearerToken } from './bearer-verify.ts';
import { identityFromClaims, needsUserinfo, type ClaimNames, type Claims } from './oidc-claims.ts';
import type { AuthChecks, AuthProvider, AuthResult } from './types.ts';
import { LEEWAY_SECONDS, tokenClockProblem } from './token-clock.ts';
import { checkCallback, networkCause, parseProviderUrl, ProviderError, registeredCallbackUrl, toProviderError } from './provider-error.ts';

export interface OidcSettings {
  id: string;
  type: 'oidc' | 'builtin';
  /** How messages name this provider, e.g. "The identity provider auth0". */
  label: string;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes?: string[];
  groupsClaim?: string;
  rolesClaim?: string;
  authParams?: Record<string, string>;
}

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
const TIMEOUT_SECONDS = 10;

/** Issuers may differ from the configured URL only by a trailing slash (Auth0 publishes one). */
function sameIgnoringTrailingSlash(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** `seconds` from now in ms since epoch; undefined for anything but a positive number (Keycloak sends 0 for "never"). */
function secondsFromNow(seconds: unknown): number | undefined {
  return typeof seconds === 'number' && seconds > 0 ? Date.now() + seconds * 1000 : undefined;
}

function tokenSet(response: client.TokenEndpointResponse, previous?: TokenSet): TokenSet {
  return {
    idToken: response.id_token ?? previous?.idToken,
    accessToken: response.access_token,
    // Issuers that do not rotate refresh tokens send none back: the old one stays valid.
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    expiresAt: typeof response.expires_in === 'number' ? Date.now() + response.expires_in * 1000 : undefined,
    // Keycloak and the built-in provider say when the refresh token expires; most providers do not.
    refreshExpiresAt: response.refresh_token ? secondsFromNow(response.refresh_expires_in) : previous?.refreshExpiresAt,
    tokenType: response.token_type,
    scope: response.scope ?? previous?.scope,
  };
}

export class OidcProvider implements AuthProvider {
  readonly id: string;
  readonly type: 'oidc' | 'builtin';
  readonly #settings: OidcSettings;
  readonly #claimNames: ClaimNames;
  #config?: client.Configuration;
  #discovering?: Promise<client.Configuration>;
  #jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(settings: OidcSettings) {
    this.id = settings.id;
    this.type = settings.type;
    this.#settings = settings;
    this.#claimNames = { groupsClaim: settings.groupsClaim || 'groups', rolesClaim: settings.rolesClaim || 'roles' };
  }

  async ensureReady(): Promise<void> {
    await this.#configuration();
  }

  #configuration(): Promise<client.Configuration> {
    if (this.#config) return Promise.resolve(this.#config);
    this.#discovering ??= this.#discover().then(
      (config) => {
        this.#config = config;
        return config;
      },
      (err: unknown) => {
        this.#discovering = undefined;
        throw err;
      },
    );
    return this.#discovering;
  }

  async #discover(): Promise<client.Configuration> {
    const { issuer: configured, clientId, clientSecret } = this.#settings;
    const { url, insecure } = parseProviderUrl('issuer', configured);
    const options: client.DiscoveryRequestOptions = { timeout: TIMEOUT_SECONDS, execute: insecure ? [client.allowInsecureRequests] : [], [client.customFetch]: httpFetch };
    let discovered: client.Configuration;
    try {
      discovered = await client.discovery(url, clientId, undefined, client.None(), options);
    } catch (err) {
      const advertised = this.#advertisedIssuer(err);
      if (advertised === undefined || !sameIgnoringTrailingSlash(advertised, configured)) throw this.#discoveryError(err);
      discovered = await client.discovery(new URL(advertised), clientId, undefined, client.None(), options).catch((again: unknown) => {
        throw this.#discoveryError(again);
      });
    }
    const server = discovered.serverMetadata();
    if (!server.authorization_endpoint || !server.token_endpoint) {
      throw new ProviderError('not_an_issuer', `${configured} is not an OIDC issuer: its discovery document lacks an authorization or token endpoint.`);
    }
    // client_secret_basic is the OIDC default; use post only where basic is not offered.
    const methods = server.token_endpoint_auth_methods_supported;
    const auth = !clientSecret
      ? client.None()
      : !methods || methods.includes('client_secret_basic') || !methods.includes('client_secret_post')
        ? client.ClientSecretBasic(clientSecret)
        : client.ClientSecretPost(clientSecret);
    // exp and nbf get the same leeway as iat (token-clock.ts).
    const metadata: Partial<client.ClientMetadata> = { [client.clockTolerance]: LEEWAY_SECONDS, ...(clientSecret ? { client_secret: clientSecret } : {}) };
    const config = new client.Configuration(server, clientId, metadata, auth);
    config.timeout = TIMEOUT_SECONDS;
    config[client.customFetch] = httpFetch;
    if (insecure) client.allowInsecureRequests(config);
    return config;
  }

  #advertisedIssuer(err: unknown): string | undefined {
    if (!(err instanceof client.ClientError) || err.code !== 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') return undefined;
    const issuer = (err.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
    return typeof issuer === 'string' ? issuer : undefined;
  }

  #discoveryError(err: unknown): ProviderError {
    if (err instanceof ProviderError) return err;
    const issuer = this.#settings.issuer;
    const advertised = this.#advertisedIssuer(err);
    if (advertised !== undefined) {
      return new ProviderError('issuer_mismatch', `Issuer mismatch: the discovery document at ${issuer} names the issuer "${advertised}"; set the provider's issuer to exactly that.`);
    }
    const network = networkCause(err);
    if (network) return new ProviderError('unreachable', `The issuer ${issuer} is unreachable (${network}).`);
    const code = (err as client.ClientError).code;
    const why = code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' ? 'no discovery document at /.well-known/openid-configuration'
      : code === 'OAUTH_RESPONSE_IS_NOT_JSON' ? 'its /.well-known/openid-configuration is not JSON'
        : (err as Error).message;
    return new ProviderError('not_an_issuer', `${issuer} is not an OIDC issuer (${why}).`);
  }

  async startAuth(opts: { redirectUri: string; loginHint?: string }): Promise<{ url: string; checks: AuthChecks }> {
    const config = await this.#configuration();
    const checks: AuthChecks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(config, {
      // Extra parameters first, so they can never replace the ones that secure the flow.
      ...this.#settings.authParams,
      response_type: 'code',
      redirect_uri: opts.redirectUri,
      scope: (this.#settings.scopes ?? DEFAULT_SCOPES).join(' '),
      state: checks.state,
      nonce: checks.nonce!,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      ...(opts.loginHint ? { login_hint: opts.loginHint } : {}),
    });
    return { url: url.href, checks };
  }

  async finishAuth(opts: { callbackUrl: URL; redirectUri: string; checks: AuthChecks }): Promise<AuthResult> {
    const label = this.#settings.label;
    checkCallback(label, opts.callbackUrl, opts.checks);
    const config = await this.#configuration();
    try {
      const response = await client.authorizationCodeGrant(config, registeredCallbackUrl(opts.redirectUri, opts.callbackUrl), {
        pkceCodeVerifier: opts.checks.codeVerifier,
        expectedState: opts.checks.state,
        expectedNonce: opts.checks.nonce,
        idTokenExpected: (this.#settings.scopes ?? DEFAULT_SCOPES).includes('openid'),
      });
      return await this.#result(config, response);
    } catch (err) {
      throw toProviderError(label, err);
    }
  }

  canRefresh(tokens: TokenSet): boolean {
    return Boolean(tokens.refreshToken);
  }

  async refresh(tokens: TokenSet): Promise<AuthResult> {
    if (!tokens.refreshToken) throw new ProviderError('no_refresh_token', 'This session has no refresh token; sign in again.');
    const config = await this.#configuration();
    try {
      const response = await client.refreshTokenGrant(config, tokens.refreshToken);
      return await this.#result(config, response, tokens);
    } catch (err) {
      throw toProviderError(this.#settings.label, err);
    }
  }

  async #result(config: client.Configuration, response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers, previous?: TokenSet): Promise<AuthResult> {
    // A refresh may come without an ID token; the one issued at sign-in still says who this is.
    const fresh = response.claims() as Claims | undefined;
    const clockProblem = fresh && tokenClockProblem(fresh);
    if (clockProblem) throw new ProviderError('clock_skew', `${this.#settings.label}'s ${clockProblem}`);
    const idClaims: Claims = fresh ?? (previous?.idToken ? decodeJwt(previous.idToken) : {});
    let userinfo: Claims | undefined;
    const expectedSubject = typeof idClaims.sub === 'string' ? idClaims.sub : undefined;
    if (config.serverMetadata().userinfo_endpoint) {
      const fetchUserinfo = () => client.fetchUserInfo(config, response.access_token, expectedSubject ?? client.skipSubjectCheck);
      // Needed when the ID token lacks who the user is; otherwise only shown in the console, so
      // a provider whose userinfo fails does not fail the sign-in for it.
      if (expectedSubject === undefined || needsUserinfo(idClaims, this.#claimNames)) userinfo = await fetchUserinfo();
      else userinfo = await fetchUserinfo().catch(() => undefined);
    }
    const identity = identityFromClaims(idClaims, userinfo, this.#claimNames);
    return { identity, tokens: tokenSet(response, previous), ...(userinfo ? { userinfo } : {}) };
  }

  async revoke(tokens: TokenSet): Promise<boolean> {
    try {
      const config = await this.#configuration();
      if (!config.serverMetadata().revocation_endpoint) return false;
      // Revoking the refresh token ends the whole grant at most issuers; the access token too where it stands alone.
      if (tokens.refreshToken) await client.tokenRevocation(config, tokens.refreshToken, { token_type_hint: 'refresh_token' });
      const accessRevoked = await client.tokenRevocation(config, tokens.accessToken, { token_type_hint: 'access_token' }).then(() => true, (err: unknown) => {
        // RFC 7009 §2.2.1: an issuer may refuse to revoke access tokens; JWT ones (the built-in
        // provider's, Auth0's) are self-contained and simply expire.
        if (err instanceof client.ResponseBodyError && err.error === 'unsupported_token_type') return false;
        throw err;
      });
      return tokens.refreshToken !== undefined || accessRevoked;
    } catch {
      return false;
    }
  }

  async endSessionUrl(opts: { idToken: string; postLogoutRedirectUri: string; state: string }): Promise<string | undefined> {
    const config = await this.#configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    // client_id goes along: a provider may need it to accept the post-logout URI.
    return client.buildEndSessionUrl(config, { id_token_hint: opts.idToken, post_logout_redirect_uri: opts.postLogoutRedirectUri, state: opts.state, client_id: config.clientMetadata().client_id }).href;
  }

  async verifyJwt(token: string): Promise<boolean> {
    try {
      await compactVerify(token, await this.#keys());
      return true;
    } catch {
      return false;
    }
  }

  async verifyBearer(token: string, extraAudiences: readonly string[]): Promise<Identity> {
    const config = await this.#configuration();
    const keys = await this.#keys().catch(() => {
      throw new BearerTokenError(`${this.#settings.label} publishes no signing keys`);
    });
    return verifyBearerToken(token, { issuer: config.serverMetadata().issuer, keys, audiences: [this.#settings.clientId, ...extraAudiences], names: this.#claimNames });
  }

  /** The provider's JWKS: jose caches it and fetches it again when a token names an unknown `kid`. */
  async #keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.#jwks) return this.#jwks;
    const jwksUri = (await this.#configuration()).serverMetadata().jwks_uri;
    if (!jwksUri) throw new Error('no jwks_uri');
    this.#jwks = createRemoteJWKSet(new URL(jwksUri), { [customFetch]: httpFetch });
    return this.#jwks;
  }
}
