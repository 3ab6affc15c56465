// The GitHub provider against a local GitHub stand-in (real HTTP, real openid-client).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GithubProviderConfig } from '../../electron/engine/config/types.ts';
import { nextPageUrl } from '../../electron/engine/providers/github-api.ts';
import { createProvider } from '../../electron/engine/providers/create-provider.ts';
import { ProviderError } from '../../electron/engine/providers/provider-error.ts';
import type { AuthProvider } from '../../electron/engine/providers/types.ts';
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

/** What anyone holding the token sees at GitHub's API. */
async function userStatus(accessToken: string): Promise<number> {
  return (await fetch(`${gh.apiUrl}/user`, { headers: { Authorization: `Bearer ${accessToken}` } })).status;
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

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
      // More than one page of 100 of everything; the only verified email is on the second page.
      { login: 'joiner', emails: names('e', 101).map((n) => `${n}@example.test`), unverified: names('e', 100).map((n) => `${n}@example.test`), orgs: names('org', 250), teams: names('big:team', 120) },
      { login: 'collector', emails: ['c@example.test'], orgs: names('org', 1001) },
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
    expect(await p.verifyJwt(result.tokens.accessToken)).toBe(false);
    expect('status' in p).toBe(false);
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

  it('reads every page of orgs, teams and emails', async () => {
    const { identity } = await (await signIn(provider(), 'joiner')).run();
    expect(identity.groups).toEqual([...names('org', 250), ...names('big:team', 120)]);
    expect(identity.email).toBe('e0100@example.test');
  });

  it('refuses the sign-in rather than drop groups past 10 pages', async () => {
    const err = await failure((await signIn(provider(), 'collector')).run());
    expect(err.code).toBe('too_many_entries');
    expect(err.message).toMatch(/\/user\/orgs lists more than 1000 entries/);
  });

  it('revokes the token: afterwards it no longer works at the API', async () => {
    const p = provider();
    const { tokens } = await (await signIn(p, 'octocat')).run();
    expect(await userStatus(tokens.accessToken)).toBe(200);
    expect(await p.revoke(tokens)).toBe(true);
    expect(await userStatus(tokens.accessToken)).toBe(401);
    // Already gone: GitHub answers 422 and revoke reports that it did nothing.
    expect(await p.revoke(tokens)).toBe(false);
  });

  it.each([
    ['no client secret', undefined],
    ['a wrong client secret', 'wrong'],
  ])('cannot revoke with %s, and the token stays valid', async (_name, secret) => {
    const { tokens } = await (await signIn(provider(), 'octocat')).run();
    const p = createProvider({ id: 'gh', type: 'github', clientId: 'gh-client', baseUrl: gh.baseUrl, apiUrl: gh.apiUrl }, { clientSecret: secret });
    expect(await p.revoke(tokens)).toBe(false);
    expect(await userStatus(tokens.accessToken)).toBe(200);
  });

  it('reports an unreachable API as a failed revoke, without throwing', async () => {
    const { tokens } = await (await signIn(provider(), 'octocat')).run();
    expect(await provider({ apiUrl: 'http://127.0.0.1:1/api/v3' }).revoke(tokens)).toBe(false);
  });

  it.each([
    ['http base URL off loopback', { baseUrl: 'http://github.example.com' }, /must use https/],
    ['API URL with credentials', { apiUrl: 'https://user:pw@api.github.example' }, /must not contain a user name or password/],
    ['unparsable base URL', { baseUrl: '::' }, /is not a URL/],
  ])('refuses a %s', (_name, extra, message) => {
    expect(() => provider(extra)).toThrow(message);
  });
});

describe('nextPageUrl', () => {
  const api = new URL('https://ghe.example/api/v3/');
  const page2 = 'https://ghe.example/api/v3/user/orgs?per_page=100&page=2';

  it.each<[string, string | null, string | undefined]>([
    ['no Link header', null, undefined],
    ['an empty Link header', '', undefined],
    ['next and last', `<${page2}>; rel="next", <https://ghe.example/api/v3/user/orgs?per_page=100&page=5>; rel="last"`, page2],
    ['last before next', `<https://ghe.example/api/v3/user/orgs?page=5>; rel="last", <${page2}>; rel="next"`, page2],
    ['an unquoted rel', `<${page2}>; rel=next`, page2],
    ['rel in capitals and extra spaces', `<${page2}> ;  REL = "Next"`, page2],
    ['one link with two relations', `<${page2}>; rel="next last"`, page2],
    ['a comma inside the URL', `<https://ghe.example/api/v3/user/orgs?x=a,b>; rel="next"`, 'https://ghe.example/api/v3/user/orgs?x=a,b'],
    ['a path relative to the API', '</api/v3/user/orgs?page=2>; rel="next"', 'https://ghe.example/api/v3/user/orgs?page=2'],
    ['only prev and first (the last page)', `<${page2}>; rel="prev", <${page2}>; rel="first"`, undefined],
    ['a relation that only contains "next"', `<${page2}>; rel="nextish"`, undefined],
  ])('%s', (_name, link, expected) => {
    expect(nextPageUrl(link, api)?.href).toBe(expected);
  });

  it.each([
    ['another host', '<https://evil.example/api/v3/user/orgs?page=2>; rel="next"'],
    ['a look-alike host', '<https://ghe.example.evil.test/api/v3/user/orgs?page=2>; rel="next"'],
    ['user info that changes the host', '<https://ghe.example@evil.example/api/v3/user/orgs>; rel="next"'],
    ['plain http on the same host', '<http://ghe.example/api/v3/user/orgs?page=2>; rel="next"'],
    ['another port', '<https://ghe.example:8443/api/v3/user/orgs?page=2>; rel="next"'],
    ['a path outside the API', '<https://ghe.example/login/oauth/access_token>; rel="next"'],
    ['dot segments that climb out', '<https://ghe.example/api/v3/../../login>; rel="next"'],
    ['a protocol-relative URL', '<//evil.example/api/v3/user/orgs>; rel="next"'],
    ['a javascript: URL', '<javascript:alert(1)>; rel="next"'],
    ['an unparsable URL', '<http://[::1>; rel="next"'],
  ])('refuses a next link to %s (the token would go there)', (_name, link) => {
    expect(() => nextPageUrl(link, api)).toThrow(/next-page link outside https:\/\/ghe\.example\/api\/v3\//);
  });
});
