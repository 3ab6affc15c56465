// The built-in identity provider's tokens as an app and a script see them: persona claims in
// the ID token, userinfo and the JWT access token; access tokens verified with jose against its
// JWKS; the client-credentials grant over real HTTP; token lifetimes; minted tokens.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltinIdp, type BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { IdpRequestError } from '../../electron/engine/idp/request-error.ts';
import type { Persona } from '../../electron/engine/config/types.ts';
import type { ServiceClient } from '../../electron/engine/idp/settings.ts';
import { discover, exchange, signIn } from './flow.ts';

const KEYCLOAK_CLAIMS = {
  realm_access: { roles: ['admin', 'reporter'] },
  resource_access: { shop: { roles: ['editor'] } },
  'https://example.com/roles': ['owner'],
  tid: 'tenant-1',
};

const personas: Persona[] = [
  { username: 'alice', email: 'alice@example.test', name: 'Alice Admin', groups: ['admins'], claims: KEYCLOAK_CLAIMS },
  // Entra-shaped: groups as object ids replace the names.
  { username: 'bob', email: 'bob@example.test', name: 'Bob', groups: ['devs'], claims: { groups: ['5f1c2d3e-0000-4000-8000-000000000001'], oid: 'b0b' }, accessTokenTtl: 120 },
  { username: 'carol', email: 'carol@example.test', name: 'Carol', groups: [] },
];

const reportsJob: ServiceClient = { clientId: 'reports-job', clientSecret: 'reports-job-secret-0123456789', claims: { roles: ['reporter'], tid: 'tenant-1' } };

let dataDir: string;
let idp: BuiltinIdp;
let config: client.Configuration;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portcullis-idp-tokens-'));
  idp = await startBuiltinIdp({ port: 0, users: personas, clients: [reportsJob], accessTokenTtl: 900, dataDir });
  config = await discover(idp);
  jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
});

