// The tray menu as a pure function of the engine's state: what each state looks like, and
// which action each click asks for.
import { describe, expect, it } from 'vitest';
import type { EngineState, IdentitySimulation, ListenerState } from '../../electron/engine/api.ts';
import { buildTrayMenu, type TrayActions } from '../../electron/desktop/tray-menu.ts';
import { knownGroups, knownRoles, problems, simulationAfterToggle, toggleName, tooltip, trayStatus, upstreamLabel, type TrayModel } from '../../electron/desktop/tray-model.ts';
import { findItem } from './fake-electron.ts';

function upstream(id: string, port: number, state: ListenerState, extra: { target?: string; error?: string; simulation?: string[] | IdentitySimulation; allowedGroups?: string[]; allowedRoles?: string[] } = {}) {
  return {
    id, enabled: true, listen: { host: '127.0.0.1', port }, target: extra.target ?? 'http://127.0.0.1:8501', provider: 'builtin',
    allowedGroups: extra.allowedGroups ?? [], allowedEmails: [], emailDomains: ['*'], skipAuthRoutes: [], apiRoutes: [],
    passUserHeaders: true, passAccessToken: false, passAuthorizationHeader: false, setXAuthRequest: true, websockets: true, redirectOrigins: [], allowedRoles: extra.allowedRoles ?? [], claimHeaders: {}, bearerTokens: false, extraAudiences: [],
    status: {
      id, state, url: `http://localhost:${port}`, requestCount: 0,
      ...(extra.error ? { error: extra.error } : {}),
      ...(extra.simulation ? { simulation: Array.isArray(extra.simulation) ? { groups: extra.simulation } : extra.simulation } : {}),
    },
  };
}

function engineState(upstreams: EngineState['upstreams'], extra: Partial<EngineState> = {}): EngineState {
  return {
    upstreams,
    providers: [{ id: 'builtin', type: 'builtin', status: { id: 'builtin', type: 'builtin', ready: true, redirectUrls: [] } }],
    personas: [
      { username: 'alice', email: 'alice@example.test', name: 'Alice', groups: ['admins', 'devs'] },
      { username: 'bob', email: 'bob@example.test', name: 'Bob', groups: ['devs'], claims: { roles: ['viewer'] } },
    ],
    serviceClients: [],
    sessions: [],
    settingsPath: '/tmp/config.json',
    ...extra,
  };
}

function model(state: EngineState | undefined, extra: Partial<TrayModel> = {}): TrayModel {
  return { state, errors: [], startAtLogin: false, ...extra };
}

function recorder() {
  const calls: Array<[string, ...unknown[]]> = [];
  const actions = new Proxy({} as TrayActions, {
    get: (_t, name: string) => (...args: unknown[]) => calls.push([name, ...args]),
  });
  return { calls, actions };
}

const session = {
  id: 's1', upstreamId: 'app', providerId: 'builtin', user: 'alice', email: 'alice@example.test', groups: ['admins', 'devs'], roles: [],
  createdAt: 0, willRefresh: true, timeline: [],
};

describe('upstream entries', () => {
  it.each([
    ['running', upstream('app', 4180, 'running'), '● app  :4180 → :8501'],
    ['stopped', upstream('app', 4180, 'stopped'), '○ app  :4180 → :8501'],
    ['starting', upstream('app', 4180, 'starting'), '◐ app  :4180 → :8501'],
    ['error', upstream('app', 4180, 'error', { error: 'port 4180 is in use' }), '✕ app  :4180 → :8501'],
    ['remote target', upstream('api', 4181, 'running', { target: 'https://api.example.com/' }), '● api  :4181 → api.example.com:443'],
    ['simulating', upstream('app', 4180, 'running', { simulation: ['devs'] }), '● app  :4180 → :8501  (simulating)'],
  ])('%s shows as %s', (_name, u, label) => {
    expect(upstreamLabel(u)).toBe(label);
    const menu = buildTrayMenu(model(engineState([u])), recorder().actions);
    expect(menu.map((i) => i.label)).toContain(label);
  });

  it('lists every upstream, each with its own submenu', () => {
    const menu = buildTrayMenu(model(engineState([upstream('app', 4180, 'running'), upstream('api', 4181, 'stopped')])), recorder().actions);
    expect(findItem(menu, '● app', 'Stop').label).toBe('Stop');
    expect(findItem(menu, '○ api', 'Start').label).toBe('Start');
    expect(findItem(menu, '○ api', 'Open in browser').enabled).toBe(false);
  });

  it('shows why a listener failed inside its submenu', () => {
    const menu = buildTrayMenu(model(engineState([upstream('app', 4180, 'error', { error: 'port 4180 is in use' })])), recorder().actions);
    expect(findItem(menu, '✕ app', '⚠ port 4180 is in use').enabled).toBe(false);
  });
});

