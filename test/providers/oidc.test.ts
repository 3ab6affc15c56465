// The OIDC provider (and the `builtin` provider type) against the real built-in identity
// provider, walked through its no-JavaScript sign-in form.

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Persona } from '../../electron/engine/config/types.ts';
import { startBuiltinIdp, type BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { createProvider } from '../../electron/engine/providers/create-provider.ts';
import { ProviderError } from '../../electron/engine/providers/provider-error.ts';
import type { AuthProvider } from '../../electron/engine/providers/types.ts';
import { Browser, formAction } from '../idp/browser.ts';

const personas: Persona[] = [
  { username: 'alice', email: 'alice@example.test', name: 'Alice Admin', groups: ['admins', 'devs'] },
  { username: 'bob', email: 'bob@example.test', name: 'Bob', groups: ['devs'] },
];
const REDIRECT_URI = 'http://localhost:4180/oauth2/callback';
const CALLBACK_ORIGIN = 'http://localhost:4180';

let dataDir: string;
let idp: BuiltinIdp;
let provider: AuthProvider;
let fakeIssuer: Server;
let fakeIssuerUrl: string;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts a sign-in and returns where the browser lands back, choosing `persona` on the form. */
async function browse(p: AuthProvider, persona: string, form: Record<string, string> = { login: persona }) {
  const { url, checks } = await p.startAuth({ redirectUri: REDIRECT_URI });
  const browser = new Browser();
  const page = await browser.follow(url, CALLBACK_ORIGIN);
  const back = await browser.follow(formAction(page.body, page.url), CALLBACK_ORIGIN, { form });
  if (!back.location) throw new Error(`no callback: ${back.status}`);
  return { callbackUrl: back.location, checks };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portcullis-oidc-'));
  idp = await startBuiltinIdp({ port: 0, users: personas, dataDir });
  provider = createProvider({ id: 'builtin', type: 'builtin' }, { builtin: idp });
  await provider.ensureReady();
  fakeIssuer = createServer((req, res) => {
    if (req.url === '/html/.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>a web page</html>');
    } else if (req.url === '/other/.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ issuer: 'https://somewhere.else/', authorization_endpoint: 'https://somewhere.else/a', token_endpoint: 'https://somewhere.else/t' }));
    } else {
      res.writeHead(404).end('not found');
    }
  });
  fakeIssuerUrl = await listen(fakeIssuer);
});