afterAll(async () => {
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function tokensFor(persona: string, params?: Record<string, string>) {
  return exchange(config, await signIn(config, persona, { hint: true, params }));
}

async function verifyAccessToken(token: string, audience = 'portcullis') {
  return jwtVerify(token, jwks, { issuer: idp.issuer, audience, typ: 'at+jwt', algorithms: ['RS256'] });
}

describe('persona claims', () => {
  it('reach the ID token, the userinfo answer and the access token, nested and with dotted names', async () => {
    const tokens = await tokensFor('alice');
    expect(tokens.claims()).toMatchObject({ sub: 'alice', email: 'alice@example.test', groups: ['admins'], ...KEYCLOAK_CLAIMS });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'alice');
    expect(userinfo).toMatchObject({ sub: 'alice', email: 'alice@example.test', groups: ['admins'], ...KEYCLOAK_CLAIMS });
    const { payload } = await verifyAccessToken(tokens.access_token);
    expect(payload).toMatchObject({ sub: 'alice', email: 'alice@example.test', groups: ['admins'], ...KEYCLOAK_CLAIMS });
  });

  it('replace the standard ones they name (Entra groups as object ids)', async () => {
    const tokens = await tokensFor('bob');
    expect(tokens.claims()).toMatchObject({ groups: ['5f1c2d3e-0000-4000-8000-000000000001'], oid: 'b0b' });
    expect((await verifyAccessToken(tokens.access_token)).payload.groups).toEqual(['5f1c2d3e-0000-4000-8000-000000000001']);
  });

  it('of one persona never appear in another persona\'s tokens', async () => {
    const tokens = await tokensFor('carol');
    expect(tokens.claims()).not.toHaveProperty('realm_access');
    expect(tokens.claims()).not.toHaveProperty('oid');
    expect(decodeJwt(tokens.access_token)).not.toHaveProperty('tid');
  });

  it('follow a persona edited at runtime, new claim names included', async () => {
    await idp.update({ users: personas.map((p) => (p.username === 'carol' ? { ...p, claims: { plan: 'pro', 'https://example.com/tenant': 't-9' } } : p)) });
    try {
      const tokens = await tokensFor('carol');
      expect(tokens.claims()).toMatchObject({ plan: 'pro', 'https://example.com/tenant': 't-9' });
      expect(await client.fetchUserInfo(config, tokens.access_token, 'carol')).toMatchObject({ plan: 'pro' });
      expect(decodeJwt(tokens.access_token)).toMatchObject({ plan: 'pro' });
    } finally {
      await idp.update({ users: personas });
    }
  });

  it('cannot override protocol claims, even when handed to the provider directly', async () => {
    await idp.update({ users: [{ ...personas[2], claims: { sub: 'mallory', iss: 'https://evil.example', aud: 'x', exp: 1, plan: 'free' } }] });
    try {
      const tokens = await tokensFor('carol');
      expect(tokens.claims()).toMatchObject({ sub: 'carol', iss: idp.issuer, aud: 'portcullis', plan: 'free' });
      expect((await verifyAccessToken(tokens.access_token)).payload).toMatchObject({ sub: 'carol', iss: idp.issuer, aud: 'portcullis' });
    } finally {
      await idp.update({ users: personas });
    }
  });
});

describe('JWT access tokens', () => {
  it('are RFC 9068 tokens for the Portcullis client, signed with a key of the JWKS', async () => {
    const tokens = await tokensFor('alice');
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    const published = (await (await fetch(config.serverMetadata().jwks_uri!)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((k) => k.kid)).toContain(header.kid);
    const { payload } = await verifyAccessToken(tokens.access_token);
    expect(payload).toMatchObject({ iss: idp.issuer, aud: 'portcullis', client_id: 'portcullis', sub: 'alice', scope: 'openid email profile groups' });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.nbf).toBe(payload.iat);
  });

  it('are for the resource asked for', async () => {
    const tokens = await tokensFor('alice', { resource: 'https://api.example.test/' });
    const { payload } = await verifyAccessToken(tokens.access_token, 'https://api.example.test/');
    expect(payload.aud).toBe('https://api.example.test/');
    expect(payload.realm_access).toEqual(KEYCLOAK_CLAIMS.realm_access);
  });

  it('stay JWTs for the same persona across a refresh', async () => {
    const tokens = await tokensFor('alice');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await verifyAccessToken(refreshed.access_token)).payload).toMatchObject({ sub: 'alice', realm_access: KEYCLOAK_CLAIMS.realm_access });
  });

  it('are refused by userinfo once their grant is revoked (a sign-out revokes the refresh token)', async () => {
    const tokens = await tokensFor('alice');
    expect((await client.fetchUserInfo(config, tokens.access_token, 'alice')).sub).toBe('alice');
    await client.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    const res = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The JWT itself still verifies: only the provider knows it was revoked.
    await expect(verifyAccessToken(tokens.access_token)).resolves.toBeTruthy();
  });

  it('cannot be revoked one by one (RFC 7009 unsupported_token_type): they expire', async () => {
    const tokens = await tokensFor('alice');
    await expect(client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' })).rejects.toMatchObject({ error: 'unsupported_token_type' });
  });

  it.each([
    ['no token', undefined, 401, undefined],
    ['a token that is not a JWT', 'Bearer not-a-jwt', 401, 'invalid_token'],
    ['a token signed by someone else', `Bearer ${'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9'}.${Buffer.from(JSON.stringify({ sub: 'alice', scope: 'openid' })).toString('base64url')}.c2ln`, 401, 'invalid_token'],
  ])('are required by userinfo: %s is refused', async (_name, authorization, status, error) => {
    const res = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: authorization ? { Authorization: authorization } : {} });
    expect(res.status).toBe(status);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer/);
    if (error) expect(challenge).toContain(`error="${error}"`);
    expect(JSON.stringify(await res.json())).not.toContain('alice@example.test');
  });
});

async function clientCredentials(auth: 'basic' | 'post', clientId: string, secret: string, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...extra });
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  else {
    body.set('client_id', clientId);
    body.set('client_secret', secret);
  }
  const res = await fetch(`${idp.issuer}/token`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('client-credentials grant for service clients', () => {
  it.each(['basic', 'post'] as const)('gives a script a JWT with the client\'s claims (client_secret_%s)', async (auth) => {
    const { status, body } = await clientCredentials(auth, 'reports-job', reportsJob.clientSecret);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    const { payload } = await verifyAccessToken(body.access_token as string);
    expect(payload).toMatchObject({ sub: 'reports-job', client_id: 'reports-job', aud: 'portcullis', roles: ['reporter'], tid: 'tenant-1' });
  });

  it('gives a token for the resource asked for', async () => {
    const { body } = await clientCredentials('basic', 'reports-job', reportsJob.clientSecret, { resource: 'https://reports.example.test/' });
    expect((await verifyAccessToken(body.access_token as string, 'https://reports.example.test/')).payload.aud).toBe('https://reports.example.test/');
  });

  it.each([
    ['a wrong secret', 'basic', 'reports-job', 'wrong-secret'],
    ['a wrong secret posted', 'post', 'reports-job', 'wrong-secret'],
    ['an unknown client', 'basic', 'nobody', 'whatever'],
    ['the Portcullis client itself', 'basic', 'portcullis', 'guess'],
  ] as const)('refuses %s with 401 invalid_client', async (_name, auth, id, secret) => {
    const { status, body } = await clientCredentials(auth, id, secret);
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body).not.toHaveProperty('access_token');
  });

  it('refuses the Portcullis client the grant even with its real secret', async () => {
    const { status, body } = await clientCredentials('basic', 'portcullis', idp.clientSecret);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
    expect(body).not.toHaveProperty('access_token');
  });

  it('follows clients added and removed at runtime', async () => {
    const nightly: ServiceClient = { clientId: 'nightly', clientSecret: 'nightly-secret-0123456789abcdef' };
    await idp.update({ clients: [reportsJob, nightly] });
    expect((await clientCredentials('post', 'nightly', nightly.clientSecret)).status).toBe(200);
    await idp.update({ clients: [reportsJob] });
    expect((await clientCredentials('post', 'nightly', nightly.clientSecret)).status).toBe(401);
  });
});

