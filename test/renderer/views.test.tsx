// @vitest-environment happy-dom
// The views and forms against a real Engine passed in as the ControlApi: what they show,
// what they send, and how the engine's answers (errors included) come back on screen.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { showView } from './show.tsx';
import { formatClaim, formatCountdown } from '../../renderer/src/lib/format.ts';
import { freePort } from '../support/free-port.ts';
import { rawRequest, startTestEngine, type TestEngine } from '../console/harness.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t?.close());
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

const show = (view: string) => showView(t.engine, view);

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
    await screen.findByText(/Group simulation active/);
    expect((await t.engine.getState()).upstreams[0].status.simulation).toEqual({ groups: ['devs'] });
    await user.click(within(panel).getByRole('button', { name: 'End simulation' }));
    await waitFor(() => expect(screen.queryByText(/Group simulation active/)).toBeNull());
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
