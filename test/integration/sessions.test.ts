// The session cookie (docs/security.md): its attributes, that no token ever reaches the browser,
// and that a tampered, truncated, oversized or foreign cookie is simply no session (never a 500).
import { describe, expect, it } from 'vitest';
import type { EchoRequest } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { createBrowser, type Browser, type BrowserResponse } from '../support/browser.ts';
import { resolveLocation, sessionCookieName, signIn, signInWithHint } from '../support/signin.ts';

test.override('setup', { scope: 'file' }, {
  upstreams: [
    { id: 'tokens', passAccessToken: true, passAuthorizationHeader: true, setXAuthRequest: false },
    { id: 'other' },
  ],
});

let pc: Portcullis;
let url: string;
let name: string;
let alice: Browser;
let signInResponse: BrowserResponse;
let tokens: { idToken: string; accessToken: string };
let foreignValue: string;

test.beforeAll(async ({ portcullis, app }) => {
  [pc, url] = [portcullis, app];
  name = sessionCookieName(url);
  alice = createBrowser();
  signInResponse = await signIn(alice, url, 'alice', { rd: '/after' });
  const seen = (await alice.get(`${url}/echo`)).json<EchoRequest>();
  tokens = {
    idToken: String(seen.headers.authorization).replace(/^Bearer /, ''),
    accessToken: String(seen.headers['x-forwarded-access-token']),
  };
  const other = createBrowser();
  await signInWithHint(other, pc.url('other'), 'bob');
  foreignValue = other.cookie(pc.url('other'), sessionCookieName(pc.url('other')))!.value;
});

describe('the session cookie', () => {
  it(`is named _portcullis_<port>, HttpOnly, SameSite=Lax, Path=/`, () => {
    const line = signInResponse.setCookies.find((c) => c.startsWith(`${name}=`));
    expect(line).toBeDefined();
    expect(line).toMatch(/;\s*HttpOnly/i);
    expect(line).toMatch(/;\s*SameSite=Lax/i);
    expect(line).toMatch(/;\s*Path=\/(\s*;|\s*$)/i);
  });

  it('holds neither the tokens nor the identity in readable form', () => {
    const value = decodeURIComponent(alice.cookie(url, name)!.value);
    const decoded = Buffer.from(value, 'base64url').toString('latin1') + Buffer.from(value, 'base64').toString('latin1');
    for (const text of [value, decoded]) {
      expect(text).not.toContain(tokens.idToken);
      expect(text).not.toContain(tokens.accessToken);
      expect(text).not.toContain('alice@example.test');
    }
  });
});

describe('tokens never reach the browser', () => {
  it('the target does receive real tokens (so the search below means something)', () => {
    expect(tokens.idToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(tokens.accessToken.length).toBeGreaterThan(8);
  });

  it('no sign-in hop, URL, cookie or Portcullis page carries a token', async () => {
    await alice.get(`${url}/oauth2/userinfo`);
    const idSignature = tokens.idToken.split('.')[2];
    const visible = alice.history.filter((hop) => new URL(hop.url).pathname !== '/echo');
    expect(visible.length).toBeGreaterThan(4);
    for (const hop of visible) {
      const text = `${hop.url}\n${JSON.stringify(hop.headers)}\n${hop.body}`;
      expect(text, hop.url).not.toContain(tokens.idToken);
      expect(text, hop.url).not.toContain(idSignature);
      expect(text, hop.url).not.toContain(tokens.accessToken);
      expect(hop.url).not.toMatch(/[?&#](access_token|id_token|refresh_token)=/);
      expect(hop.location ?? '').not.toMatch(/[?&#](access_token|id_token|refresh_token)=/);
    }
  });

  it('/oauth2/auth and /oauth2/userinfo never answer the ID token', async () => {
    const browser = createBrowser();
    await signInWithHint(browser, url, 'alice');
    for (const path of ['/oauth2/auth', '/oauth2/userinfo']) {
      const res = await browser.get(`${url}${path}`);
      // The access token is a JWT too (typ at+jwt) and may be passed on; no other JWT may.
      const jwts = `${JSON.stringify(res.headers)}${res.body}`.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g) ?? [];
      for (const jwt of jwts) expect(decodeProtectedHeader(jwt).typ).toBe('at+jwt');
    }
  });
});

describe('a bad session cookie is no session', () => {
  const variants: [string, (value: string) => string][] = [
    ['tampered (one character changed)', (v) => {
      const i = Math.floor(v.length / 2);
      return `${v.slice(0, i)}${v[i] === 'A' ? 'B' : 'A'}${v.slice(i + 1)}`;
    }],
    ['truncated', (v) => v.slice(0, Math.floor(v.length / 2))],
    ['missing its last character', (v) => v.slice(0, -1)],
    ['empty', () => ''],
    ['oversized', (v) => 'A'.repeat(6000) + v],
    ['random bytes', () => randomBytes(64).toString('base64url')],
    ['garbage characters', () => '%%%<>\\"{}'],
    ['an unsigned JWT', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.`],
    ["another listener's valid cookie", () => foreignValue],
  ];

  it.each(variants)('%s: a browser is sent to sign in, an API client gets 401', async (_what, mutate) => {
    const browser = createBrowser();
    browser.setCookie(url, name, mutate(alice.cookie(url, name)!.value));
    const page = await browser.get(`${url}/private`);
    expect(page.status).toBe(302);
    expect(resolveLocation(page, url).pathname).toBe('/oauth2/start');
    const api = await browser.get(`${url}/private`, { noAccept: true, headers: [['Accept', 'application/json']] });
    expect(api.status).toBe(401);
    expect((await browser.get(`${url}/oauth2/userinfo`)).status).toBe(401);
    expect((await browser.get(`${url}/oauth2/auth`)).status).toBe(401);
  });

  it('the genuine cookie still works after all that', async () => {
    expect((await alice.get(`${url}/oauth2/userinfo`)).status).toBe(200);
  });
});