describe('token lifetimes', () => {
  it('are accessTokenTtl for the access and ID token, and a persona\'s own where set', async () => {
    const alice = await tokensFor('alice');
    expect(alice.expires_in).toBe(900);
    const at = decodeJwt(alice.access_token);
    expect(at.exp! - at.iat!).toBe(900);
    expect(alice.claims()!.exp - alice.claims()!.iat).toBe(900);

    const bob = await tokensFor('bob');
    expect(bob.expires_in).toBe(120);
    const bobAt = decodeJwt(bob.access_token);
    expect(bobAt.exp! - bobAt.iat!).toBe(120);
    expect(bob.claims()!.exp - bob.claims()!.iat).toBe(120);
  });

  it('change at runtime', async () => {
    await idp.update({ accessTokenTtl: 5 });
    try {
      const tokens = await tokensFor('alice');
      expect(tokens.expires_in).toBe(5);
      expect((await clientCredentials('basic', 'reports-job', reportsJob.clientSecret)).body.expires_in).toBe(5);
    } finally {
      await idp.update({ accessTokenTtl: 900 });
    }
  });
});

describe('mint', () => {
  it('signs an access token and an ID token for a persona that verify against the JWKS', async () => {
    const minted = await idp.mint({ persona: 'alice', expiresInSeconds: 300, claims: { plan: 'pro' } });
    const { payload, protectedHeader } = await verifyAccessToken(minted.accessToken);
    const published = (await (await fetch(config.serverMetadata().jwks_uri!)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    expect(payload).toMatchObject({ sub: 'alice', aud: 'portcullis', client_id: 'portcullis', email: 'alice@example.test', groups: ['admins'], plan: 'pro', ...KEYCLOAK_CLAIMS });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(new Date(minted.expiresAt).getTime()).toBe(payload.exp! * 1000);

    const id = await jwtVerify(minted.idToken, jwks, { issuer: idp.issuer, audience: 'portcullis' });
    expect(id.payload).toMatchObject({ sub: 'alice', email: 'alice@example.test', plan: 'pro', realm_access: KEYCLOAK_CLAIMS.realm_access });
  });

  it('makes the access token for the audience asked for, and userinfo answers it', async () => {
    const minted = await idp.mint({ persona: 'bob', audience: 'reports-api', expiresInSeconds: 60 });
    expect((await verifyAccessToken(minted.accessToken, 'reports-api')).payload.aud).toBe('reports-api');
    expect(await client.fetchUserInfo(config, minted.accessToken, 'bob')).toMatchObject({ sub: 'bob', oid: 'b0b' });
  });

  it.each([
    ['an unknown persona', { persona: 'mallory', expiresInSeconds: 60 }, 'No persona is called "mallory"'],
    ['a lifetime of 0', { persona: 'alice', expiresInSeconds: 0 }, 'expiresInSeconds must be a whole number from 1 to 86400'],
    ['a lifetime over a day', { persona: 'alice', expiresInSeconds: 86_401 }, 'expiresInSeconds must be a whole number from 1 to 86400'],
    ['a fractional lifetime', { persona: 'alice', expiresInSeconds: 1.5 }, 'expiresInSeconds must be a whole number'],
    ['protocol claims', { persona: 'alice', expiresInSeconds: 60, claims: { sub: 'root', exp: 1 } }, 'claims cannot set the protocol claims sub, exp'],
    ['claims that are not an object', { persona: 'alice', expiresInSeconds: 60, claims: ['x'] as unknown as Record<string, unknown> }, 'claims must be a JSON object'],
    ['an empty audience', { persona: 'alice', expiresInSeconds: 60, audience: '' }, 'audience must be a non-empty string'],
  ])('refuses %s with a clear message', async (_name, request, message) => {
    const attempt = idp.mint(request);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toBeInstanceOf(IdpRequestError);
  });
});