afterAll(async () => {
  fakeIssuer?.closeAllConnections();
  await new Promise((resolve) => fakeIssuer?.close(resolve));
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('oidc provider against the built-in identity provider', () => {
  it('is ready after discovery', async () => {
    await expect(provider.ensureReady()).resolves.toBeUndefined();
    expect(provider.type).toBe('builtin');
  });

  it('has no status() of its own: readiness is the registry\'s answer, from ensureReady', () => {
    expect('status' in provider).toBe(false);
  });

  it('builds an authorization URL with state, nonce, PKCE S256 and the login hint', async () => {
    const { url, checks } = await provider.startAuth({ redirectUri: REDIRECT_URI, loginHint: 'bob' });
    const params = new URL(url).searchParams;
    expect(url.startsWith(`${idp.issuer}/auth?`)).toBe(true);
    expect(params.get('state')).toBe(checks.state);
    expect(params.get('nonce')).toBe(checks.nonce);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge')).not.toBe(checks.codeVerifier);
    expect(params.get('login_hint')).toBe('bob');
    expect(params.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(params.get('scope')).toBe('openid offline_access email profile groups');
    expect(params.get('client_secret')).toBeNull();
  });

  it('completes the code flow with the persona chosen on the form', async () => {
    const { callbackUrl, checks } = await browse(provider, 'alice');
    const result = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks });
    expect(result.identity).toMatchObject({ user: 'alice', email: 'alice@example.test', groups: ['admins', 'devs'], roles: [], preferredUsername: 'alice', name: 'Alice Admin' });
    expect(result.identity.claims).toMatchObject({ sub: 'alice', email: 'alice@example.test', groups: ['admins', 'devs'] });
    expect(result.tokens.idToken).toBeTruthy();
    expect(result.tokens.refreshToken).toBeTruthy();
    expect(result.tokens.expiresAt).toBeGreaterThan(Date.now());
    expect(provider.canRefresh(result.tokens)).toBe(true);
    // Userinfo is fetched for the console even when the ID token says everything.
    expect(result.userinfo).toMatchObject({ sub: 'alice', email: 'alice@example.test' });
  });

  it('signs in the login_hint persona without the page', async () => {
    const { url, checks } = await provider.startAuth({ redirectUri: REDIRECT_URI, loginHint: 'bob' });
    const back = await new Browser().follow(url, CALLBACK_ORIGIN);
    const result = await provider.finishAuth({ callbackUrl: back.location!, redirectUri: REDIRECT_URI, checks });
    expect(result.identity.user).toBe('bob');
  });

  it('refreshes, keeping the identity', async () => {
    const { callbackUrl, checks } = await browse(provider, 'bob');
    const first = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks });
    const refreshed = await provider.refresh(first.tokens);
    expect(refreshed.identity.user).toBe('bob');
    expect(refreshed.identity.groups).toEqual(['devs']);
    expect(refreshed.tokens.accessToken).not.toBe(first.tokens.accessToken);
    expect(refreshed.tokens.refreshToken).toBeTruthy();
  });

  it('rejects a callback whose state does not match', async () => {
    const { callbackUrl, checks } = await browse(provider, 'alice');
    const err = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks: { ...checks, state: 'another-state' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('state_mismatch');
    expect((err as ProviderError).message).toMatch(/state mismatch/);
  });

  it('turns the provider error=access_denied into a ProviderError with that code', async () => {
    const { callbackUrl, checks } = await browse(provider, 'alice', { cancel: '1' });
    expect(callbackUrl.searchParams.get('error')).toBe('access_denied');
    const err = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('access_denied');
    expect((err as ProviderError).message).toContain('cancelled');
  });

  it.each([
    ['a replayed code', 'replay'],
    ['a wrong PKCE verifier', 'verifier'],
    ['a made-up code', 'forged'],
  ])('rejects %s with invalid_grant', async (_name, mode) => {
    const { callbackUrl, checks } = await browse(provider, 'alice');
    if (mode === 'replay') await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks });
    if (mode === 'forged') callbackUrl.searchParams.set('code', 'made-up-code');
    const used = mode === 'verifier' ? { ...checks, codeVerifier: 'x'.repeat(43) } : checks;
    const err = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks: used }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('invalid_grant');
  });

  it.each([
    ['a hostile error code', { error: '<script>x</script>' }, 'provider_error'],
    ['no code at all', {}, 'invalid_request'],
  ])('rejects a callback with %s', async (_name, extra, code) => {
    const { checks } = await provider.startAuth({ redirectUri: REDIRECT_URI });
    const callbackUrl = new URL(REDIRECT_URI);
    callbackUrl.search = new URLSearchParams({ state: checks.state, ...extra }).toString();
    const err = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks }).catch((e: unknown) => e);
    expect((err as ProviderError).code).toBe(code);
    expect((err as ProviderError).message).not.toContain('<script>');
  });

  it('verifies its own ID tokens and rejects tampered ones', async () => {
    const { callbackUrl, checks } = await browse(provider, 'alice');
    const { tokens } = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks });
    expect(await provider.verifyJwt(tokens.idToken!)).toBe(true);
    const [header, payload, signature] = tokens.idToken!.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), groups: ['admins', 'root'] })).toString('base64url');
    expect(await provider.verifyJwt(`${header}.${forged}.${signature}`)).toBe(false);
    expect(await provider.verifyJwt(`${header}.${payload}.${signature.slice(0, -4)}AAAA`)).toBe(false);
    expect(await provider.verifyJwt('not-a-jwt')).toBe(false);
    // Its access tokens are JWTs (RFC 9068) signed with the same keys.
    expect(await provider.verifyJwt(tokens.accessToken)).toBe(true);
  });

  it('revokes the tokens so they no longer refresh', async () => {
    const { callbackUrl, checks } = await browse(provider, 'alice');
    const { tokens } = await provider.finishAuth({ callbackUrl, redirectUri: REDIRECT_URI, checks });
    expect(await provider.revoke(tokens)).toBe(true);
    const err = await provider.refresh(tokens).catch((e: unknown) => e);
    expect((err as ProviderError).code).toBe('invalid_grant');
  });
});

describe('oidc provider discovery failures', () => {
  async function closedPortUrl(): Promise<string> {
    const server = createServer();
    const url = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    return url;
  }

  it.each([
    ['unreachable', async () => closedPortUrl(), /The issuer http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)/],
    ['not an OIDC issuer (404)', async () => `${fakeIssuerUrl}/nothing`, /is not an OIDC issuer \(no discovery document/],
    ['not an OIDC issuer (HTML)', async () => `${fakeIssuerUrl}/html`, /is not an OIDC issuer \(.*not JSON\)/],
    ['issuer mismatch', async () => `${fakeIssuerUrl}/other`, /Issuer mismatch: .* names the issuer "https:\/\/somewhere\.else\/"/],
    ['http off loopback', async () => 'http://idp.example.com', /must use https \(plain http is only allowed on localhost\)/],
    ['not a URL', async () => 'not a url', /is not a URL/],
  ])('rejects %s with a clear message', async (_name, issuer, message) => {
    const p = createProvider({ id: 'x', type: 'oidc', issuer: await issuer(), clientId: 'c' }, { clientSecret: 's' });
    await expect(p.ensureReady()).rejects.toThrow(message);
    expect(await p.revoke({ accessToken: 'a' })).toBe(false);
    expect(await p.verifyJwt('a.b.c')).toBe(false);
  });

  it('accepts an issuer configured without the trailing slash its document publishes', async () => {
    const p = createProvider({ id: 'x', type: 'oidc', issuer: `${idp.issuer}/`, clientId: idp.clientId }, { clientSecret: idp.clientSecret });
    await expect(p.ensureReady()).resolves.toBeUndefined();
  });

  it('refuses a builtin provider when the built-in identity provider is not running', () => {
    expect(() => createProvider({ id: 'builtin', type: 'builtin' }, {})).toThrow(/not running/);
  });
});
