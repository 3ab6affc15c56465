// Every class of bad input to the console API is refused with a 4xx JSON error that names
// the problem (and the JSON path where there is one), and leaves the engine's state unchanged:
// settings, settings file and the secret store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../support/engine.ts';

let t: TestConsole;
let otherPort: number;
const GH_SECRET = 'provider:gh:clientSecret';
beforeAll(async () => {
  t = await startTestConsole();
  otherPort = t.appPort + 1 === 65536 ? t.appPort - 1 : t.appPort + 1;
  await t.engine.saveProvider({ id: 'gh', type: 'github', clientId: 'abc', clientSecretValue: 'the-stored-secret' });
  expect(await t.storedSecret(GH_SECRET)).toBe('the-stored-secret');
});
afterAll(() => t?.close());

const snapshot = async () => {
  const s = await t.engine.getState();
  return {
    upstreams: s.upstreams.map(({ status: _s, ...u }) => u),
    providers: s.providers.map(({ status: _s, ...p }) => p),
    personas: s.personas,
    file: await t.savedConfig(),
    secrets: { gh: await t.storedSecret(GH_SECRET), x: await t.storedSecret('provider:x:clientSecret') },
  };
};
const upstream = (extra: object = {}) => ({ id: 'web', listen: { host: '127.0.0.1', port: otherPort }, target: 'http://127.0.0.1:9', ...extra });

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string | object | (() => object);
  headers?: Record<string, string>;
  status: number;
  code: string;
  path$?: string;
}

