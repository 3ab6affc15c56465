// The oauth2-proxy-compatible endpoints (docs/configuration.md), each with the status a user (or nginx)
// relies on, against a real Portcullis with its built-in identity provider.
import { describe, expect, it } from 'vitest';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { createBrowser, type Browser, type BrowserResponse } from '../support/browser.ts';
import { reachCallback, resolveLocation, sessionCookieName, signedInBrowser, signIn, signInWithHint } from '../support/signin.ts';

test.override('setup', { scope: 'file' }, {
  upstreams: [
    { id: 'app', apiRoutes: ['^/api/'] },
    { id: 'admins', allowedGroups: ['admins'] },
    // oauth2-proxy semantics: an email passes allowedEmails OR emailDomains, so the domains must be empty here.
    { id: 'emails', allowedEmails: ['alice@example.test'], emailDomains: [] },
    { id: 'domains', emailDomains: ['example.test'] },
  ],
  // oauth2-proxy's sign_out as it is without a backend logout URL: straight to rd (the provider
  // sign-out is test/integration/fault-lab.test.ts's).
  providers: [{ id: 'builtin', type: 'builtin', providerSignOut: false }],
});

let echo: EchoTarget;
let pc: Portcullis;
let app: string;
const browsers: Record<string, Browser> = {};
/** The callback's answer per `persona@upstream`: a denial may come there already (as in oauth2-proxy) or on the request. */
const callbacks: Record<string, BrowserResponse> = {};

test.beforeAll(async ({ echo: target, portcullis }) => {
  [echo, pc] = [target, portcullis];
  app = pc.url('app');
  for (const persona of ['alice', 'bob', 'carol']) {
    const browser = await signedInBrowser(app, persona);
    for (const id of ['admins', 'emails', 'domains']) {
      const { callbackUrl } = await reachCallback(browser, pc.url(id), persona, { hint: true });
      callbacks[`${persona}@${id}`] = await browser.get(callbackUrl);
    }
    browsers[persona] = browser;
  }
});

describe('health', () => {
  it.each(['/ping', '/ready'])('GET %s answers 200 OK without a session', async (path) => {
    const res = await createBrowser().get(`${app}${path}`);
    expect(res.status).toBe(200);
    expect(res.body.trim()).toBe('OK');
  });
});

describe('/oauth2/start and /oauth2/callback', () => {
  it('redirects to the provider with state, nonce and PKCE S256, and sets an HttpOnly CSRF cookie', async () => {
    const res = await createBrowser().get(`${app}/oauth2/start?rd=%2Fsomewhere`);
    expect(res.status).toBe(302);
    const location = resolveLocation(res, app);
    expect(location.origin).toBe(`http://127.0.0.1:${pc.ports.idp}`);
    const params = location.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge_method')).toBe('S256');
    const redirectUri = new URL(params.get('redirect_uri')!);
    expect([redirectUri.port, redirectUri.pathname]).toEqual([String(pc.ports.upstreams.app), '/oauth2/callback']);
    expect(res.setCookies.length).toBeGreaterThan(0);
    expect(res.setCookies.some((c) => /;\s*HttpOnly/i.test(c))).toBe(true);
  });

  it('signs in through the persona form and redirects the callback to rd', async () => {
    const browser = createBrowser();
    const res = await signIn(browser, app, 'alice', { rd: '/welcome?tab=1' });
    const location = resolveLocation(res, app);
    expect(location.origin).toBe(new URL(app).origin);
    expect(`${location.pathname}${location.search}`).toBe('/welcome?tab=1');
    expect(browser.cookie(app, sessionCookieName(app))).toBeDefined();
  });

  it('login_hint signs the persona in without showing the page', async () => {
    const browser = createBrowser();
    const res = await signInWithHint(browser, app, 'bob', { rd: '/hinted' });
    expect(res.flow.some((hop) => hop.method === 'POST')).toBe(false);
    const info = await browser.get(`${app}/oauth2/userinfo`);
    expect(info.json<{ email: string }>().email).toBe('bob@example.test');
  });
});