describe('clicks ask for the right action', () => {
  const state = engineState([upstream('app', 4180, 'running', { allowedGroups: ['ops'] }), upstream('api', 4181, 'stopped')], { sessions: [session] });
  it.each([
    [['● app', 'Open in browser'], ['openInBrowser', 'http://localhost:4180']],
    [['● app', 'Sign in'], ['signIn', 'app']],
    [['● app', 'Sign in as', 'bob'], ['signIn', 'app', 'bob']],
    [['● app', 'Stop'], ['stop', 'app']],
    [['○ api', 'Start'], ['start', 'api']],
    [['● app', 'Copy URL'], ['copyUrl', 'http://localhost:4180']],
    [['Start all'], ['startAll']],
    [['Stop all'], ['stopAll']],
    [['Simulate groups', 'devs'], ['setSimulation', 'app', { groups: ['devs'] }]],
    [['Simulate groups', 'ops'], ['setSimulation', 'app', { groups: ['ops'] }]],
    [['Simulate roles', 'viewer'], ['setSimulation', 'app', { roles: ['viewer'] }]],
    [['Simulate roles', 'For api'], ['selectUpstream', 'api']],
    [['Copy a token for', 'bob'], ['copyToken', 'bob']],
    [['Simulate groups', 'For api'], ['selectUpstream', 'api']],
    [['Signed in as alice@example.test on app', 'Sign out'], ['signOut', 's1']],
    [['Signed in as alice@example.test on app', 'Switch to ▸ bob'], ['switchPersona', 's1', 'bob']],
    [['Open Portcullis…'], ['openWindow']],
    [['Start at login'], ['setStartAtLogin', true]],
    [['Quit Portcullis'], ['quit']],
  ])('%j → %j', (path, expected) => {
    const { calls, actions } = recorder();
    findItem(buildTrayMenu(model(state), actions), ...path).click();
    expect(calls).toEqual([expected]);
  });

  it.each([
    ['adds a group to an active simulation', ['devs'], 'admins', ['setSimulation', 'app', { groups: ['admins', 'devs'] }]],
    ['removes a ticked group', ['admins', 'devs'], 'admins', ['setSimulation', 'app', { groups: ['devs'] }]],
    ['ends the simulation when the last group is unticked', ['devs'], 'devs', ['endSimulation', 'app']],
  ])('Simulate groups %s', (_name, active, group, expected) => {
    const { calls, actions } = recorder();
    const menu = buildTrayMenu(model(engineState([upstream('app', 4180, 'running', { simulation: active })])), actions);
    expect(findItem(menu, 'Simulate groups', group).checked).toBe(active.includes(group));
    findItem(menu, 'Simulate groups', group).click();
    expect(calls).toEqual([expected]);
  });

  it('End simulation is offered only while one is active', () => {
    const { calls, actions } = recorder();
    const idle = buildTrayMenu(model(engineState([upstream('app', 4180, 'running')])), actions);
    expect(findItem(idle, 'Simulate groups', 'End simulation').enabled).toBe(false);
    const active = buildTrayMenu(model(engineState([upstream('app', 4180, 'running', { simulation: ['devs'] })])), actions);
    findItem(active, 'Simulate groups', 'End simulation').click();
    expect(calls).toEqual([['endSimulation', 'app']]);
  });

  it('Start at login shows the current setting and offers the opposite', () => {
    const { calls, actions } = recorder();
    const menu = buildTrayMenu(model(engineState([]), { startAtLogin: true }), actions);
    expect(findItem(menu, 'Start at login').checked).toBe(true);
    findItem(menu, 'Start at login').click();
    expect(calls).toEqual([['setStartAtLogin', false]]);
  });

  it('offers personas only for upstreams behind the built-in provider', () => {
    const oidc = engineState([{ ...upstream('app', 4180, 'running'), provider: 'corp' }], {
      providers: [{ id: 'corp', type: 'oidc', issuer: 'https://id.example', clientId: 'x', status: { id: 'corp', type: 'oidc', ready: true, redirectUrls: [] } }],
    });
    expect(() => findItem(buildTrayMenu(model(oidc), recorder().actions), '● app', 'Sign in as')).toThrow(/no menu item/);
  });
});

