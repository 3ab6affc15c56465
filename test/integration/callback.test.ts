// Attacks on the code flow's return leg: forged, missing or replayed state, a callback from
// another browser (CSRF), and a provider error. Each ends in a 403 page, never a session.
import { describe, expect } from 'vitest';
import { createBrowser } from '../support/browser.ts';
import { test } from '../support/fixture.ts';
import { reachCallback, sessionCookieName } from '../support/signin.ts';

function withParams(url: string, change: (params: URLSearchParams) => void): string {
  const parsed = new URL(url);
  change(parsed.searchParams);
  return parsed.href;
}

describe('/oauth2/callback refuses', () => {
  test.for([
    ['a forged state', (p: URLSearchParams) => p.set('state', `${p.get('state')}x`)],
    ['a state from nowhere', (p: URLSearchParams) => p.set('state', 'c3RhdGUtZnJvbS1ub3doZXJl')],
    ['a missing state', (p: URLSearchParams) => p.delete('state')],
    ['an empty state', (p: URLSearchParams) => p.set('state', '')],
    ['a missing code', (p: URLSearchParams) => p.delete('code')],
  ] as const)('%s with 403 and no session', async ([, change], { app }) => {
    const browser = createBrowser();
    const { callbackUrl } = await reachCallback(browser, app, 'alice', { hint: true });
    const res = await browser.get(withParams(callbackUrl, change));
    expect(res.status).toBe(403);
    expect(browser.cookie(app, sessionCookieName(app))).toBeUndefined();
    expect((await browser.get(`${app}/oauth2/userinfo`)).status).toBe(401);
  });

  test('a replayed callback URL with 403 the second time', async ({ app }) => {
    const browser = createBrowser();
    const { callbackUrl } = await reachCallback(browser, app, 'alice', { hint: true });
    expect((await browser.get(callbackUrl)).status).toBe(302);
    const replay = await browser.get(callbackUrl);
    expect(replay.status).toBe(403);
  });

  test("another browser's callback URL (no CSRF cookie) with 403", async ({ app }) => {
    const victim = createBrowser();
    const { callbackUrl } = await reachCallback(createBrowser(), app, 'alice', { hint: true });
    const res = await victim.get(callbackUrl);
    expect(res.status).toBe(403);
    expect(victim.cookie(app, sessionCookieName(app))).toBeUndefined();
  });

  test('a provider error with a readable 403 page', async ({ app }) => {
    const browser = createBrowser();
    const { callbackUrl } = await reachCallback(browser, app, 'alice', { hint: true });
    const state = new URL(callbackUrl).searchParams.get('state')!;
    const res = await browser.get(`${app}/oauth2/callback?error=access_denied&error_description=User+said+no&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/access_denied|denied/i);
    expect(res.body).not.toMatch(/<script/i);
    expect(browser.cookie(app, sessionCookieName(app))).toBeUndefined();
  });

  test('a provider error carrying markup shows it as text', async ({ app }) => {
    const res = await createBrowser().get(`${app}/oauth2/callback?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=x`);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('<script>alert(1)</script>');
  });
});
