// What the Sessions view shows over a browser's life (docs/security.md, docs/control-api.md): signing in again in the
// same browser replaces its session instead of piling up another, and signing out answers its
// redirect and removes the session from GET /api/v1/sessions.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApi } from '../support/console-api.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import type { SessionView } from '../../electron/engine/api.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { sessionCookieName, signedInBrowser, signInWithHint } from '../support/signin.ts';

let pc: Portcullis;
let api: ConsoleApi;
let app: string;
let name: string;
let alice: Browser;
let bob: Browser;
let firstCookie: string;

test.beforeAll(async ({ portcullis, api: control, app: url, alice: signedIn }) => {
  [pc, api, app, alice] = [portcullis, control, url, signedIn];
  name = sessionCookieName(app);
  bob = await signedInBrowser(app, 'bob');
  firstCookie = alice.cookie(app, name)!.value;
});

async function sessionsOf(email: string): Promise<SessionView[]> {
  const res = await api.call<SessionView[]>('GET', 'sessions');
  expect(res.status).toBe(200);
  return res.body.filter((s) => s.upstreamId === 'app' && s.email === email);
}

describe('signing in twice in the same browser', () => {
  let before: SessionView[];

  beforeAll(async () => {
    before = await sessionsOf('alice@example.test');
    await signInWithHint(alice, app, 'alice');
  });

  it('leaves exactly one session for that browser, a new one', async () => {
    expect(before).toHaveLength(1);
    const after = await sessionsOf('alice@example.test');
    expect(after).toHaveLength(1);
    expect(after[0].id).not.toBe(before[0].id);
  });

  it('ends the previous session: its cookie no longer signs anyone in', async () => {
    expect(alice.cookie(app, name)!.value).not.toBe(firstCookie);
    const stale = createBrowser();
    stale.setCookie(app, name, firstCookie);
    expect((await stale.get(`${app}/oauth2/userinfo`)).status).toBe(401);
    expect((await alice.get(`${app}/oauth2/userinfo`)).status).toBe(200);
  });

  it("leaves another browser's session alone", async () => {
    expect(await sessionsOf('bob@example.test')).toHaveLength(1);
    expect((await bob.get(`${app}/oauth2/userinfo`)).status).toBe(200);
  });
});

/** Whether the identity provider still honours an access token, asked at its userinfo endpoint. */
async function providerAccepts(accessToken: string): Promise<boolean> {
  const issuer = `http://127.0.0.1:${pc.ports.idp}`;
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { userinfo_endpoint: string };
  const res = await fetch(discovery.userinfo_endpoint, { headers: { Authorization: `Bearer ${accessToken}` } });
  return res.status === 200;
}

describe('signing out', () => {
  let aliceAccessToken: string;
  beforeAll(async () => {
    const [session] = await sessionsOf('alice@example.test');
    aliceAccessToken = session.accessToken!.raw;
    expect(await providerAccepts(aliceAccessToken)).toBe(true);
  });

  it('answers 302 (on to the provider\'s sign-out, which returns to rd), clears the cookie and removes the session from /api/v1/sessions', async () => {
    const res = await alice.get(`${app}/oauth2/sign_out?rd=/bye`);
    expect(res.status).toBe(302);
    expect(new URL(res.location!).searchParams.get('post_logout_redirect_uri')).toBe(`${app}/oauth2/sign_out`);
    expect(alice.cookie(app, name)).toBeUndefined();
    expect(await sessionsOf('alice@example.test')).toEqual([]);
    expect(await sessionsOf('bob@example.test')).toHaveLength(1);
  });

  it('the browser is signed out: /oauth2/userinfo answers 401', async () => {
    expect((await alice.get(`${app}/oauth2/userinfo`)).status).toBe(401);
  });

  it('revokes the tokens at the identity provider', async () => {
    // Revocation runs in the background after the redirect: give it a moment.
    for (let i = 0; i < 50 && (await providerAccepts(aliceAccessToken)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await providerAccepts(aliceAccessToken)).toBe(false);
  });
});