describe('status, icon and tooltip', () => {
  it('shows the simulation ring while the built-in provider has faults set', () => {
    const state = { ...engineState([upstream('app', 4180, 'running')]), idpFaults: { signIn: null, refresh: 'invalid_grant' as const, latencyMs: 0, down: false } };
    expect(trayStatus(model(state))).toBe('simulating');
  });

  it('offers no switch to the persona already signed in', () => {
    const menu = buildTrayMenu(model(engineState([upstream('app', 4180, 'running')], { sessions: [session] })), recorder().actions);
    expect(() => findItem(menu, 'Signed in as alice@example.test on app', 'Switch to ▸ alice')).toThrow();
  });

  it.each([
    ['nothing running', model(engineState([upstream('app', 4180, 'stopped')])), 'stopped', 'Portcullis — 0 of 1 running'],
    ['one running', model(engineState([upstream('app', 4180, 'running'), upstream('api', 4181, 'stopped')])), 'running', 'Portcullis — 1 of 2 running'],
    ['a listener failed', model(engineState([upstream('app', 4180, 'error', { error: 'port 4180 is in use' })])), 'error', 'Portcullis — 0 of 1 running, 1 problem'],
    ['an engine error', model(engineState([upstream('app', 4180, 'running')]), { errors: ['provider corp unreachable'] }), 'error', 'Portcullis — 1 of 1 running, 1 problem'],
    ['simulating', model(engineState([upstream('app', 4180, 'running', { simulation: ['devs'] })])), 'simulating', 'Portcullis — 1 of 1 running, simulating'],
    ['engine failed to start', model(undefined, { failure: 'bad config' }), 'error', 'Portcullis — could not start'],
    ['engine starting', model(undefined), 'stopped', 'Portcullis — Portcullis is starting…'],
  ])('%s', (_name, m, status, tip) => {
    expect(trayStatus(m)).toBe(status);
    expect(tooltip(m)).toBe(tip);
    expect(buildTrayMenu(m, recorder().actions)[0].label).toBe(tip);
  });

  it('an unreachable provider counts as a problem only while a listener uses it', () => {
    const providers: EngineState['providers'] = [{ id: 'builtin', type: 'builtin', status: { id: 'builtin', type: 'builtin', ready: false, error: 'provider builtin: discovery failed', redirectUrls: [] } }];
    expect(problems(model(engineState([upstream('app', 4180, 'running')], { providers })))).toEqual(['provider builtin: discovery failed']);
    expect(problems(model(engineState([upstream('app', 4180, 'stopped')], { providers })))).toEqual([]);
  });

  it('lists engine errors with a way to dismiss them', () => {
    const { calls, actions } = recorder();
    const menu = buildTrayMenu(model(engineState([]), { errors: ['provider corp unreachable'] }), actions);
    expect(findItem(menu, '⚠ provider corp unreachable').enabled).toBe(false);
    findItem(menu, 'Dismiss errors').click();
    expect(calls).toEqual([['dismissErrors']]);
  });

  it.each([
    ['starting', model(undefined, { errors: ['boom'] }), ['Dismiss errors', 'Start at login', 'Quit Portcullis']],
    // The reason is shown, not dismissable: nothing will change it short of a restart.
    ['failed to start', model(undefined, { failure: 'bad config' }), ['Start at login', 'Quit Portcullis']],
  ])('without an engine (%s) the window is not offered (it would have nothing to talk to)', (_name, m, clickable) => {
    const menu = buildTrayMenu(m, recorder().actions);
    expect(menu.filter((i) => i.click && i.enabled !== false).map((i) => i.label)).toEqual(clickable);
    expect(findItem(menu, 'Open Portcullis…').enabled).toBe(false);
    if (m.failure) expect(findItem(menu, `⚠ ${m.failure}`).enabled).toBe(false);
  });

  it('a weak-keyring warning is a disabled ⚠ line, not a problem', () => {
    const warning = 'No OS keyring was found: secrets are stored with weak protection.';
    const m = model(engineState([upstream('app', 4180, 'running')], { secretStorageWarning: warning }));
    expect(findItem(buildTrayMenu(m, recorder().actions), `⚠ ${warning}`).enabled).toBe(false);
    expect(trayStatus(m)).toBe('running');
  });
});

