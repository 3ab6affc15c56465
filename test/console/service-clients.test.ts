// The built-in provider's service clients through the console API (docs/control-api.md,
// "Service clients"): a client saved with a stored secret gets a token from the real provider's
// /token with the client-credentials grant and calls an upstream with it; the secret is in the
// secret store only, never in the settings file or the engine state; hostile bodies are refused
// with the field named and nothing changed, a stored secret included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestConsole, type TestConsole } from '../support/engine.ts';
import { startEcho, type EchoTarget } from '../support/echo.ts';

const STORED = 'idp-client:reports-job:clientSecret';
const SECRET = 'reports-job-s3cret-value';
const ENV = 'PORTCULLIS_TEST_SERVICE_CLIENT_SECRET';
const ENV_SECRET = 'from-the-environment';
let t: TestConsole;
let echo: EchoTarget;

beforeAll(async () => {
  process.env[ENV] = ENV_SECRET;
  echo = await startEcho();
  t = await startTestConsole({ target: echo.url, app: { bearerTokens: true } });
});
afterAll(async () => {
  await t?.close();
  await echo?.stop();
  delete process.env[ENV];
});

const save = (clients: unknown) => t.call('PUT', '/api/v1/idp/clients', { body: { clients } });

/** The client-credentials grant as a script sends it: client id and secret as HTTP Basic. */
async function grant(clientId: string, secret: string) {
  const res = await fetch(`http://127.0.0.1:${t.idpPort}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('PUT /api/v1/idp/clients', () => {
  it('saves a client with a stored secret that then gets a token at the real /token and calls the upstream with it', async () => {
    const res = await save([{ clientId: 'reports-job', claims: { roles: ['reporter'] }, clientSecretValue: SECRET }]);
    expect(res.status).toBe(200);
    expect(res.json().serviceClients).toEqual([{ clientId: 'reports-job', claims: { roles: ['reporter'] }, secret: { source: 'store' } }]);
    expect(res.text).not.toContain(SECRET);
    expect((await t.savedConfig()).builtinIdp.clients).toEqual([{ clientId: 'reports-job', claims: { roles: ['reporter'] }, clientSecret: { secretRef: STORED } }]);
    expect(await t.storedSecret(STORED)).toBe(SECRET);

    const token = await grant('reports-job', SECRET);
    expect(token.status).toBe(200);
    expect(claimsOf(token.body.access_token!)).toMatchObject({ sub: 'reports-job', roles: ['reporter'] });
    const call = await rawRequest(t.appPort, 'GET', '/api/report', { headers: { Authorization: `Bearer ${token.body.access_token}` } });
    expect(call.status).toBe(200);
    expect(echo.requests.at(-1)!.headers['x-forwarded-user']).toBe('reports-job');

    expect((await grant('reports-job', 'wrong')).body.error).toBe('invalid_client');
  });

  it('keeps the stored secret when a save gives none, and the running provider takes the new claims', async () => {
    const res = await save([{ clientId: 'reports-job', claims: { roles: ['auditor'] } }]);
    expect(res.status).toBe(200);
    expect(await t.storedSecret(STORED)).toBe(SECRET);
    const token = await grant('reports-job', SECRET);
    expect(claimsOf(token.body.access_token!)).toMatchObject({ roles: ['auditor'] });
  });

  it('moves a client to an environment variable, naming it in the state, and deletes the stored secret', async () => {
    const res = await save([{ clientId: 'reports-job', clientSecret: { env: ENV } }]);
    expect(res.json().serviceClients).toEqual([{ clientId: 'reports-job', secret: { source: 'env', env: ENV } }]);
    expect(await t.storedSecret(STORED)).toBeUndefined();
    expect((await grant('reports-job', ENV_SECRET)).status).toBe(200);
    expect((await grant('reports-job', SECRET)).body.error).toBe('invalid_client');
  });

  it('says why a client whose variable is not set cannot get tokens', async () => {
    const res = await save([{ clientId: 'reports-job', clientSecret: { env: ENV } }, { clientId: 'unset-job', clientSecret: { env: 'PORTCULLIS_TEST_UNSET_VARIABLE' } }]);
    expect(res.status).toBe(200);
    expect(res.json().serviceClients[0].problem).toBeUndefined();
    expect(res.json().serviceClients[1].problem).toMatch(/environment variable PORTCULLIS_TEST_UNSET_VARIABLE is not set: service client "unset-job" cannot get tokens$/);
    expect((await grant('reports-job', ENV_SECRET)).status).toBe(200);
  });

  it('never puts a secret in the engine state, and names the token endpoint there', async () => {
    expect(JSON.stringify(await t.engine.getState())).not.toContain(ENV_SECRET);
    await t.engine.saveServiceClients([{ clientId: 'reports-job', clientSecretValue: SECRET }]);
    const state = await t.engine.getState();
    expect(JSON.stringify(state)).not.toContain(SECRET);
    expect(state.idpTokenEndpoint).toBe(`http://127.0.0.1:${t.idpPort}/token`);
  });
});