const cases: Case[] = [
  { name: 'port as a string', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ listen: { host: '127.0.0.1', port: '8080' } }), status: 400, code: 'invalid_body', path$: '$.listen.port' },
  { name: 'port out of range', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ listen: { host: '127.0.0.1', port: 70000 } }), status: 400, code: 'invalid_body', path$: '$.listen.port' },
  { name: 'boolean flag as a string', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ passAccessToken: 'yes' }), status: 400, code: 'invalid_body', path$: '$.passAccessToken' },
  { name: 'groups not an array', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ allowedGroups: 'admins' }), status: 400, code: 'invalid_body', path$: '$.allowedGroups' },
  { name: 'unknown top-level field', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ admin: true }), status: 400, code: 'unknown_field', path$: '$.admin' },
  { name: 'unknown nested field', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ listen: { host: '127.0.0.1', port: otherPort, tls: true } }), status: 400, code: 'unknown_field', path$: '$.listen.tls' },
  { name: 'missing target', method: 'POST', path: '/api/v1/upstreams', body: { id: 'web', listen: { host: '127.0.0.1', port: 4999 } }, status: 400, code: 'missing_field', path$: '$.target' },
  { name: 'id with a slash', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ id: '../etc' }), status: 400, code: 'invalid_body', path$: '$.id' },
  { name: 'body is an array', method: 'POST', path: '/api/v1/upstreams', body: '[]', status: 400, code: 'invalid_body', path$: '$' },
  { name: 'duplicate id', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ id: 'app' }), status: 409, code: '*', path$: '*' },
  { name: 'duplicate port', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ listen: { host: '127.0.0.1', port: t.appPort } }), status: 400, code: '*', path$: '*' },
  { name: 'unknown provider id', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ provider: 'nope' }), status: 400, code: '*', path$: '*' },
  { name: 'unparsable target URL', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ target: 'not a url' }), status: 400, code: '*', path$: '*' },
  { name: 'malformed JSON', method: 'POST', path: '/api/v1/upstreams', body: '{"id": "web",', status: 400, code: 'malformed_json' },
  { name: 'empty body', method: 'POST', path: '/api/v1/upstreams', body: '', status: 400, code: 'body_required' },
  { name: 'huge body', method: 'POST', path: '/api/v1/upstreams', body: () => upstream({ name: 'x'.repeat(300 * 1024) }), status: 413, code: 'body_too_large' },
  { name: 'form-encoded body', method: 'POST', path: '/api/v1/upstreams', body: 'id=web', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { name: 'update that renames the upstream', method: 'PUT', path: '/api/v1/upstreams/app', body: () => upstream({ id: 'web' }), status: 400, code: 'id_mismatch', path$: '$.id' },
  { name: 'update of an unknown upstream', method: 'PUT', path: '/api/v1/upstreams/ghost', body: () => upstream({ id: 'ghost' }), status: 404, code: '*' },
  { name: 'simulation groups not strings', method: 'PUT', path: '/api/v1/upstreams/app/simulation', body: { groups: [1, 2] }, status: 400, code: 'invalid_body', path$: '$.groups[0]' },
  { name: 'simulation with an extra field', method: 'PUT', path: '/api/v1/upstreams/app/simulation', body: { groups: [], forever: true }, status: 400, code: 'unknown_field', path$: '$.forever' },
  { name: 'provider of unknown type', method: 'PUT', path: '/api/v1/providers/x', body: { id: 'x', type: 'saml' }, status: 400, code: 'invalid_body', path$: '$.type' },
  { name: 'oidc provider without issuer', method: 'PUT', path: '/api/v1/providers/x', body: { id: 'x', type: 'oidc', clientId: 'c' }, status: 400, code: 'missing_field', path$: '$.issuer' },
  { name: 'new secret with a provider the settings reject', method: 'PUT', path: '/api/v1/providers/gh', body: { id: 'gh', type: 'oidc', issuer: 'not a url', clientId: 'c', clientSecretValue: 'replaced' }, status: 400, code: 'invalid_config', path$: '$.providers[1].issuer' },
  { name: 'secret for a new provider the settings reject', method: 'PUT', path: '/api/v1/providers/x', body: { id: 'x', type: 'oidc', issuer: 'ftp://x', clientId: 'c', clientSecretValue: 'fresh' }, status: 400, code: 'invalid_config', path$: '$.providers[2].issuer' },
  { name: 'client secret for the built-in provider', method: 'PUT', path: '/api/v1/providers/gh', body: { id: 'gh', type: 'builtin', clientSecretValue: 'replaced' }, status: 400, code: 'invalid_field', path$: '$.clientSecretValue' },
  { name: 'provider id differs from URL', method: 'PUT', path: '/api/v1/providers/x', body: { id: 'y', type: 'builtin' }, status: 400, code: 'id_mismatch', path$: '$.id' },
  { name: 'persona groups wrong type', method: 'PUT', path: '/api/v1/personas', body: { users: [{ username: 'eve', email: 'e@x', name: 'E', groups: 'admins' }] }, status: 400, code: 'invalid_body', path$: '$.users[0].groups' },
  { name: 'persona unknown field', method: 'PUT', path: '/api/v1/personas', body: { users: [{ username: 'eve', email: 'e@x', name: 'E', groups: [], password: 'x' }] }, status: 400, code: 'unknown_field', path$: '$.users[0].password' },
  { name: 'request filter with unknown decision', method: 'GET', path: '/api/v1/requests?decision=maybe', status: 400, code: 'invalid_parameter', path$: '?decision' },
  { name: 'request filter with unknown parameter', method: 'GET', path: '/api/v1/requests?token=x', status: 400, code: 'unknown_parameter', path$: '?token' },
  { name: 'check of a port as a string', method: 'POST', path: '/api/v1/checks/port', body: { host: '127.0.0.1', port: 'x' }, status: 400, code: 'invalid_body', path$: '$.port' },
  { name: 'unknown route', method: 'GET', path: '/api/v1/nothing', status: 404, code: 'not_found' },
  { name: 'wrong method', method: 'PATCH', path: '/api/v1/state', status: 405, code: 'method_not_allowed' },
];

describe('hostile input to the console API', () => {
  it.each(cases)('$name → $status', async (c) => {
    const before = await snapshot();
    const body = typeof c.body === 'function' ? c.body() : c.body;
    const res = await t.call(c.method, c.path, { body, headers: c.headers });
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { error } = res.json<{ error: { code: string; message: string; path?: string } }>();
    expect(error.message.length).toBeGreaterThan(5);
    if (c.code !== '*') expect(error.code).toBe(c.code);
    if (c.path$ === '*') expect(error.path).toMatch(/^\$/);
    else if (c.path$) expect(error.path).toBe(c.path$);
    expect(await snapshot()).toEqual(before);
  });
});
