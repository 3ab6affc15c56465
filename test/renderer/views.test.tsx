// @vitest-environment happy-dom
// The views and forms against a real Engine passed in as the ControlApi: what they show,
// what they send, and how the engine's answers (errors included) come back on screen.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:net';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { engineForViews, showView } from './show.tsx';
import { formatClaim, formatCountdown } from '../../renderer/src/lib/format.ts';
import { freePort } from '../support/free-port.ts';
import { rawRequest, type TestEngine } from '../support/engine.ts';

const engine = engineForViews();
let t: TestEngine;
beforeAll(() => {
  t = engine();
});

const show = (view: string) => showView(t.engine, view);
const appRow = () => screen.findByRole('listitem', { name: 'Upstream app' });
const stateOf = async (id: string) => (await t.engine.getState()).upstreams.find((u) => u.id === id)?.status.state;

/** A port held by "another program", as a user's own server would hold it. */
async function squat(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('views', () => {
  it('overview: the app upstream as ports, whether its target answers, and Sign in as alice', async () => {
    show('overview');
    const card = await screen.findByRole('listitem', { name: 'Overview of app' });
    expect(card.textContent).toContain(`${t.appPort} → `);
    await within(card).findByText(/Nothing is listening on/);
    const link = await within(card).findByRole('link', { name: 'Sign in as alice' });
    expect(link.getAttribute('href')).toMatch(/\/oauth2\/start\?.*login_hint=alice/);
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('upstream form: checks the port as you type and shows the engine’s error on its field', async () => {
    const user = userEvent.setup();
    show('upstreams');
    await user.click(await screen.findByRole('button', { name: 'Add upstream' }));
    const form = screen.getByRole('form', { name: 'Add upstream' });
    await user.type(within(form).getByLabelText('Id'), 'web');
    await user.type(within(form).getByLabelText('Listen port'), String(t.appPort));
    await within(form).findByText(/already used by upstream app|in use/i);
    await user.clear(within(form).getByLabelText('Listen port'));
    await user.type(within(form).getByLabelText('Listen port'), '99999');
    expect(within(form).getByText('a whole number from 1 to 65535')).toBeTruthy();
    expect(within(form).getByLabelText('Listen port').getAttribute('aria-invalid')).toBe('true');

    await user.clear(within(form).getByLabelText('Id'));
    await user.type(within(form).getByLabelText('Id'), 'app');
    await user.clear(within(form).getByLabelText('Listen port'));
    await user.type(within(form).getByLabelText('Listen port'), String(await freePort()));
    await user.type(within(form).getByLabelText('Target URL'), '9');
    await user.click(within(form).getByRole('button', { name: 'Add upstream' }));
    await within(form).findByText(/app/, { selector: '.note-bad' });
    expect((await t.engine.getState()).upstreams.map((u) => u.id)).toEqual(['app']);
  });

  it('upstream form: adds an upstream that then shows in the list and the settings file', async () => {
    const user = userEvent.setup();
    show('upstreams');
    await user.click(await screen.findByRole('button', { name: 'Add upstream' }));
    const form = screen.getByRole('form', { name: 'Add upstream' });
    await user.type(within(form).getByLabelText('Id'), 'docs');
    await user.type(within(form).getByLabelText('Listen port'), String(await freePort()));
    await user.type(within(form).getByLabelText('Target URL'), '9');
    await user.click(within(form).getByRole('button', { name: 'Add upstream' }));
    await screen.findByRole('listitem', { name: 'Upstream docs' });
    expect((await t.savedConfig()).upstreams.map((u) => u.id)).toContain('docs');
    await t.engine.removeUpstream('docs');
  });

  it('upstream row: Stop and Start change the listener and its badge', async () => {
    const user = userEvent.setup();
    show('upstreams');
    const row = await appRow();
    await user.click(within(row).getByRole('button', { name: 'Stop' }));
    await within(row).findByText('stopped');
    expect(await stateOf('app')).toBe('stopped');
    expect(within(row).queryByRole('link', { name: 'Sign in' })).toBeNull();
    await user.click(within(row).getByRole('button', { name: 'Start' }));
    await within(row).findByText('running');
    expect(await stateOf('app')).toBe('running');
  });

  it('upstreams: Stop all and Start all', async () => {
    const user = userEvent.setup();
    await t.engine.addUpstream({ id: 'second', listen: { host: '127.0.0.1', port: await freePort() }, target: 'http://127.0.0.1:9' });
    show('upstreams');
    const rows = [await appRow(), await screen.findByRole('listitem', { name: 'Upstream second' })];
    await user.click(screen.getByRole('button', { name: 'Stop all' }));
    for (const row of rows) await within(row).findByText('stopped');
    expect([await stateOf('app'), await stateOf('second')]).toEqual(['stopped', 'stopped']);
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    for (const row of rows) await within(row).findByText('running');
    expect([await stateOf('app'), await stateOf('second')]).toEqual(['running', 'running']);
    await t.engine.removeUpstream('second');
  });

  it('upstream row: Remove asks first, then the upstream leaves the list and the settings file', async () => {
    const user = userEvent.setup();
    await t.engine.addUpstream({ id: 'old', listen: { host: '127.0.0.1', port: await freePort() }, target: 'http://127.0.0.1:9' });
    show('upstreams');
    const row = await screen.findByRole('listitem', { name: 'Upstream old' });
    // The browser's own dialog, answered "Cancel" and then "OK".
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    vi.stubGlobal('confirm', confirm);
    try {
      await user.click(within(row).getByRole('button', { name: 'Remove' }));
      expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Remove upstream old?'));
      expect(screen.getByRole('listitem', { name: 'Upstream old' })).toBeTruthy();
      await user.click(within(row).getByRole('button', { name: 'Remove' }));
      await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Upstream old' })).toBeNull());
    } finally {
      vi.unstubAllGlobals();
    }
    expect((await t.savedConfig()).upstreams.map((u) => u.id)).toEqual(['app']);
  });

  it('upstream row: the request count goes up live as requests arrive', async () => {
    show('upstreams');
    const row = await appRow();
    const count = () => Number(/(\d+) requests/.exec(row.textContent ?? '')?.[1]);
    await waitFor(() => expect(count()).toBe(t.engine.log.count('app')));
    const before = count();
    await rawRequest(t.appPort, 'GET', '/counted', { headers: { Accept: 'application/json' } });
    await rawRequest(t.appPort, 'GET', '/counted', { headers: { Accept: 'application/json' } });
    await within(row).findByText(new RegExp(`${before + 2} requests`));
  });

  it('upstream in error: the row says why, a dismissable notice says so too, and Start recovers', async () => {
    const user = userEvent.setup();
    const { port, server } = await squat();
    await t.engine.addUpstream({ id: 'busy', listen: { host: '127.0.0.1', port }, target: 'http://127.0.0.1:9' });
    show('upstreams');
    const row = await screen.findByRole('listitem', { name: 'Upstream busy' });
    expect(within(row).getByText('error')).toBeTruthy();
    expect(within(row).getByText(`Not listening: port ${port} on 127.0.0.1 is in use by another program`)).toBeTruthy();

    // A failure while the console is open also arrives as a notice that does not hide the view.
    await user.click(within(row).getByRole('button', { name: 'Start' }));
    const words = `Upstream busy: port ${port} on 127.0.0.1 is in use by another program`;
    const notice = (await screen.findByText(words)).closest('[role="alert"]');
    expect(notice).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Upstreams' })).toBeTruthy();
    await user.click(within(notice as HTMLElement).getByRole('button', { name: `Dismiss: ${words}` }));
    expect(screen.queryByText(/Upstream busy: port/)).toBeNull();
    expect(document.activeElement?.id).toBe('main');

    server.close();
    await user.click(within(row).getByRole('button', { name: 'Start' }));
    await within(row).findByText('running');
    expect(within(row).queryByText(/Not listening/)).toBeNull();
    await t.engine.removeUpstream('busy');
  });

  it('upstream form: the id of an existing upstream is read-only', async () => {
    const user = userEvent.setup();
    show('upstreams');
    await user.click(within(await appRow()).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit upstream app' });
    const id = within(form).getByLabelText<HTMLInputElement>('Id');
    expect(id.readOnly).toBe(true);
    await user.type(id, 'x');
    expect(id.value).toBe('app');
    expect(within(form).getByText(/Fixed once added/)).toBeTruthy();
  });

  it('sessions: a designed empty state', async () => {
    show('sessions');
    expect(await screen.findByText('Nobody is signed in')).toBeTruthy();
  });

  it('requests: rows arrive live and the filters narrow them', async () => {
    const user = userEvent.setup();
    show('requests');
    await screen.findByRole('heading', { name: 'Request log' });
    const before = (await t.engine.listRequests()).length;
    // node:http, not fetch: happy-dom's fetch applies the browser's CORS rules.
    await rawRequest(t.appPort, 'GET', '/secret', { headers: { Accept: 'application/json' } });
    await screen.findByText(`${before + 1} rows`);
    await user.selectOptions(screen.getByLabelText('Decision'), 'denied');
    await screen.findByText('No requests match the filter');
    await user.selectOptions(screen.getByLabelText('Decision'), 'unauthenticated');
    expect(Number(/(\d+) rows/.exec(screen.getByText(/\d+ rows/).textContent ?? '')?.[1])).toBeGreaterThan(0);
  });

  it('simulation: toggles start a simulation and the banner stays until it ends', async () => {
    const user = userEvent.setup();
    show('simulation');
    const panel = await screen.findByRole('listitem', { name: 'Simulation for app' });
    await user.click(within(panel).getByRole('checkbox', { name: 'admins' }));
    await user.click(within(panel).getByRole('button', { name: 'Start simulation' }));
    await screen.findByText(/Identity simulation active/);
    expect((await t.engine.getState()).upstreams[0].status.simulation).toEqual({ groups: ['devs'] });
    await user.click(within(panel).getByRole('button', { name: 'End simulation' }));
    await waitFor(() => expect(screen.queryByText(/Identity simulation active/)).toBeNull());
  });

  it('providers: presets, the redirect URL with a copy button, and the personas editor', async () => {
    const user = userEvent.setup();
    show('providers');
    const builtin = await screen.findByRole('listitem', { name: 'Provider builtin' });
    expect(within(builtin).getByText(`http://localhost:${t.appPort}/oauth2/callback`)).toBeTruthy();
    expect(within(builtin).getByRole('button', { name: /Copy redirect URL/ })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    const presets = within(within(form).getByLabelText('Preset')).getAllByRole('option').map((o) => o.textContent);
    expect(presets).toEqual(['Built-in', 'Auth0', 'Keycloak', 'Okta', 'Google', 'Microsoft Entra', 'GitHub', 'Generic OIDC']);
    expect((within(form).getByLabelText('Provider id') as HTMLInputElement).value).toBe('auth0');
    await user.clear(within(form).getByLabelText('Issuer URL'));
    await user.type(within(form).getByLabelText('Issuer URL'), 'http://127.0.0.1:9');
    await user.type(within(form).getByLabelText('Client id'), 'cid');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    await within(form).findByText(/Issuer check failed/, undefined, { timeout: 15_000 });
    expect((await t.engine.getState()).providers.map((p) => p.id)).toEqual(['builtin']);

    await user.type(screen.getByLabelText('groups of persona 2'), ', ops');
    await user.click(screen.getByRole('button', { name: 'Save personas' }));
    await screen.findByText('Personas saved.');
    expect((await t.engine.getState()).personas[1].groups).toEqual(['devs', 'ops']);
  });

  it('simulation: the boxes follow a simulation started, changed and ended elsewhere', async () => {
    show('simulation');
    const panel = await screen.findByRole('listitem', { name: 'Simulation for app' });
    const box = (g: string) => within(panel).getByRole<HTMLInputElement>('checkbox', { name: g });
    expect([box('admins').checked, box('devs').checked]).toEqual([true, true]);
    await t.engine.setSimulation('app', { groups: ['devs'] });
    await waitFor(() => expect([box('admins').checked, box('devs').checked]).toEqual([false, true]));
    await t.engine.setSimulation('app', { groups: ['admins'] });
    await waitFor(() => expect([box('admins').checked, box('devs').checked]).toEqual([true, false]));
    await t.engine.endSimulation('app');
    await waitFor(() => expect([box('admins').checked, box('devs').checked]).toEqual([true, true]));
    expect(within(panel).getByRole('button', { name: 'Start simulation' })).toBeTruthy();
  });

  it('provider form: a preset names the provider until you type an id, and a taken id is refused', async () => {
    const user = userEvent.setup();
    show('providers');
    await user.click(await screen.findByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    const id = () => within(form).getByLabelText<HTMLInputElement>('Provider id').value;
    expect(within(form).getByText(/No upstream uses this provider yet/).textContent).toContain('http://localhost:<its port>/oauth2/callback');
    await user.selectOptions(within(form).getByLabelText('Preset'), 'Built-in');
    expect(id()).toBe('builtin');
    expect(within(form).getByText('a provider called builtin exists: choose another id, or edit that one')).toBeTruthy();
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Save provider' }).disabled).toBe(true);
    await user.selectOptions(within(form).getByLabelText('Preset'), 'Keycloak');
    expect(id()).toBe('keycloak');
    await user.clear(within(form).getByLabelText('Provider id'));
    await user.type(within(form).getByLabelText('Provider id'), 'corp');
    await user.selectOptions(within(form).getByLabelText('Preset'), 'Okta');
    expect(id()).toBe('corp');
    await user.selectOptions(within(form).getByLabelText('Preset'), 'Keycloak');

    await user.clear(within(form).getByLabelText('Issuer URL'));
    await user.type(within(form).getByLabelText('Issuer URL'), 'http://127.0.0.1:9/realms/dev');
    await user.type(within(form).getByLabelText('Client id'), 'cid');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    await user.click(await within(form).findByRole('button', { name: 'Save anyway' }, { timeout: 15_000 }));
    await screen.findByRole('listitem', { name: 'Provider corp' });
    expect((await t.engine.getState()).providers.map((p) => p.id)).toEqual(['builtin', 'corp']);
    await t.engine.removeProvider('corp');
  });

  it('providers: the redirect URL to register, in the list and the form, and Remove only once no upstream uses it', async () => {
    const user = userEvent.setup();
    await t.engine.saveProvider({ id: 'kc', type: 'oidc', issuer: 'http://127.0.0.1:9/realms/dev', clientId: 'cid' });
    const port = await freePort();
    await t.engine.addUpstream({ id: 'kc-app', listen: { host: '127.0.0.1', port }, target: 'http://127.0.0.1:9', provider: 'kc' });
    show('providers');
    const url = `http://localhost:${port}/oauth2/callback`;
    const card = await screen.findByRole('listitem', { name: 'Provider kc' });
    expect(within(card).getByText(url)).toBeTruthy();
    const remove = within(card).getByRole<HTMLButtonElement>('button', { name: 'Remove' });
    expect(remove.disabled).toBe(true);
    expect(within(card).getByText('Used by upstream kc-app: switch it to another provider before removing kc.')).toBeTruthy();
    const builtin = screen.getByRole('listitem', { name: 'Provider builtin' });
    expect(within(builtin).getByRole<HTMLButtonElement>('button', { name: 'Remove' }).disabled).toBe(true);

    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit provider kc' });
    expect(within(form).getByText(url)).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: `Copy redirect URL ${url}` }));
    expect(await navigator.clipboard.readText()).toBe(url);
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));

    await t.engine.removeUpstream('kc-app');
    const freed = await screen.findByRole('listitem', { name: 'Provider kc' });
    await waitFor(() => expect(within(freed).getByRole<HTMLButtonElement>('button', { name: 'Remove' }).disabled).toBe(false));
    expect(within(freed).getByText(/No upstream uses this provider yet/)).toBeTruthy();
    vi.stubGlobal('confirm', () => true);
    try {
      await user.click(within(freed).getByRole('button', { name: 'Remove' }));
      await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Provider kc' })).toBeNull());
    } finally {
      vi.unstubAllGlobals();
    }
    expect((await t.savedConfig()).providers.map((p) => p.id)).toEqual(['builtin']);
  });
});

describe('formatting', () => {
  it.each([
    ['exp', 0, new Date(0).toLocaleString() + ' (0)'],
    ['email', 'a@b', 'a@b'],
    ['groups', ['a', 'b'], 'a, b'],
    ['address', { c: 1 }, '{"c":1}'],
  ])('claim %s', (name, value, shown) => expect(formatClaim(name, value)).toBe(shown));

  it.each([
    [-1, 'expired'],
    [5_000, '5s'],
    [65_000, '1m 5s'],
    [3_700_000, '1h 1m'],
  ])('countdown %i ms → %s', (ms, shown) => expect(formatCountdown(ms)).toBe(shown));
});
