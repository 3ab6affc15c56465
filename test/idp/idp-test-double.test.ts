// The built-in identity provider as a test double, driven through its worker thread as the
// engine drives it: a shifted clock, each fault, signing out at the provider, a persona switch
// without a browser.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { NO_FAULTS, type IdpFaults } from '../../electron/engine/idp/faults.ts';
import { startBuiltinIdpThread } from '../../electron/engine/idp/idp-thread.ts';
import { IdpRequestError } from '../../electron/engine/idp/request-error.ts';
import type { Persona } from '../../electron/engine/config/types.ts';
import { Browser } from './browser.ts';
import { authorizationUrl, CALLBACK, discover, exchange, signIn } from './flow.ts';

const personas: Persona[] = [
  { username: 'alice', email: 'alice@example.test', name: 'Alice', groups: ['admins'] },
  { username: 'bob', email: 'bob@example.test', name: 'Bob', groups: ['devs'], claims: { roles: ['viewer'] } },
];

let dataDir: string;
let idp: BuiltinIdp;
let config: client.Configuration;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portcullis-idp-double-'));
  idp = await startBuiltinIdpThread({ port: 0, users: personas, dataDir });
  config = await discover(idp);
});

afterAll(async () => {
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await idp.setFaults(NO_FAULTS);
  await idp.update({ clockSkewSeconds: 0 });
});

const faults = (set: Partial<IdpFaults>) => idp.setFaults({ ...NO_FAULTS, ...set });

/** A POST to the token endpoint as the Portcullis client, answered as it is (openid-client judges answers). */
async function tokenRequest(params: Record<string, string>) {
  const res = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${idp.clientId}:${idp.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const codeOf = (flow: Awaited<ReturnType<typeof signIn>>) => ({ code: flow.callback.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: flow.verifier });

/** The code exchange done by hand, so tokens from a skewed clock are seen as issued (openid-client would refuse them). */
async function rawExchange(flow: Awaited<ReturnType<typeof signIn>>) {
  const { status, body } = await tokenRequest({ grant_type: 'authorization_code', ...codeOf(flow) });
  expect(status).toBe(200);
  return body as { access_token: string; id_token: string; refresh_token: string };
}

const realNowSeconds = () => Math.floor(Date.now() / 1000);

describe('clock skew', () => {
  it.each([120, -120, 30])('shifts iat, nbf and exp of ID tokens, access tokens and minted tokens by %i s', async (skew) => {
    await idp.update({ clockSkewSeconds: skew, accessTokenTtl: 600 });
    const before = realNowSeconds();
    const tokens = await rawExchange(await signIn(config, 'alice', { hint: true }));
    const minted = await idp.mint({ persona: 'bob', expiresInSeconds: 60 });
    const after = realNowSeconds() + 1;
    for (const token of [tokens.id_token, tokens.access_token, minted.accessToken, minted.idToken]) {
      const { iat, exp } = decodeJwt(token);
      expect(iat).toBeGreaterThanOrEqual(before + skew);
      expect(iat).toBeLessThanOrEqual(after + skew);
      expect(exp! - iat!).toBe(token === minted.accessToken || token === minted.idToken ? 60 : 600);
    }
    expect(decodeJwt(tokens.access_token).nbf).toBe(decodeJwt(tokens.access_token).iat);
    await idp.update({ accessTokenTtl: 3600 });
  });

  it('judges refresh-token lifetimes by its own clock (refreshTokenTtl)', async () => {
    await idp.update({ refreshTokenTtl: 300 });
    try {
      const tokens = await exchange(config, await signIn(config, 'alice', { hint: true }));
      await idp.update({ clockSkewSeconds: 600 });
      await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

      await idp.update({ clockSkewSeconds: 0 });
      const fresh = await exchange(config, await signIn(config, 'alice', { hint: true }));
      await idp.update({ clockSkewSeconds: 240 });
      expect((await client.refreshTokenGrant(config, fresh.refresh_token!)).access_token).toBeTruthy();
    } finally {
      await idp.update({ refreshTokenTtl: 30 * 24 * 60 * 60 });
    }
  });
});

describe('refresh tokens', () => {
  it('are issued to a client that asks for offline_access, and not to one that does not', async () => {
    const asked = await exchange(config, await signIn(config, 'alice', { hint: true }));
    expect(asked.refresh_token).toBeTruthy();
    const plain = await exchange(config, await signIn(config, 'alice', { hint: true, params: { scope: 'openid email profile groups' } }));
    expect(plain.access_token).toBeTruthy();
    expect(plain.refresh_token).toBeUndefined();
  });

  it('come with refresh_expires_in, the refreshTokenTtl left, also after a refresh', async () => {
    await idp.update({ refreshTokenTtl: 900 });
    try {
      const first = await tokenRequest({ grant_type: 'authorization_code', ...codeOf(await signIn(config, 'alice', { hint: true })) });
      // Counted in whole seconds on a clock that may tick between issuing and answering.
      expect(first.body.refresh_expires_in).toBeGreaterThanOrEqual(899);
      expect(first.body.refresh_expires_in).toBeLessThanOrEqual(900);
      const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string });
      expect(refreshed.body.refresh_expires_in).toBeGreaterThanOrEqual(899);
      const plain = await exchange(config, await signIn(config, 'alice', { hint: true, params: { scope: 'openid email' } }));
      expect(plain).not.toHaveProperty('refresh_expires_in');
    } finally {
      await idp.update({ refreshTokenTtl: 30 * 24 * 60 * 60 });
    }
  });

  it('are not issued for the provider\'s own offline flag sent by the client instead of the scope', async () => {
    const spoofed = await exchange(config, await signIn(config, 'alice', { hint: true, params: { scope: 'openid email', portcullis_offline: '1' } }));
    expect(spoofed.refresh_token).toBeUndefined();
  });
});

