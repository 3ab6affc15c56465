// Claims, roles and bearer tokens against the real built-in IdP (docs/configuration.md, "Claims"
// and "Bearer tokens"): tokens minted through the control API and got with the client-credentials
// grant pass an upstream with bearerTokens on; claim headers reach the app and cannot be forged;
// allowedRoles decides; hostile tokens get 401 with a reason, never a redirect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose';
import { createPublicKey } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rawRequest, startTestConsole, type TestConsole } from '../support/engine.ts';
import { startEcho, type EchoTarget } from '../support/echo.ts';

const SECRET_ENV = 'PORTCULLIS_TEST_CLAIMS_JOB_SECRET';
const secret = 'claims-job-secret';
let t: TestConsole;
let echo: EchoTarget;

const personas = [
  { username: 'alice', email: 'alice@example.test', name: 'Alice', groups: ['admins'], claims: { tid: 'tenant-1', realm_access: { roles: ['reporter', 'viewer'] }, 'https://example.com/plan': 'pro' } },
  { username: 'bob', email: 'bob@example.test', name: 'Bob', groups: ['devs'], claims: { realm_access: { roles: ['viewer'] } } },
];

beforeAll(async () => {
  process.env[SECRET_ENV] = secret;
  echo = await startEcho();
  t = await startTestConsole({
    target: echo.url,
    app: {
      bearerTokens: true,
      extraAudiences: ['reports-api'],
      allowedRoles: ['reporter'],
      claimHeaders: { 'X-User-Tenant': 'tid', 'X-User-Roles': 'realm_access.roles', 'X-User-Plan': 'https://example.com/plan', 'X-Auth-User': '$' },
    },
    builtinIdp: { users: personas, clients: [{ clientId: 'reports-job', clientSecret: { env: SECRET_ENV }, claims: { realm_access: { roles: ['reporter'] } } }] },
  });
  const config = await t.savedConfig();
  await t.engine.saveProvider({ ...config.providers[0], type: 'builtin', rolesClaim: 'realm_access.roles' } as never);
});

afterAll(async () => {
  await t?.close();
  await echo?.stop();
  delete process.env[SECRET_ENV];
});

async function mint(body: object) {
  return t.call('POST', '/api/v1/tokens', { body });
}
const get = (headers: Record<string, string>, path = '/api/data') => rawRequest(t.appPort, 'GET', path, { headers });
const lastEcho = () => echo.requests.at(-1)!;

describe('POST /api/v1/tokens (mint)', () => {
  it('answers tokens and a curl line for a persona', async () => {
    const res = await mint({ persona: 'alice', expiresIn: 300, claims: { plan: 'gold' } });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'curl', 'expiresAt', 'idToken']);
    expect(body.curl).toBe(`curl -H 'Authorization: Bearer ${body.accessToken}' http://localhost:${t.appPort}/`);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
  });

  it.each([
    [{ persona: 'nobody' }, /No persona is called/],
    [{ persona: 'alice', expiresIn: 0 }, /expiresIn/],
    [{ persona: 'alice', expiresIn: 86_401 }, /expiresIn/],
    [{ persona: 'alice', claims: { iss: 'http://evil.test' } }, /protocol claim iss/],
    [{ persona: 'alice', extra: 1 }, /extra/],
  ])('refuses %j with a clear message', async (body, message) => {
    const res = await mint(body);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(message);
  });
});

