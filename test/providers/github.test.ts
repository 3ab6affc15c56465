// The GitHub provider against a local GitHub stand-in (real HTTP, real openid-client).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GithubProviderConfig } from '../../electron/engine/config/types.ts';
import { createProvider, ProviderError, type AuthProvider } from '../../electron/engine/providers/provider.ts';
import { startGithubStandin, type GithubStandin } from '../support/github-standin.ts';

const REDIRECT_URI = 'http://127.0.0.1:4180/oauth2/callback';

let gh: GithubStandin;

function provider(extra: Partial<GithubProviderConfig> = {}, clientSecret = 'gh-secret'): AuthProvider {
  return createProvider({ id: 'gh', type: 'github', clientId: 'gh-client', baseUrl: gh.baseUrl, apiUrl: gh.apiUrl, ...extra }, { clientSecret });
}

/** Signs in through the stand-in's authorize endpoint, which redirects straight back. */
async function signIn(p: AuthProvider, login?: string) {
  const { url, checks } = await p.startAuth({ redirectUri: REDIRECT_URI, loginHint: login });
  const res = await fetch(url, { redirect: 'manual' });
  const callbackUrl = new URL(res.headers.get('location')!);
  return { callbackUrl, checks, run: () => p.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks }) };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

beforeAll(async () => {
  gh = await startGithubStandin({
    users: [
      { login: 'octocat', name: 'The Octocat', emails: ['octo@example.test', 'cat@example.test'], orgs: ['acme', 'other'], teams: ['acme:platform', 'other:web'] },
      { login: 'outsider', emails: ['unverified@example.test', 'out@example.test'], unverified: ['unverified@example.test'], orgs: ['elsewhere'] },
      { login: 'acme-dev', emails: ['dev@example.test'], orgs: ['ACME'], teams: ['ACME:frontend'] },
    ],
  });
});

afterAll(async () => {
  await gh?.close();
});

describe('github provider', () => {
  it('sends state, PKCE S256, scopes and the login hint to authorize', async () => {
    const { url, checks } = await provider().startAuth({ redirectUri: REDIRECT_URI, loginHint: 'octocat' });
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe(`${gh.baseUrl}/login/oauth/authorize`);
    expect(u.searchParams.get('state')).toBe(checks.state);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('scope')).toBe('read:user user:email read:org');
    expect(u.searchParams.get('login')).toBe('octocat');
    expect(u.searchParams.get('client_secret')).toBeNull();
    expect(checks.nonce).toBeUndefined();
  });

  it('builds the identity from /user, /user/emails, /user/orgs and /user/teams', async () => {
    const p = provider();
    const result = await (await signIn(p, 'octocat')).run();
    expect(result.identity).toEqual({
      user: 'octocat',
      email: 'octo@example.test',
      groups: ['acme', 'other', 'acme:platform', 'other:web'],
      preferredUsername: 'octocat',
      name: 'The Octocat',
    });
    expect(result.tokens.accessToken).toMatch(/^gho_/);
    expect(result.userinfo?.login).toBe('octocat');
    expect(p.canRefresh(result.tokens)).toBe(false);
    expect(await p.revoke(result.tokens)).toBe(false);
    expect(await p.verifyJwt(result.tokens.accessToken)).toBe(false);
    expect(p.status()).toEqual({ ready: true });
  });

  it('uses the primary verified email, else any verified one', async () => {
    const result = await (await signIn(provider(), 'outsider')).run();
    expect(result.identity.email).toBe('out@example.test');
    expect(result.identity.name).toBeUndefined();
  });

  it.each([
    ['org member', { org: 'acme' }, 'octocat', undefined],
    ['team member', { org: 'acme', team: 'platform' }, 'octocat', undefined],
    ['org member, names in other case', { org: 'acme', team: 'FrontEnd' }, 'acme-dev', undefined],
    ['not in the org', { org: 'acme' }, 'outsider', /not a member of the organization "acme"/],
    ['in the org, not the team', { org: 'acme', team: 'platform' }, 'acme-dev', /not a member of the team "acme\/platform"/],
    ['team of another org with that name', { org: 'other', team: 'platform' }, 'octocat', /not a member of the team "other\/platform"/],
  ])('org restriction: %s', async (_name, restriction, login, denied) => {
    const flow = await signIn(provider(restriction), login);
    if (!denied) {
      expect((await flow.run()).identity.user).toBe(login);
      return;
    }
    const err = await failure(flow.run());
    expect(err.code).toBe('not_in_org');
    expect(err.message).toMatch(denied);
  });

  it('turns an authorize error into a ProviderError with that code', async () => {
    gh.setAuthorizeError('access_denied');
    try {
      const flow = await signIn(provider(), 'octocat');
      const err = await failure(flow.run());
      expect(err.code).toBe('access_denied');
      expect(err.message).toContain('denied your application');
    } finally {
      gh.setAuthorizeError(undefined);
    }
  });

  it.each([
    ['a replayed code', 'replay', 'bad_verification_code'],
    ['a wrong client secret', 'secret', 'incorrect_client_credentials'],
    ['a wrong PKCE verifier', 'verifier', 'bad_verification_code'],
  ])('reads the HTTP 200 error body for %s', async (_name, mode, code) => {
    const p = provider({}, mode === 'secret' ? 'wrong' : 'gh-secret');
    const flow = await signIn(p, 'octocat');
    if (mode === 'replay') await flow.run();
    const checks = mode === 'verifier' ? { ...flow.checks, codeVerifier: 'y'.repeat(43) } : flow.checks;
    const err = await failure(p.finishAuth({ callbackUrl: flow.callbackUrl, redirectUri: REDIRECT_URI, checks }));
    expect(err.code).toBe(code);
  });

  it('rejects a state mismatch before exchanging the code', async () => {
    const flow = await signIn(provider(), 'octocat');
    const err = await failure(provider().finishAuth({ callbackUrl: flow.callbackUrl, redirectUri: REDIRECT_URI, checks: { ...flow.checks, state: 'forged' } }));
    expect(err.code).toBe('state_mismatch');
    // The code was not spent: the real state still completes.
    expect((await flow.run()).identity.user).toBe('octocat');
  });

  it.each([
    ['http base URL off loopback', { baseUrl: 'http://github.example.com' }, /must use https/],
    ['API URL with credentials', { apiUrl: 'https://user:pw@api.github.example' }, /must not contain a user name or password/],
    ['unparsable base URL', { baseUrl: '::' }, /is not a URL/],
  ])('refuses a %s', (_name, extra, message) => {
    expect(() => provider(extra)).toThrow(message);
  });
});
