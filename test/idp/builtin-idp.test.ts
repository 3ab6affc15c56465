// The built-in identity provider, driven like a browser without JavaScript plus a real
// openid-client relying party.

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Persona } from '../../electron/engine/config/types.ts';
import { isAllowedRedirectUri, startBuiltinIdp, type BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { Browser, formAction } from './browser.ts';
import * as flows from './flow.ts';
import { discover } from './flow.ts';

const personas: Persona[] = [
  { username: 'alice', email: 'alice@example.test', name: 'Alice Admin', groups: ['admins', 'devs'] },
  { username: 'bob', email: 'bob@example.test', name: 'Bob <Builder>', groups: ['devs'] },
];

let dataDir: string;
let idp: BuiltinIdp;
let config: client.Configuration;

const authorizationUrl = (params: Record<string, string> = {}) => flows.authorizationUrl(config, params);
const signIn = (persona: string, opts: { hint?: boolean; redirectUri?: string } = {}) => flows.signIn(config, persona, opts);
const exchange = (flow: flows.Flow) => flows.exchange(config, flow);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portcullis-idp-'));
  idp = await startBuiltinIdp({ port: 0, users: personas, dataDir });
  config = await discover(idp);
});

afterAll(async () => {
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('built-in identity provider', () => {
  it('publishes discovery metadata for an exact loopback issuer', () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(idp.issuer);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile', 'groups', 'offline_access']));
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.revocation_endpoint).toBeTruthy();
    expect(meta.end_session_endpoint).toBeTruthy();
  });

  it('lists every persona on a no-JavaScript sign-in page with escaped output', async () => {
    const { url } = await authorizationUrl();
    const browser = new Browser();
    const page = await browser.follow(url, 'http://127.0.0.1:4180');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Choose a persona · Portcullis built-in sign-in</title>');
    expect(page.body).not.toContain('<script');
    expect(page.body).toContain('name="login" value="alice"');
    expect(page.body).toContain('name="login" value="bob"');
    expect(page.body).toContain('alice@example.test');
    expect(page.body).toContain('Bob &lt;Builder&gt;');
    expect(page.body).not.toContain('Bob <Builder>');
    expect(page.body).toMatch(/<span class="group">admins<\/span>/);
    expect(formAction(page.body, page.url).pathname).toBe(page.url.pathname);
  });

  it('signs in the persona posted as login=alice and issues an ID token with its claims', async () => {
    const flow = await signIn('alice');
    expect(flow.sawPage).toBe(true);
    expect(flow.callback.searchParams.get('state')).toBe(flow.state);
    const tokens = await exchange(flow);
    expect(tokens.claims()).toMatchObject({
      iss: idp.issuer,
      sub: 'alice',
      email: 'alice@example.test',
      email_verified: true,
      name: 'Alice Admin',
      preferred_username: 'alice',
      groups: ['admins', 'devs'],
    });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'alice');
    expect(userinfo).toMatchObject({ sub: 'alice', email: 'alice@example.test', groups: ['admins', 'devs'], preferred_username: 'alice' });
  });

  it('signs in the login_hint persona without showing the page', async () => {
    const flow = await signIn('bob', { hint: true });
    expect(flow.sawPage).toBe(false);
    const tokens = await exchange(flow);
    expect(tokens.claims()?.sub).toBe('bob');
    expect(tokens.claims()?.groups).toEqual(['devs']);
  });

  it('shows the page with a clear message for an unknown login_hint', async () => {
    const { url } = await authorizationUrl({ login_hint: 'mallory' });
    const page = await new Browser().follow(url, 'http://127.0.0.1:4180');
    expect(page.status).toBe(200);
    expect(page.body).toContain('No persona is called &quot;mallory&quot;');
  });

  it('asks again for a persona on every sign-in, so personas can be switched', async () => {
    const flow = await signIn('alice');
    const second = await authorizationUrl();
    const page = await flow.browser.follow(second.url, 'http://127.0.0.1:4180');
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="login" value="bob"');
  });

  it.each([
    ['an unknown persona', { login: 'mallory' }, 'No persona is called &quot;mallory&quot;'],
    ['an empty login', { login: '' }, 'Choose a persona to sign in.'],
    ['no login field', { user: 'alice' }, 'Choose a persona to sign in.'],
  ])('rejects %s with the page and a message', async (_name, form, message) => {
    const { url } = await authorizationUrl();
    const browser = new Browser();
    const page = await browser.follow(url, 'http://127.0.0.1:4180');
    const again = await browser.request(formAction(page.body, page.url), { form });
    expect(again.status).toBe(400);
    expect(again.body).toContain(message);
  });

  it('refuses a form post without the interaction cookie (CSRF) with a readable page', async () => {
    const { url } = await authorizationUrl();
    const page = await new Browser().follow(url, 'http://127.0.0.1:4180');
    const forged = await new Browser().request(formAction(page.body, page.url), { form: { login: 'alice' } });
    expect(forged.status).toBe(400);
    expect(forged.body).toContain('Sign-in expired');
    expect(forged.body).not.toMatch(/at \w+ \(/);
  });

  it('cancelling the sign-in returns error=access_denied to the client', async () => {
    const auth = await authorizationUrl();
    const browser = new Browser();
    const page = await browser.follow(auth.url, 'http://127.0.0.1:4180');
    const done = await browser.follow(formAction(page.body, page.url), 'http://127.0.0.1:4180', { form: { cancel: '1' } });
    expect(done.location?.searchParams.get('error')).toBe('access_denied');
    expect(done.location?.searchParams.get('state')).toBe(auth.state);
  });

  it('issues a refresh token without offline_access, and refreshing works', async () => {
    const tokens = await exchange(await signIn('alice', { hint: true }));
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    expect(refreshed.claims()?.groups).toEqual(['admins', 'devs']);
  });

  it('follows persona changes made with update', async () => {
    await idp.update({ users: [...personas, { username: 'carol', email: 'carol@example.test', name: 'Carol', groups: [] }] });
    try {
      const tokens = await exchange(await signIn('carol', { hint: true }));
      expect(tokens.claims()).toMatchObject({ sub: 'carol', groups: [] });
    } finally {
      await idp.update({ users: personas });
    }
  });

  it.each([
    'http://127.0.0.1:4180/oauth2/callback',
    'http://localhost:4180/oauth2/callback',
    'http://127.0.0.1:54321/oauth2/callback',
    'http://localhost:65535/oauth2/callback',
    'http://localhost/oauth2/callback',
  ])('accepts the loopback callback %s', async (redirectUri) => {
    expect(isAllowedRedirectUri(redirectUri)).toBe(true);
    const flow = await signIn('alice', { hint: true, redirectUri });
    expect(flow.callback.origin + flow.callback.pathname).toBe(redirectUri);
    expect(flow.callback.searchParams.get('code')).toBeTruthy();
  });

  it.each([
    'https://evil.example/oauth2/callback',
    'http://evil.example:4180/oauth2/callback',
    'http://127.0.0.1.evil.example:4180/oauth2/callback',
    'http://localhost.evil.example/oauth2/callback',
    'http://user@localhost:4180/oauth2/callback',
    'http://localhost:4180@evil.example/oauth2/callback',
    'https://localhost:4180/oauth2/callback',
    'http://localhost:4180/oauth2/callback/../../evil',
    'http://localhost:4180/other',
    'http://localhost:4180/oauth2/callback?x=1',
    'http://localhost:4180/oauth2/callback#x',
    'http://localhost:99999/oauth2/callback',
    'http://localhost:0/oauth2/callback',
    'http://[::1]:4180/oauth2/callback',
    'http://LOCALHOST:4180/oauth2/callback ',
  ])('refuses the redirect_uri %s', async (redirectUri) => {
    expect(isAllowedRedirectUri(redirectUri)).toBe(false);
    const { url } = await authorizationUrl({ redirect_uri: redirectUri, login_hint: 'alice' });
    const step = await new Browser().request(url);
    expect(step.status).toBe(400);
    expect(step.location).toBeUndefined();
    expect(step.body).toContain('redirect_uri');
    expect(step.body).toContain('Portcullis built-in sign-in');
  });

  it('accepts the callback on a front proxy origin only once the settings name it, and lets the persona form post there', async () => {
    const front = 'http://portal.test:8080/oauth2/callback';
    expect(isAllowedRedirectUri(front)).toBe(false);
    idp.setFrontOrigins(['http://portal.test:8080']);
    try {
      expect(isAllowedRedirectUri(front, new Set(['http://portal.test:8080']))).toBe(true);
      const flow = await signIn('alice', { hint: true, redirectUri: front });
      expect(flow.callback.origin + flow.callback.pathname).toBe(front);
      // The persona page's CSP must let its form end up on the front origin.
      const { url } = await authorizationUrl({ redirect_uri: front });
      const page = await new Browser().follow(url, 'http://portal.test:8080');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain('form-action \'self\' http://localhost:* http://127.0.0.1:* http://portal.test:8080;');
    } finally {
      idp.setFrontOrigins([]);
    }
    // An origin that could break out of the CSP header is never taken in.
    idp.setFrontOrigins(['http://a;script-src*', 'javascript://x']);
    try {
      const { url } = await authorizationUrl({});
      const page = await new Browser().follow(url, 'http://nowhere.invalid');
      expect(page.headers.get('content-security-policy')).toContain("form-action 'self' http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'");
    } finally {
      idp.setFrontOrigins([]);
    }
    // Another path, a query or another origin on the same name is still refused.
    for (const near of ['http://portal.test:8080/oauth2/callback?x=1', 'http://portal.test:8080/other', 'http://portal.test:8081/oauth2/callback', 'https://portal.test:8080/oauth2/callback'])
      expect(isAllowedRedirectUri(near, new Set(['http://portal.test:8080']))).toBe(false);
  });

  it('keeps its key file private', async () => {
    const info = await stat(join(dataDir, 'idp-keys.json'));
    expect(info.mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(join(dataDir, 'idp-keys.json'), 'utf8')) as { clientSecret: string };
    expect(saved.clientSecret).toBe(idp.clientSecret);
  });
});

