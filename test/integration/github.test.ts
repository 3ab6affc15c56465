// Sign-in with a `github` provider through a real `portcullis serve`, against the GitHub stand-in:
// /oauth2/start -> authorize -> /oauth2/callback, the identity headers the target sees (groups from
// orgs and teams, email from /user/emails), an org restriction that refuses, and sign-out revoking.
import { describe, expect } from 'vitest';
import type { ProviderConfig } from '../../electron/engine/config/types.ts';
import { startGithubStandin, type GithubStandin } from '../support/github-standin.ts';
import { createBrowser } from '../support/browser.ts';
import type { EchoRequest } from '../support/echo.ts';
import { test as base } from '../support/fixture.ts';
import { reachCallback, sessionCookieName, signInWithHint } from '../support/signin.ts';

/** The GitHub stand-in, up before Portcullis (whose providers point at it) and down after it. */
const test = base.extend('gh', { scope: 'file' }, async ({}, { onCleanup }): Promise<GithubStandin> => {
  const gh = await startGithubStandin({
    users: [
      {
        login: 'octocat',
        name: 'The Octocat',
        // /user has no public email, so the address can only come from /user/emails.
        emails: ['octo@example.test', 'cat@example.test'],
        orgs: ['acme', 'other'],
        teams: ['acme:platform', 'other:web'],
      },
    ],
  });
  onCleanup(() => gh.close());
  return gh;
});

test.override('setup', { scope: 'file' }, ({ gh }) => {
  const github = { type: 'github', clientId: 'gh-client', clientSecret: 'gh-secret', baseUrl: gh.baseUrl, apiUrl: gh.apiUrl } as const;
  const providers: ProviderConfig[] = [
    { id: 'gh', ...github },
    { id: 'gh-initech', ...github, org: 'initech' },
  ];
  return {
    upstreams: [
      { id: 'app', provider: 'gh', passAccessToken: true },
      { id: 'strict', provider: 'gh-initech' },
    ],
    providers,
  };
});

// Started under the hook timeout, not the first test's.
test.beforeAll(({ portcullis: _started }) => {});

/** The stand-in's API as anyone holding the token would use it. */
async function apiStatus(gh: GithubStandin, accessToken: string): Promise<number> {
  return (await fetch(`${gh.apiUrl}/user`, { headers: { Authorization: `Bearer ${accessToken}` } })).status;
}

describe('github provider through a listener', () => {
  test('signs in and passes orgs, teams and the primary verified email to the target', async ({ app, gh }) => {
    const browser = createBrowser();
    const callback = await signInWithHint(browser, app, 'octocat', { rd: '/dashboard?tab=1' });
    expect(new URL(callback.flow[1].url).origin).toBe(gh.baseUrl);
    expect(callback.location).toBe('/dashboard?tab=1');

    const res = await browser.get(`${app}/dashboard?tab=1`);
    expect(res.status).toBe(200);
    const seen = res.json<EchoRequest>();
    expect(seen.headers['x-forwarded-user']).toBe('octocat');
    expect(seen.headers['x-forwarded-email']).toBe('octo@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('acme,other,acme:platform,other:web');
    expect(seen.headers['x-forwarded-preferred-username']).toBe('octocat');
  });

  test('answers 403 with a page naming the org when the user is not a member', async ({ portcullis, echo }) => {
    const strict = portcullis.url('strict');
    const browser = createBrowser();
    const before = echo.requests.length;
    const { callbackUrl } = await reachCallback(browser, strict, 'octocat', { hint: true });
    const res = await browser.get(callbackUrl);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/octocat(&quot;|")? is not a member of the organization (&quot;|")?initech/);
    expect(browser.cookie(strict, sessionCookieName(strict))).toBeUndefined();
    expect((await browser.get(`${strict}/oauth2/userinfo`)).status).toBe(401);
    expect(echo.requests.length).toBe(before);
  });

  test('revokes the GitHub token on sign-out', async ({ app, gh }) => {
    const browser = createBrowser();
    await signInWithHint(browser, app, 'octocat');
    const token = String((await browser.get(`${app}/`)).json<EchoRequest>().headers['x-forwarded-access-token']);
    expect(token).toMatch(/^gho_/);
    expect(await apiStatus(gh, token)).toBe(200);

    const out = await browser.get(`${app}/oauth2/sign_out`);
    expect(out.status).toBe(302);
    expect((await browser.get(`${app}/oauth2/userinfo`)).status).toBe(401);
    // Revocation finishes in the background after the redirect.
    await expect.poll(() => apiStatus(gh, token), { timeout: 5_000, message: 'still waiting for the stand-in to refuse the revoked token' }).toBe(401);
  });
});