describe('bearer tokens on an upstream with bearerTokens on', () => {
  it('lets a minted token through, with identity and claim headers and no cookie', async () => {
    const { accessToken } = (await mint({ persona: 'alice' })).json();
    const res = await get({ Authorization: `Bearer ${accessToken}` });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const seen = lastEcho().headers;
    expect(seen['x-forwarded-email']).toBe('alice@example.test');
    expect(seen['x-user-tenant']).toBe('tenant-1');
    expect(seen['x-user-roles']).toBe('reporter,viewer');
    expect(seen['x-user-plan']).toBe('pro');
    expect(JSON.parse(seen['x-auth-user'] as string)).toMatchObject({ sub: 'alice', tid: 'tenant-1', realm_access: { roles: ['reporter', 'viewer'] } });
    const log = await t.engine.listRequests({ upstream: 'app', limit: 1 });
    expect(log[0]).toMatchObject({ status: 200, decision: 'allowed', rule: 'allowedRoles', reason: 'allowed: has role reporter (bearer token)' });
    expect(JSON.stringify(await t.engine.listRequests())).not.toContain(accessToken);
  });

  it('denies a persona without the role, in the words of allowedGroups', async () => {
    const { accessToken } = (await mint({ persona: 'bob' })).json();
    const res = await get({ Authorization: `Bearer ${accessToken}` });
    expect(res.status).toBe(403);
    expect(res.text).toContain('needs role reporter; has viewer');
  });

  it('lets a service client in with a token from the client-credentials grant', async () => {
    const res = await fetch(`http://127.0.0.1:${t.idpPort}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`reports-job:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    const reply = await get({ Authorization: `Bearer ${token}` });
    expect(reply.status).toBe(200);
    expect(lastEcho().headers['x-forwarded-user']).toBe('reports-job');
  });

  it('accepts a token for one of extraAudiences', async () => {
    const ok = (await mint({ persona: 'alice', audience: 'reports-api' })).json().accessToken;
    expect((await get({ Authorization: `Bearer ${ok}` })).status).toBe(200);
  });

  it('never passes a client-supplied claim header, in any spelling', async () => {
    const { accessToken } = (await mint({ persona: 'bob', claims: { realm_access: { roles: ['reporter'] } } })).json();
    const before = echo.requests.length;
    const res = await get({ Authorization: `Bearer ${accessToken}`, 'X-User-Tenant': 'forged-1', 'x-user_tenant': 'forged-2', 'X_USER_TENANT': 'forged-3' });
    expect(res.status).toBe(200);
    expect(echo.requests.length).toBe(before + 1);
    const raw = lastEcho().rawHeaders.filter(([name]) => name.toLowerCase().replaceAll('_', '-') === 'x-user-tenant');
    expect(raw).toEqual([]);
  });
});

// The way a developer's script calls the API: the real curl, spawned. `-w` prints the status
// after the body, so the test sees both.
const run = promisify(execFile);
const curl = async (args: string[]) => {
  const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', ...args]);
  const at = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, at), status: Number(stdout.slice(at + 1)) };
};

describe('with the real curl', () => {
  it('the curl line POST /api/v1/tokens answers works as printed, pasted into a shell', async () => {
    const { curl: line } = (await mint({ persona: 'alice' })).json();
    const { stdout } = await run('/bin/sh', ['-c', `${line} -sS -o /dev/null -w '%{http_code}'`]);
    expect(stdout).toBe('200');
    expect(lastEcho().headers['x-forwarded-email']).toBe('alice@example.test');
    expect(lastEcho().headers['x-user-roles']).toBe('reporter,viewer');
  });

  it('a service client gets a token from the client-credentials grant and calls the upstream with it', async () => {
    const grant = await curl(['-u', `reports-job:${secret}`, '-d', 'grant_type=client_credentials', `http://127.0.0.1:${t.idpPort}/token`]);
    expect(grant.status).toBe(200);
    const { access_token: token, token_type: type } = JSON.parse(grant.body) as { access_token: string; token_type: string };
    expect(type).toBe('Bearer');
    const call = await curl(['-H', `Authorization: Bearer ${token}`, `http://127.0.0.1:${t.appPort}/api/report`]);
    expect(call.status).toBe(200);
    expect(lastEcho().headers['x-forwarded-user']).toBe('reports-job');
    expect(lastEcho().headers['x-user-roles']).toBe('reporter');
  });

  it('a bad token gets 401 JSON that says why, and curl is not redirected', async () => {
    const res = await curl(['-i', '-H', 'Authorization: Bearer not-a-jwt', `http://127.0.0.1:${t.appPort}/api/report`]);
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/^www-authenticate: Bearer error="invalid_token", error_description="not a JWT"\r?$/im);
    expect(res.body).not.toMatch(/^location:/im);
  });
});

