// The form helpers' decisions, as the console's and the desktop's "check" buttons show them.
import { describe, expect, it } from 'vitest';
import { defaultConfig, withUpstreamDefaults } from '../../electron/engine/config/defaults.ts';
import type { PortcullisConfig } from '../../electron/engine/config/types.ts';
import { portVerdict, previewHeaders, sampleIdentity, testRoute } from '../../electron/engine/diagnostics.ts';

const upstream = (id: string, port: number, extra: Record<string, unknown> = {}) =>
  withUpstreamDefaults({ id, enabled: true, listen: { host: '127.0.0.1', port }, target: 'http://127.0.0.1:8501', provider: 'builtin', ...extra } as never);

const config: PortcullisConfig = { ...defaultConfig(), upstreams: [upstream('app', 4180), upstream('docs', 4181)] };

describe('portVerdict', () => {
  it.each([
    ['its own running listener', 4180, 'app', 4180, { ok: true, message: "port 4180 is this upstream's own listener" }],
    ["another upstream's port", 4181, 'app', 4180, { ok: false, message: 'port 4181 is already used by upstream docs' }],
    ['a new upstream asking for a taken port', 4180, undefined, undefined, { ok: false, message: 'port 4180 is already used by upstream app' }],
    ['its own configured port while stopped', 4180, 'app', undefined, undefined],
    ['a port nobody configured', 5000, 'app', 4180, undefined],
  ])('%s → %j', (_case, port, id, own, verdict) => {
    expect(portVerdict(config, port as number, id as string | undefined, own as number | undefined)).toEqual(verdict);
  });
});

describe('testRoute', () => {
  const routed = upstream('app', 4180, { skipAuthRoutes: ['GET=^/health$', '^/public/'], apiRoutes: ['^/api/'] });
  it.each([
    ['GET', '/health', { public: true, api: false, rule: 'skipAuthRoutes[0] GET=^/health$' }],
    ['POST', '/health', { public: false, api: false }],
    ['GET', '/public/a.css', { public: true, api: false, rule: 'skipAuthRoutes[1] ^/public/' }],
    ['POST', '/api/items', { public: false, api: true, rule: 'apiRoutes[0] ^/api/' }],
    ['GET', '/', { public: false, api: false }],
  ])('%s %s → %j', (method, path, answer) => {
    expect(testRoute(routed, method, path)).toEqual(answer);
  });
});

describe('testRoute with paths and rules', () => {
  const shop = upstream('app', 4180, {
    skipAuthRoutes: ['GET=^/health$'], apiRoutes: ['^/v2/'],
    paths: [{ path: '/app/api/', target: 'http://127.0.0.1:5000' }],
    rules: [{ id: 'open', path: '^/app/api/no_auth$', public: true }, { id: 'admin', path: '^/app/api/admin/', methods: ['POST'], api: true, allowedGroups: ['admins'] }],
  });
  it.each([
    ['GET', '/health', { public: true, api: false, rule: 'skipAuthRoutes[0] GET=^/health$', target: 'http://127.0.0.1:8501/health' }],
    ['GET', '/app/api/no_auth', { public: true, api: false, rule: 'rules[0] rule open (^/app/api/no_auth$)', target: 'http://127.0.0.1:5000/app/api/no_auth' }],
    ['POST', '/app/api/admin/x', { public: false, api: true, rule: 'rules[1] rule admin (^/app/api/admin/)', target: 'http://127.0.0.1:5000/app/api/admin/x' }],
    ['GET', '/app/api/admin/x', { public: false, api: false, target: 'http://127.0.0.1:5000/app/api/admin/x' }],
    ['GET', '/v2/x', { public: false, api: true, rule: 'apiRoutes[0] ^/v2/', target: 'http://127.0.0.1:8501/v2/x' }],
  ])('%s %s', (method, path, answer) => {
    expect(testRoute(shop, method, path)).toEqual(answer);
  });
});

describe('previewHeaders', () => {
  const app = upstream('app', 4180, { passAccessToken: true, setXAuthRequest: true });
  const session = { identity: { user: 'u1', email: 'bob@example.test', groups: ['devs'], roles: [], claims: {} }, tokens: { accessToken: 'real-token' } };
  it.each([
    ['a session', session, undefined, 'bob@example.test', 'devs', 'real-token'],
    ['nobody signed in: the first persona', undefined, undefined, 'alice@example.test', 'admins,devs', '<access token>'],
    ['a simulation replaces the groups', session, ['qa'], 'bob@example.test', 'qa', 'real-token'],
  ] as const)('%s', (_case, s, simulated, email, groups, token) => {
    const headers = previewHeaders(app, s, config.builtinIdp.users[0], simulated ? { groups: [...simulated] } : undefined);
    expect(headers['X-Forwarded-Email']).toBe(email);
    expect(headers['X-Forwarded-Groups']).toBe(groups);
    expect(headers['X-Forwarded-Access-Token']).toBe(token);
    expect(headers['X-Auth-Request-Email']).toBe(email);
  });

  it('falls back to alice when there are no personas', () => {
    expect(sampleIdentity(undefined)).toMatchObject({ user: 'alice', email: 'alice@example.test', groups: ['admins', 'devs'] });
  });
});