describe('faults', () => {
  it.each(['access_denied', 'login_required', 'server_error'] as const)('signIn %s ends the sign-in at the client\'s callback with that error', async (error) => {
    await faults({ signIn: error });
    const flow = await signIn(config, 'alice', { hint: true });
    expect(flow.callback.origin + flow.callback.pathname).toBe(CALLBACK);
    expect(flow.callback.searchParams.get('error')).toBe(error);
    expect(flow.callback.searchParams.get('error_description')).toContain('fault set in Portcullis');
    expect(flow.callback.searchParams.get('state')).toBe(flow.state);
    expect(flow.callback.searchParams.has('code')).toBe(false);
  });

  it('signIn shows no persona page, even without login_hint', async () => {
    await faults({ signIn: 'access_denied' });
    const flow = await signIn(config, 'alice');
    expect(flow.sawPage).toBe(false);
    expect(flow.callback.searchParams.get('error')).toBe('access_denied');
  });

  it.each([
    ['invalid_grant', 400],
    ['server_error', 500],
  ] as const)('refresh %s is the token endpoint\'s answer to a refresh, and the refresh token survives it', async (error, status) => {
    const tokens = await exchange(config, await signIn(config, 'alice', { hint: true }));
    await faults({ refresh: error });
    const refused = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(refused.status).toBe(status);
    expect(refused.body).toMatchObject({ error, error_description: expect.stringContaining('fault set in Portcullis') });
    expect(refused.body).not.toHaveProperty('access_token');
    // Other grants are untouched by a refresh fault.
    expect((await exchange(config, await signIn(config, 'bob', { hint: true }))).claims()?.sub).toBe('bob');
    await idp.setFaults(NO_FAULTS);
    expect((await client.refreshTokenGrant(config, tokens.refresh_token!)).claims()?.sub).toBe('alice');
  });

  it('latencyMs holds back the token endpoint but not the JWKS or discovery', async () => {
    const flow = await signIn(config, 'alice', { hint: true });
    await faults({ latencyMs: 3000 });
    let exchanged = false;
    const exchanging = exchange(config, flow).then((tokens) => {
      exchanged = true;
      return tokens;
    });
    expect((await fetch(config.serverMetadata().jwks_uri!)).status).toBe(200);
    expect((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    expect(exchanged).toBe(false);
    expect((await exchanging).claims()?.sub).toBe('alice');
  });

  it('down resets every connection until cleared', async () => {
    await faults({ down: true });
    await expect(fetch(`${idp.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    await expect(fetch(config.serverMetadata().jwks_uri!)).rejects.toThrow();
    await idp.setFaults(NO_FAULTS);
    expect((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it.each([
    [{ signIn: 'nope' }, 'signIn must be one of access_denied, login_required, server_error or null'],
    [{ refresh: 'access_denied' }, 'refresh must be one of invalid_grant, server_error or null'],
    [{ latencyMs: 30_001 }, 'latencyMs must be a whole number from 0 to 30000'],
    [{ latencyMs: -1 }, 'latencyMs must be a whole number from 0 to 30000'],
    [{ down: 'yes' }, 'down must be true or false'],
    [{ slow: true }, 'unknown fault "slow"'],
  ])('refuses the faults %j with a clear message and keeps the faults in force', async (bad, message) => {
    await faults({ latencyMs: 1 });
    const attempt = idp.setFaults(bad as unknown as IdpFaults);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toBeInstanceOf(IdpRequestError);
    expect(await idp.setFaults({ ...NO_FAULTS, latencyMs: 1 })).toEqual({ ...NO_FAULTS, latencyMs: 1 });
  });
});

/** The provider's sign-out confirmation, submitted as a browser would. */
async function signOutAtProvider(browser: Browser, idToken: string, postLogoutRedirectUri: string) {
  const endSession = new URL(config.serverMetadata().end_session_endpoint!);
  endSession.search = new URLSearchParams({ id_token_hint: idToken, client_id: idp.clientId, post_logout_redirect_uri: postLogoutRedirectUri, state: 'after-sign-out' }).toString();
  const page = await browser.request(endSession);
  expect(page.status).toBe(200);
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(page.body)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1];
  expect(action && xsrf).toBeTruthy();
  return browser.request(new URL(action!, endSession), { form: { xsrf: xsrf!, logout: 'yes' } });
}

describe('end session', () => {
  it.each(['http://localhost:4181/', 'http://127.0.0.1:50123/oauth2/signed_out?rd=%2Fhome'])('sends the browser back to the listener %s, ends the provider session, and the next sign-in asks for a persona', async (back) => {
    const browser = new Browser();
    const flow = await signIn(config, 'alice', { browser });
    const tokens = await exchange(config, flow);
    const sessionCookies = () => browser.cookieNames(idp.issuer).filter((name) => /session/i.test(name));
    expect(sessionCookies()).not.toEqual([]);
    const done = await signOutAtProvider(browser, tokens.id_token!, back);
    expect(done.status).toBe(303);
    expect(done.location?.href).toBe(new URL(`${back}${back.includes('?') ? '&' : '?'}state=after-sign-out`).href);
    expect(sessionCookies()).toEqual([]);
    const again = await browser.follow((await authorizationUrl(config)).url, 'http://127.0.0.1:4180');
    expect(again.status).toBe(200);
    expect(again.body).toContain('Choose a persona');
  });

  it.each(['https://evil.example/', 'http://localhost.evil.example/', 'http://user@localhost:4181/'])('refuses to send the browser to %s', async (back) => {
    const browser = new Browser();
    const tokens = await exchange(config, await signIn(config, 'alice', { browser, hint: true }));
    const endSession = new URL(config.serverMetadata().end_session_endpoint!);
    endSession.search = new URLSearchParams({ id_token_hint: tokens.id_token!, client_id: idp.clientId, post_logout_redirect_uri: back }).toString();
    const page = await browser.request(endSession);
    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
    expect(page.body).toContain('post_logout_redirect_uri');
  });
});

describe('headless sign-in (switch persona)', () => {
  it('signs in a persona for the engine\'s own authorization request; the code exchange gives that persona\'s tokens', async () => {
    const auth = await authorizationUrl(config);
    const { callbackUrl } = await idp.signIn({ authorizationUrl: auth.url.href, persona: 'bob' });
    const callback = new URL(callbackUrl);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe(auth.state);
    const tokens = await exchange(config, { ...auth, callback });
    expect(tokens.claims()).toMatchObject({ sub: 'bob', groups: ['devs'], roles: ['viewer'] });
    expect(tokens.refresh_token).toBeTruthy();
    expect((await client.refreshTokenGrant(config, tokens.refresh_token!)).claims()?.sub).toBe('bob');
  });

  it('ends with the sign-in fault at the callback, as a browser sign-in would', async () => {
    await faults({ signIn: 'access_denied' });
    const auth = await authorizationUrl(config);
    const { callbackUrl } = await idp.signIn({ authorizationUrl: auth.url.href, persona: 'bob' });
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
  });

  it.each([
    ['an unknown persona', async () => (await authorizationUrl(config)).url.href, 'mallory', 'No persona is called "mallory"'],
    ['another server\'s URL', async () => 'https://evil.example/auth?client_id=portcullis', 'bob', 'authorizationUrl must be this provider\'s authorization endpoint'],
    ['another path of the provider', async () => `${idp.issuer}/token`, 'bob', 'authorizationUrl must be this provider\'s authorization endpoint'],
    ['not a URL', async () => 'not a url', 'bob', 'authorizationUrl is not a URL'],
  ])('refuses %s with a clear message', async (_name, url, persona, message) => {
    const attempt = idp.signIn({ authorizationUrl: await url(), persona });
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toBeInstanceOf(IdpRequestError);
  });
});