describe('groups', () => {
  it('knows the groups of personas, signed-in users, the rules and the simulation', () => {
    const u = upstream('app', 4180, 'running', { allowedGroups: ['ops'], simulation: ['qa'] });
    const state = engineState([u], { sessions: [{ ...session, groups: ['finance'] }] });
    expect(knownGroups(state, u)).toEqual(['admins', 'devs', 'finance', 'ops', 'qa']);
  });

  it.each([
    [['devs'], 'admins', true, ['admins', 'devs']],
    [['admins', 'devs'], 'admins', false, ['devs']],
    [['devs'], 'devs', true, ['devs']],
    [[], 'devs', false, []],
  ])('toggle %j %s %s → %j', (current, group, checked, expected) => {
    expect(toggleName(current, group, checked)).toEqual(expected);
  });
});

describe('roles', () => {
  it('knows the roles in the personas’ claims (through the provider’s roles claim), the upstream’s allowedRoles, sessions and the simulation', () => {
    const u = upstream('app', 4180, 'running', { allowedRoles: ['reporter'], simulation: { roles: ['auditor'] } });
    const state = engineState([u], { sessions: [{ ...session, roles: ['billing'] }] });
    expect(knownRoles(state, u)).toEqual(['auditor', 'billing', 'reporter', 'viewer']);
    const keycloakShaped = engineState([u], {
      providers: [{ id: 'builtin', type: 'builtin', rolesClaim: 'realm_access.roles', status: { id: 'builtin', type: 'builtin', ready: true, redirectUrls: [] } }],
      personas: [{ username: 'carol', email: 'carol@example.test', name: 'Carol', groups: [], claims: { realm_access: { roles: ['editor'] }, roles: ['ignored'] } }],
    });
    expect(knownRoles(keycloakShaped, u)).toEqual(['auditor', 'editor', 'reporter']);
  });

  it.each([
    ['starts a roles-only simulation', undefined, 'viewer', true, { roles: ['viewer'] }],
    ['adds a role beside simulated groups and claims, keeping them', { groups: ['devs'], claims: { tid: 't2' } }, 'viewer', true, { groups: ['devs'], claims: { tid: 't2' }, roles: ['viewer'] }],
    ['unticking the last role leaves the groups simulated', { groups: ['devs'], roles: ['viewer'] }, 'viewer', false, { groups: ['devs'] }],
    ['unticking the last part ends the simulation', { roles: ['viewer'] }, 'viewer', false, undefined],
  ] as const)('%s', (_name, active, role, checked, expected) => {
    expect(simulationAfterToggle(active as IdentitySimulation | undefined, 'roles', role, checked)).toEqual(expected);
  });

  it('Simulate roles ticks what is simulated, and clicks keep the simulated groups', () => {
    const { calls, actions } = recorder();
    const menu = buildTrayMenu(model(engineState([upstream('app', 4180, 'running', { allowedRoles: ['reporter'], simulation: { groups: ['devs'], roles: ['viewer'] } })])), actions);
    expect(findItem(menu, 'Simulate roles (app: viewer)', 'viewer').checked).toBe(true);
    expect(findItem(menu, 'Simulate roles', 'reporter').checked).toBe(false);
    findItem(menu, 'Simulate roles', 'reporter').click();
    findItem(menu, 'Simulate roles', 'viewer').click();
    expect(calls).toEqual([
      ['setSimulation', 'app', { groups: ['devs'], roles: ['reporter', 'viewer'] }],
      ['setSimulation', 'app', { groups: ['devs'] }],
    ]);
  });

  it('a session’s roles show in its entry', () => {
    const menu = buildTrayMenu(model(engineState([upstream('app', 4180, 'running')], { sessions: [{ ...session, roles: ['reporter', 'viewer'] }] })), recorder().actions);
    expect(findItem(menu, 'Signed in as alice@example.test on app', 'Roles: reporter, viewer').enabled).toBe(false);
  });
});

describe('Copy a token for', () => {
  it('lists every persona of the built-in provider', () => {
    const menu = buildTrayMenu(model(engineState([upstream('app', 4180, 'running')])), recorder().actions);
    const item = findItem(menu, 'Copy a token for');
    expect((item.submenu as Array<{ label: string }>).map((i) => i.label)).toEqual(['alice (alice@example.test)', 'bob (bob@example.test)']);
  });

  it('is not offered without the built-in provider', () => {
    const state = engineState([upstream('app', 4180, 'running')], {
      providers: [{ id: 'corp', type: 'oidc', issuer: 'https://id.example.com', clientId: 'c', status: { id: 'corp', type: 'oidc', ready: true, redirectUrls: [] } }],
    });
    expect(() => findItem(buildTrayMenu(model(state), recorder().actions), 'Copy a token for')).toThrow(/no menu item/);
  });
});