describe('built-in identity provider across restarts', () => {
  it('keeps its signing key, client secret and refresh tokens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portcullis-idp-restart-'));
    try {
      const first = await startBuiltinIdp({ port: 0, users: personas, dataDir: dir });
      config = await discover(first);
      const tokens = await exchange(await signIn('alice', { hint: true }));
      const jwks1 = (await (await fetch(config.serverMetadata().jwks_uri!)).json()) as { keys: { kid: string; d?: string }[] };
      await first.close();
      // Refresh tokens are secrets: the store that keeps them across restarts is private.
      expect((await stat(join(dir, 'idp-store.json'))).mode & 0o777).toBe(0o600);

      const second = await startBuiltinIdp({ port: 0, users: personas, dataDir: dir });
      try {
        expect(second.clientSecret).toBe(first.clientSecret);
        config = await discover(second);
        const jwks2 = (await (await fetch(config.serverMetadata().jwks_uri!)).json()) as { keys: { kid: string; d?: string }[] };
        expect(jwks2.keys.map((k) => k.kid)).toEqual(jwks1.keys.map((k) => k.kid));
        expect(jwks2.keys.every((k) => k.d === undefined)).toBe(true);
        expect(decodeJwt(tokens.id_token!).sub).toBe('alice');
        const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
        expect(refreshed.claims()?.sub).toBe('alice');
      } finally {
        await second.close();
        config = await discover(idp);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says so when its port is taken', async () => {
    const port = Number(new URL(idp.issuer).port);
    await expect(startBuiltinIdp({ port, users: personas, dataDir })).rejects.toThrow(`port ${port} on 127.0.0.1 is in use by another program`);
  });

  it('refuses a damaged key file with a clear message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portcullis-idp-bad-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'idp-keys.json'), '{"signingKeys": 42}');
      await expect(startBuiltinIdp({ port: 0, users: personas, dataDir: dir })).rejects.toThrow(/damaged; delete it/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