describe('identity simulation of roles and claims', () => {
  it('lets bob in with a simulated role and claim, and says which parts are simulated', async () => {
    const { accessToken } = (await mint({ persona: 'bob' })).json();
    await t.call('PUT', '/api/v1/upstreams/app/simulation', { body: { roles: ['reporter'], claims: { tid: 'simulated-tenant' } } });
    try {
      const res = await get({ Authorization: `Bearer ${accessToken}` });
      expect(res.status).toBe(200);
      expect(res.headers['x-portcullis-simulated']).toBe('roles,claims');
      expect(lastEcho().headers['x-user-tenant']).toBe('simulated-tenant');
      const log = (await t.engine.listRequests({ upstream: 'app', limit: 1 }))[0];
      expect(log).toMatchObject({ simulated: true, reason: 'allowed: has role reporter (simulated) (bearer token)' });
      expect((await t.engine.getState()).upstreams[0].status.simulation).toEqual({ roles: ['reporter'], claims: { tid: 'simulated-tenant' } });
    } finally {
      await t.call('DELETE', '/api/v1/upstreams/app/simulation');
    }
    expect((await get({ Authorization: `Bearer ${accessToken}` })).status).toBe(403);
  });
});

describe('hostile bearer tokens', () => {
  let good: string;
  let otherKey: CryptoKey;
  let issuer: string;
  beforeAll(async () => {
    good = (await mint({ persona: 'alice' })).json().accessToken;
    issuer = `http://127.0.0.1:${t.idpPort}`;
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
  });

  const forged = async (payload: Record<string, unknown>, opts: { kid?: string } = {}) =>
    new SignJWT({ sub: 'alice', email: 'alice@example.test', realm_access: { roles: ['reporter'] }, ...payload })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'unknown-kid' })
      .sign(otherKey);
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['a token for another audience', async () => (await mint({ persona: 'alice', audience: 'somebody-else' })).json().accessToken, /wrong audience \(expected portcullis or reports-api\)/],
    ['a token of another key under the provider\'s kid', async () => forged({ iss: issuer, aud: 'portcullis', exp: Math.floor(Date.now() / 1000) + 300 }, { kid: decodeProtectedHeader(good).kid as string }), /bad signature/],
    ['alg none', async () => `${b64({ alg: 'none' })}.${good.split('.')[1]}.`, /unsigned token \(alg none\)/],
    ['HS256 signed with the public key', async () => {
      const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: object[] };
      const pem = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      return new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(pem as string));
    }, /signing algorithm HS256 is not accepted/],
    ['an unknown kid', async () => forged({ iss: issuer, aud: 'portcullis', exp: Math.floor(Date.now() / 1000) + 300 }), /unknown signing key/],
    ['a truncated token', async () => good.slice(0, good.length - 20), /bad signature|not a JWT/],
    ['not a JWT', async () => 'opaque-token-value', /not a JWT/],
    ['a 100 KiB token', async () => `${good.split('.')[0]}.${'A'.repeat(100 * 1024)}.sig`, /token too large/],
  ];

  it.each(cases)('%s gets 401 with a reason and never a redirect', async (_name, token, reason) => {
    const value = await token();
    const res = await get({ Authorization: `Bearer ${value}`, Accept: 'text/html' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    expect(res.headers['www-authenticate']).toMatch(reason);
    const log = (await t.engine.listRequests({ upstream: 'app', limit: 1 }))[0];
    expect(log.reason).toMatch(/^bearer token refused: /);
    expect(JSON.stringify(log)).not.toContain(value.slice(0, 40));
  });
});