describe('hostile bodies to PUT /api/v1/idp/clients', () => {
  const snapshot = async () => ({
    clients: (await t.engine.getState()).serviceClients,
    file: await t.savedConfig(),
    stored: await t.storedSecret(STORED),
    other: await t.storedSecret('idp-client:other-job:clientSecret'),
  });
  const one = (extra: object) => [{ clientId: 'reports-job', clientSecretValue: 'replaced', ...extra }];

  it.each([
    ['a client id with a slash', [{ clientId: '../etc', clientSecretValue: 'x' }], 'invalid_body', '$.clients[0].clientId'],
    ['an empty client id', [{ clientId: '', clientSecretValue: 'x' }], 'invalid_body', '$.clients[0].clientId'],
    ['the client id Portcullis itself has', [{ clientId: 'portcullis', clientSecretValue: 'x' }], 'invalid_config', '$.builtinIdp.clients[0].clientId'],
    ['a protocol claim, with a new secret', one({ claims: { sub: 'admin' } }), 'invalid_config', '$.builtinIdp.clients[0].claims.sub'],
    ['a protocol claim iss', one({ claims: { iss: 'http://evil.test' } }), 'invalid_config', '$.builtinIdp.clients[0].claims.iss'],
    ['claims that are not an object', one({ claims: ['reporter'] }), 'invalid_body', '$.clients[0].claims'],
    ['an unknown field', one({ password: 'x' }), 'unknown_field', '$.clients[0].password'],
    ['a secret written inline', [{ clientId: 'reports-job', clientSecret: 'plain' }], 'invalid_body', '$.clients[0].clientSecret'],
    ['a reference into the secret store', [{ clientId: 'reports-job', clientSecret: { secretRef: 'provider:gh:clientSecret' } }], 'missing_field', '$.clients[0].clientSecret.env'],
    ['a variable that is no variable name', [{ clientId: 'reports-job', clientSecret: { env: 'NOT-A-NAME' } }], 'invalid_config', '$.builtinIdp.clients[0].clientSecret.env'],
    ['both a variable and a value', one({ clientSecret: { env: ENV } }), 'invalid_body', '$.clients[0].clientSecretValue'],
    ['a new client with no secret', [...one({}), { clientId: 'other-job', clientSecretValue: 'x' }, { clientId: 'third-job' }], 'missing_field', '$.clients[2].clientSecret'],
    ['the same client twice, each with a new secret', [...one({}), ...one({})], 'invalid_config', '$.builtinIdp.clients[1].clientId'],
    ['an empty secret value', [{ clientId: 'reports-job', clientSecretValue: '' }], 'invalid_body', '$.clients[0].clientSecretValue'],
    ['a list instead of the body', '[]', 'invalid_body', '$'],
    ['a body without clients', {}, 'missing_field', '$.clients'],
  ])('refuses %s, naming the field, and changes nothing', async (_case, clients, code, path) => {
    const before = await snapshot();
    const res = Array.isArray(clients) ? await save(clients) : await t.call('PUT', '/api/v1/idp/clients', { body: clients });
    expect(res.status).toBe(400);
    expect(res.json().error).toMatchObject({ code, path });
    expect(res.json().error.message.length).toBeGreaterThan(5);
    expect(await snapshot()).toEqual(before);
    expect((await grant('reports-job', SECRET)).status).toBe(200);
  });
});
