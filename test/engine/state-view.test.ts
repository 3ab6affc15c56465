// The state the UIs show, projected from what the engine knows.
import { describe, expect, it } from 'vitest';
import { defaultConfig, withUpstreamDefaults } from '../../electron/engine/config/defaults.ts';
import { listenerUrl, projectState, type StateFacts } from '../../electron/engine/state-view.ts';

const upstream = (id: string, host: string, port: number) =>
  withUpstreamDefaults({ id, enabled: true, listen: { host, port }, target: 'http://127.0.0.1:8501', provider: 'builtin' } as never);

describe('listenerUrl', () => {
  it.each([
    ['127.0.0.1', 4180, undefined, 'http://localhost:4180'],
    ['0.0.0.0', 4180, undefined, 'http://localhost:4180'],
    ['::1', 4180, undefined, 'http://localhost:4180'],
    ['192.168.1.5', 4180, undefined, 'http://192.168.1.5:4180'],
    ['127.0.0.1', 0, 39001, 'http://localhost:39001'],
  ])('%s:%s (bound %s) → %s', (host, port, bound, url) => {
    expect(listenerUrl(upstream('app', host, port), bound)).toBe(url);
  });
});

describe('projectState', () => {
  const base = (over: Partial<StateFacts> = {}): StateFacts => ({
    config: { ...defaultConfig(), upstreams: [upstream('app', '127.0.0.1', 4180)] },
    listener: () => undefined,
    providerStatus: () => ({ ready: true }),
    targetReachable: () => undefined,
    requestCount: () => 0,
    targetRequestCount: () => 0,
    simulation: () => undefined,
    sessions: [],
    settingsPath: '/tmp/portcullis.json',
    ...over,
  });

  it.each([
    ['never started', base(), { id: 'app', state: 'stopped', url: 'http://localhost:4180', requestCount: 0 }],
    ['running on its port, target up, 3 requests', base({ listener: () => ({ state: 'running', port: 4180 }), targetReachable: () => true, requestCount: () => 3 }),
      { id: 'app', state: 'running', url: 'http://localhost:4180', targetReachable: true, requestCount: 3 }],
    ['failed to bind', base({ listener: () => ({ state: 'error', error: 'port 4180 on 127.0.0.1 is in use by another program' }) }),
      { id: 'app', state: 'error', error: 'port 4180 on 127.0.0.1 is in use by another program', url: 'http://localhost:4180', requestCount: 0 }],
    ['simulating', base({ simulation: () => ({ groups: ['qa'] }) }), { id: 'app', state: 'stopped', url: 'http://localhost:4180', requestCount: 0, simulation: { groups: ['qa'] } }],
  ])('an upstream %s', (_case, facts, status) => {
    expect(projectState(facts).upstreams[0].status).toEqual(status);
  });

  it.each([
    ['ready', { ready: true }, { id: 'builtin', type: 'builtin', ready: true, redirectUrls: ['http://localhost:39001/oauth2/callback'] }],
    ['not ready', { ready: false, error: 'discovery in progress' }, { id: 'builtin', type: 'builtin', ready: false, error: 'discovery in progress', redirectUrls: ['http://localhost:39001/oauth2/callback'] }],
  ])('a provider %s lists the callback URLs of its upstreams at their bound ports', (_case, status, shown) => {
    const facts = base({ providerStatus: () => status, listener: () => ({ state: 'running', port: 39001 }) });
    expect(projectState(facts).providers[0].status).toEqual(shown);
  });

  it('shows each path target with its own reachability and request count', () => {
    const config = { ...defaultConfig(), upstreams: [{ ...upstream('app', '127.0.0.1', 4180), paths: [{ path: '/api/', target: 'http://127.0.0.1:5000' }, { path: '/media/', target: 'http://127.0.0.1:9000' }] }] };
    const facts = base({ config, targetReachable: (_id, path) => (path === '/api/' ? true : path === '/media/' ? false : undefined), targetRequestCount: (_id, t) => (t.endsWith(':5000') ? 4 : 0) });
    expect(projectState(facts).upstreams[0].status.paths).toEqual([
      { path: '/api/', target: 'http://127.0.0.1:5000', targetReachable: true, requestCount: 4 },
      { path: '/media/', target: 'http://127.0.0.1:9000', targetReachable: false, requestCount: 0 },
    ]);
  });

  it('says the secret storage warning only when there is one', () => {
    expect(projectState(base())).not.toHaveProperty('secretStorageWarning');
    expect(projectState(base({ secretStorageWarning: 'weak' })).secretStorageWarning).toBe('weak');
  });

  it.each([
    ['an environment variable, named', { env: 'JOB_SECRET' }, { source: 'env', env: 'JOB_SECRET' }],
    ['the secret store', { secretRef: 'idp-client:job:clientSecret' }, { source: 'store' }],
    ['the settings file itself', 'written-in-the-file', { source: 'file' }],
  ])('a service client whose secret comes from %s shows where, never the secret', (_case, clientSecret, secret) => {
    const config = defaultConfig();
    config.builtinIdp.clients = [{ clientId: 'job', clientSecret, claims: { roles: ['reporter'] } }];
    const state = projectState(base({ config }));
    expect(state.serviceClients).toEqual([{ clientId: 'job', claims: { roles: ['reporter'] }, secret }]);
    expect(JSON.stringify(state)).not.toContain('written-in-the-file');
  });

  it('says why the running provider left a service client out', () => {
    const config = defaultConfig();
    config.builtinIdp.clients = [{ clientId: 'job', clientSecret: { env: 'JOB_SECRET' } }];
    const facts = base({ config, serviceClientProblem: (id) => (id === 'job' ? 'environment variable JOB_SECRET is not set' : undefined) });
    expect(projectState(facts).serviceClients[0].problem).toBe('environment variable JOB_SECRET is not set');
  });

  it('names the built-in provider\'s token endpoint while it runs', () => {
    expect(projectState(base()).idpTokenEndpoint).toBeUndefined();
    expect(projectState(base({ idpIssuer: 'http://127.0.0.1:4190' })).idpTokenEndpoint).toBe('http://127.0.0.1:4190/token');
  });
});
