// Sign-in with GitHub (or GitHub Enterprise): plain OAuth 2.0 with opaque tokens, so who the
// user is comes from the REST API: /user, /user/emails, and /user/orgs + /user/teams as groups
// (`org` and `org:team`, as oauth2-proxy's GitHub provider names them).

import * as client from 'openid-client';
import { httpFetch } from './http-fetch.ts';
import { GithubApi, TIMEOUT_MS } from './github-api.ts';
import type { Identity, TokenSet } from '../identity.ts';
import type { AuthChecks, AuthProvider, AuthResult } from './types.ts';
import { checkCallback, parseProviderUrl, ProviderError, registeredCallbackUrl, toProviderError } from './provider-error.ts';

export interface GithubSettings {
  id: string;
  label: string;
  clientId: string;
  clientSecret?: string;
  /** Only members of this organization (and, with `team`, of this team slug in it) may sign in. */
  org?: string;
  team?: string;
  baseUrl?: string;
  apiUrl?: string;
}

const SCOPES = 'read:user user:email read:org';

interface GithubUser { login: string; name?: string | null; email?: string | null }
interface GithubEmail { email: string; primary: boolean; verified: boolean }
interface GithubOrg { login: string }
interface GithubTeam { slug: string; organization: { login: string } }

export class GithubProvider implements AuthProvider {
  readonly id: string;
  readonly type = 'github' as const;
  readonly #settings: GithubSettings;
  readonly #config: client.Configuration;
  readonly #api: GithubApi;

  constructor(settings: GithubSettings) {
    this.id = settings.id;
    this.#settings = settings;
    const base = parseProviderUrl('GitHub base URL', settings.baseUrl ?? 'https://github.com');
    const api = parseProviderUrl('GitHub API URL', settings.apiUrl ?? 'https://api.github.com');
    const root = base.url.href.replace(/\/+$/, '');
    this.#api = new GithubApi(new URL(api.url.href.replace(/\/*$/, '/')), settings.label);
    this.#config = new client.Configuration(
      { issuer: root, authorization_endpoint: `${root}/login/oauth/authorize`, token_endpoint: `${root}/login/oauth/access_token` },
      settings.clientId,
      settings.clientSecret ? { client_secret: settings.clientSecret } : undefined,
      // GitHub documents the client credentials as form parameters.
      settings.clientSecret ? client.ClientSecretPost(settings.clientSecret) : client.None(),
    );
    this.#config.timeout = TIMEOUT_MS / 1000;
    this.#config[client.customFetch] = httpFetch;
    if (base.insecure) client.allowInsecureRequests(this.#config);
  }

  /** Nothing to discover: GitHub's endpoints are fixed. */
  async ensureReady(): Promise<void> {}

  async startAuth(opts: { redirectUri: string; loginHint?: string }): Promise<{ url: string; checks: AuthChecks }> {
    const checks: AuthChecks = { state: client.randomState(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(this.#config, {
      redirect_uri: opts.redirectUri,
      scope: SCOPES,
      state: checks.state,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      // GitHub's name for a login hint: the account to suggest.
      ...(opts.loginHint ? { login: opts.loginHint } : {}),
    });
    return { url: url.href, checks };
  }

  async finishAuth(opts: { callbackUrl: URL; redirectUri: string; checks: AuthChecks }): Promise<AuthResult> {
    const { label } = this.#settings;
    checkCallback(label, opts.callbackUrl, opts.checks);
    try {
      const response = await client.authorizationCodeGrant(this.#config, registeredCallbackUrl(opts.redirectUri, opts.callbackUrl), {
        pkceCodeVerifier: opts.checks.codeVerifier,
        expectedState: opts.checks.state,
        idTokenExpected: false,
      });
      return await this.#result(response);
    } catch (err) {
      throw toProviderError(label, err);
    }
  }

  canRefresh(tokens: TokenSet): boolean {
    // Only GitHub Apps with expiring user tokens hand out refresh tokens.
    return Boolean(tokens.refreshToken);
  }

  async refresh(tokens: TokenSet): Promise<AuthResult> {
    if (!tokens.refreshToken) throw new ProviderError('no_refresh_token', 'GitHub sessions cannot be refreshed; sign in again.');
    try {
      const response = await client.refreshTokenGrant(this.#config, tokens.refreshToken);
      return await this.#result(response, tokens.refreshToken);
    } catch (err) {
      throw toProviderError(this.#settings.label, err);
    }
  }

  async revoke(tokens: TokenSet): Promise<boolean> {
    const { clientId, clientSecret } = this.#settings;
    // Deleting a token needs the app's own credentials; a public client has none.
    if (!clientSecret) return false;
    try {
      return await this.#api.deleteToken(clientId, clientSecret, tokens.accessToken);
    } catch {
      return false;
    }
  }

  async verifyJwt(): Promise<boolean> {
    return false;
  }

  async #result(response: client.TokenEndpointResponse, previousRefreshToken?: string): Promise<AuthResult> {
    const accessToken = response.access_token;
    const [user, emails, orgs, teams] = await Promise.all([
      this.#api.get<GithubUser>('user', accessToken),
      this.#api.list<GithubEmail>('user/emails', accessToken),
      this.#api.list<GithubOrg>('user/orgs', accessToken),
      this.#api.list<GithubTeam>('user/teams', accessToken),
    ]);
    if (typeof user.login !== 'string' || user.login === '') throw new ProviderError('invalid_userinfo', `${this.#settings.label} sent no login for the user.`);
    const primary = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified);
    const identity: Identity = {
      user: user.login,
      email: primary?.email ?? '',
      groups: [...orgs.map((o) => o.login), ...teams.map((t) => `${t.organization.login}:${t.slug}`)],
      preferredUsername: user.login,
      ...(user.name ? { name: user.name } : {}),
    };
    this.#checkMembership(identity);
    return {
      identity,
      tokens: {
        accessToken,
        refreshToken: response.refresh_token ?? previousRefreshToken,
        expiresAt: typeof response.expires_in === 'number' ? Date.now() + response.expires_in * 1000 : undefined,
        tokenType: response.token_type,
        scope: response.scope,
      },
      userinfo: user as unknown as Record<string, unknown>,
    };
  }

  #checkMembership(identity: Identity): void {
    const { org, team } = this.#settings;
    if (!org) return;
    // GitHub logins and team slugs are case-insensitive.
    const groups = new Set(identity.groups.map((g) => g.toLowerCase()));
    if (!groups.has(org.toLowerCase())) {
      throw new ProviderError('not_in_org', `GitHub user "${identity.user}" is not a member of the organization "${org}" (or has not granted Portcullis access to it).`);
    }
    if (team && !groups.has(`${org}:${team}`.toLowerCase())) {
      throw new ProviderError('not_in_org', `GitHub user "${identity.user}" is not a member of the team "${org}/${team}".`);
    }
  }
}
