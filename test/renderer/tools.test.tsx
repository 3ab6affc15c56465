// @vitest-environment happy-dom
// The upstream form's tools against a real Engine: the route tester, the header preview as
// flags change, and the personas editor when personas change elsewhere.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { showView } from './show.tsx';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({
    upstreams: ({ app }) => [{
      id: 'app', enabled: true, listen: { host: '127.0.0.1', port: app }, target: 'http://127.0.0.1:9', provider: 'builtin',
      skipAuthRoutes: ['GET=^/healthz$', '^/static/'], apiRoutes: ['^/api/'],
    }],
  });
});
afterAll(() => t?.close());
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function openAdvanced() {
  const user = userEvent.setup();
  showView(t.engine, 'upstreams');
  const row = await screen.findByRole('listitem', { name: 'Upstream app' });
  await user.click(within(row).getByRole('button', { name: 'Edit' }));
  const form = screen.getByRole('form', { name: /app/ });
  await user.click(within(form).getByText('Advanced: access rules, routes and headers'));
  return { user, form };
}

describe('route tester', () => {
  it.each([
    ['GET', '/healthz', 'GET /healthz: public (no sign-in needed) — rule skipAuthRoutes[0] GET=^/healthz$'],
    ['POST', '/healthz', 'POST /healthz: protected (sign-in needed)'],
    ['GET', '/static/app.css', 'GET /static/app.css: public (no sign-in needed) — rule skipAuthRoutes[1] ^/static/'],
    ['GET', '/api/items', 'GET /api/items: protected (sign-in needed), API route (401 instead of redirect) — rule apiRoutes[0] ^/api/'],
    ['GET', '/reports', 'GET /reports: protected (sign-in needed)'],
  ])('%s %s', async (method, path, answer) => {
    const { user, form } = await openAdvanced();
    await user.selectOptions(within(form).getByLabelText('Method'), method);
    const input = within(form).getByLabelText('Path to test');
    await user.clear(input);
    await user.type(input, `${path}{Enter}`);
    await within(form).findByText(answer);
  });
});

describe('header preview', () => {
  const USER = ['X-Forwarded-User', 'X-Forwarded-Email', 'X-Forwarded-Groups', 'X-Forwarded-Preferred-Username'];
  const AUTH_REQUEST = ['X-Auth-Request-User', 'X-Auth-Request-Email', 'X-Auth-Request-Groups', 'X-Auth-Request-Preferred-Username'];
  const savedApp = async () => {
    const { status: _status, ...settings } = (await t.engine.getState()).upstreams[0];
    return settings;
  };
  const names = async (form: HTMLElement) => {
    const table = await within(form).findByRole('table', { name: 'Headers the target receives' });
    return within(table).getAllByRole('rowheader').map((h) => h.textContent);
  };

  it('lists the exact headers for the saved flags, and follows a toggle once it is saved', async () => {
    let { user, form } = await openAdvanced();
    expect(await names(form)).toEqual([...USER, ...AUTH_REQUEST]);
    await user.click(within(form).getByRole('checkbox', { name: 'Pass X-Forwarded-Access-Token' }));
    await user.click(within(form).getByRole('checkbox', { name: 'Pass X-Forwarded-User/Email/Groups' }));
    expect(within(form).getByText('Showing the saved flags: save to preview your changes.')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('listitem', { name: 'Upstream app' });
    cleanup();

    ({ user, form } = await openAdvanced());
    await waitFor(async () => expect(await names(form)).toEqual(['X-Forwarded-Access-Token', ...AUTH_REQUEST, 'X-Auth-Request-Access-Token']));
    expect(within(form).queryByText(/save to preview your changes/)).toBeNull();
    await t.engine.updateUpstream('app', { ...(await savedApp()), passAccessToken: false, passUserHeaders: true });
  });

  it('shows that no identity headers are sent when every flag is off', async () => {
    const app = await savedApp();
    await t.engine.updateUpstream('app', { ...app, passUserHeaders: false, passAccessToken: false, passAuthorizationHeader: false, setXAuthRequest: false });
    const { form } = await openAdvanced();
    await within(form).findByText('No identity headers with these flags.');
    await t.engine.updateUpstream('app', { ...app, passUserHeaders: true, setXAuthRequest: true });
  });
});

describe('personas editor', () => {
  const groupsOf = (i: number) => screen.getByLabelText<HTMLInputElement>(`groups of persona ${i}`).value;

  it('takes in personas changed elsewhere while it has no unsaved edits', async () => {
    showView(t.engine, 'providers');
    await screen.findByLabelText('groups of persona 2');
    expect(groupsOf(2)).toBe('devs');
    const personas = (await t.engine.getState()).personas;
    await t.engine.savePersonas(personas.map((p) => (p.username === 'bob' ? { ...p, groups: ['devs', 'qa'] } : p)));
    await waitFor(() => expect(groupsOf(2)).toBe('devs, qa'));
    await t.engine.savePersonas(personas);
  });

  it('keeps unsaved edits when personas change elsewhere, and offers the other version', async () => {
    const user = userEvent.setup();
    showView(t.engine, 'providers');
    await screen.findByLabelText('groups of persona 1');
    await user.type(screen.getByLabelText('name of persona 1'), ' Jr');
    const personas = (await t.engine.getState()).personas;
    await t.engine.savePersonas(personas.map((p) => (p.username === 'bob' ? { ...p, groups: ['devs', 'ops'] } : p)));
    await screen.findByText(/changed elsewhere while you edited/);
    expect(screen.getByLabelText<HTMLInputElement>('name of persona 1').value).toBe('Alice Admin Jr');
    expect(groupsOf(2)).toBe('devs');
    await user.click(screen.getByRole('button', { name: 'Load their version' }));
    expect(groupsOf(2)).toBe('devs, ops');
    expect(screen.getByLabelText<HTMLInputElement>('name of persona 1').value).toBe('Alice Admin');
    expect(screen.queryByText(/changed elsewhere/)).toBeNull();
    await t.engine.savePersonas(personas);
  });
});