describe('/oauth2/userinfo', () => {
  it('answers the signed-in identity as JSON', async () => {
    const res = await browsers.alice.get(`${app}/oauth2/userinfo`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const info = res.json<Record<string, unknown>>();
    expect(info).toMatchObject({ email: 'alice@example.test', groups: ['admins', 'devs'], preferredUsername: 'alice' });
    expect(typeof info.user === 'string' && info.user.length > 0).toBe(true);
  });

  it('answers 401 without a session', async () => {
    expect((await createBrowser().get(`${app}/oauth2/userinfo`)).status).toBe(401);
  });
});

describe('/oauth2/auth', () => {
  it('answers 202 with the X-Auth-Request-* identity headers', async () => {
    const res = await browsers.alice.get(`${app}/oauth2/auth`);
    expect(res.status).toBe(202);
    expect(res.headers['x-auth-request-user']).toBeTruthy();
    expect(res.headers['x-auth-request-email']).toBe('alice@example.test');
    expect(res.headers['x-auth-request-groups']).toBe('admins,devs');
    expect(res.headers['x-auth-request-preferred-username']).toBe('alice');
    expect(res.headers['x-auth-request-access-token']).toBeUndefined();
  });

  it.each([
    ['alice', '', undefined, 202],
    ['bob', '', undefined, 202],
    ['alice', 'allowed_groups=admins', undefined, 202],
    ['bob', 'allowed_groups=admins', undefined, 403],
    ['bob', 'allowed_groups=ops,devs', undefined, 202],
    ['carol', 'allowed_groups=admins,devs', undefined, 403],
    ['alice', 'allowed_emails=bob@example.test', undefined, 403],
    ['bob', 'allowed_emails=bob@example.test', undefined, 202],
    ['alice', 'allowed_email_domains=other.test', undefined, 403],
    ['carol', 'allowed_email_domains=other.test', undefined, 202],
    ['alice', 'allowed_email_domains=example.test', undefined, 202],
    ['bob', '', 'admins', 403],
    ['alice', '', 'admins', 202],
    ['bob', '', 'admins,devs', 202],
    ['carol', '', 'admins, devs', 403],
    [null, '', undefined, 401],
    [null, 'allowed_groups=admins', 'admins', 401],
  ])('%s with query "%s" and X-Auth-Request-Allowed-Groups %s -> %i', async (persona, query, groupsHeader, status) => {
    const browser = persona ? browsers[persona] : createBrowser();
    const headers: [string, string][] = groupsHeader ? [['X-Auth-Request-Allowed-Groups', groupsHeader]] : [];
    const res = await browser.get(`${app}/oauth2/auth${query ? `?${query}` : ''}`, { headers });
    expect(res.status).toBe(status);
  });
});

describe('requests without a session', () => {
  it.each(['/some/page', '/some/page?q=1&r=two'])('a browser asking for %s is sent to /oauth2/start with rd', async (path) => {
    const res = await createBrowser().get(`${app}${path}`);
    expect(res.status).toBe(302);
    const location = resolveLocation(res, app);
    expect(location.origin).toBe(new URL(app).origin);
    expect(location.pathname).toBe('/oauth2/start');
    expect(location.searchParams.get('rd')).toBe(path);
  });

  it.each([
    ['Accept: application/json', '/some/data', [['Accept', 'application/json']] as [string, string][], true],
    ['an apiRoutes match', '/api/items', [] as [string, string][], false],
  ])('%s gets 401 JSON', async (_what, path, headers, noAccept) => {
    const res = await createBrowser().get(`${app}${path}`, { headers, noAccept });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(() => res.json()).not.toThrow();
    expect(echo.requests.some((r) => r.path === path)).toBe(false);
  });
});

describe('authorization rules on proxied requests', () => {
  it.each([
    ['admins', 'bob', 'allowedGroups'],
    ['emails', 'bob', 'allowedEmails'],
    ['domains', 'carol', 'emailDomains'],
  ])('upstream %s denies %s with a 403 page naming %s', async (id, persona, rule) => {
    const path = `/denied-${id}-${persona}`;
    const callback = callbacks[`${persona}@${id}`];
    const res = callback.status === 403 ? callback : await browsers[persona].get(`${pc.url(id)}${path}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain(rule);
    expect(echo.requests.some((r) => r.path === path)).toBe(false);
  });

  it.each([
    ['admins', 'alice'],
    ['emails', 'alice'],
    ['domains', 'bob'],
  ])('upstream %s lets %s through', async (id, persona) => {
    const res = await browsers[persona].get(`${pc.url(id)}/allowed`);
    expect(res.status).toBe(200);
    expect(res.json<{ path: string }>().path).toBe('/allowed');
  });
});

describe('/oauth2/sign_in and /oauth2/sign_out', () => {
  it('/oauth2/sign_in shows the sign-in page and clears the session', async () => {
    const browser = createBrowser();
    await signInWithHint(browser, app, 'bob');
    const name = sessionCookieName(app);
    const res = await browser.get(`${app}/oauth2/sign_in`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('/oauth2/start');
    expect(res.setCookies.some((c) => c.startsWith(`${name}=`))).toBe(true);
    expect(browser.cookie(app, name)).toBeUndefined();
    expect((await browser.get(`${app}/oauth2/userinfo`)).status).toBe(401);
  });

  it('/oauth2/sign_out ends the session for good and redirects to rd', async () => {
    const browser = createBrowser();
    await signInWithHint(browser, app, 'alice');
    const name = sessionCookieName(app);
    const old = browser.cookie(app, name)!.value;
    const res = await browser.get(`${app}/oauth2/sign_out?rd=%2Fbye`);
    expect(res.status).toBe(302);
    const location = resolveLocation(res, app);
    expect([location.origin, location.pathname]).toEqual([new URL(app).origin, '/bye']);
    expect(browser.cookie(app, name)).toBeUndefined();
    expect((await browser.get(`${app}/oauth2/userinfo`)).status).toBe(401);
    // The old cookie value, replayed, no longer names a session.
    browser.setCookie(app, name, old);
    expect((await browser.get(`${app}/oauth2/userinfo`)).status).toBe(401);
  });
});
