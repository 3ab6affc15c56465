// @vitest-environment happy-dom
// The Simulation view's identity simulation against a real Engine: roles toggled beside the
// groups (offered from the personas' claims and the upstream's allowedRoles), claims merged
// from JSON checked as you type, and the form following a simulation set elsewhere.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { rawRequest, startTestEngine, type TestEngine } from '../support/engine.ts';
import { showView } from './show.tsx';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({
    app: { allowedRoles: ['reporter'] },
    builtinIdp: {
      users: [
        { username: 'alice', email: 'alice@example.test', name: 'Alice', groups: ['admins'], claims: { roles: ['reporter', 'viewer'] } },
        { username: 'bob', email: 'bob@example.test', name: 'Bob', groups: ['devs'], claims: { roles: ['viewer'] } },
      ],
    },
  });
});
afterAll(() => t?.close());
afterEach(async () => {
  cleanup();
  window.location.hash = '';
  await t.engine.endSimulation('app').catch(() => undefined);
});

async function panel() {
  showView(t.engine, 'simulation');
  return screen.findByRole('listitem', { name: 'Simulation for app' });
}
const part = (p: HTMLElement, name: 'Groups' | 'Roles') => within(p).getByRole('group', { name: `${name} to simulate on app` });

describe('identity simulation in the console', () => {
  it('simulates roles and claims while the groups stay real; the banner and the listener say so', async () => {
    const user = userEvent.setup();
    const p = await panel();
    await user.click(within(part(p, 'Groups')).getByRole('checkbox', { name: 'Keep the real groups' }));
    const roles = part(p, 'Roles');
    expect(within(roles).queryByRole('checkbox', { name: 'viewer' })).toBeNull();
    await user.click(within(roles).getByRole('checkbox', { name: 'Keep the real roles' }));
    expect(within(roles).getAllByRole('checkbox').map((b) => b.parentElement?.textContent)).toEqual(['Keep the real roles', 'reporter', 'viewer']);
    await user.click(within(roles).getByRole('checkbox', { name: 'reporter' }));
    await user.type(within(roles).getByLabelText('Another role'), 'auditor{Enter}');
    await user.click(within(p).getByLabelText('Claims to merge over the real ones on app (JSON)'));
    await user.paste('{"tid": "tenant-2"}');
    await user.click(within(p).getByRole('button', { name: 'Start simulation' }));

    await screen.findByText(/Identity simulation active: app → roles \[auditor, viewer\], claims \{"tid":"tenant-2"\}/);
    expect((await t.engine.getState()).upstreams[0].status.simulation).toEqual({ roles: ['auditor', 'viewer'], claims: { tid: 'tenant-2' } });
    const reply = await rawRequest(t.appPort, 'GET', '/', { token: null });
    expect(reply.headers['x-portcullis-simulated']).toBe('roles,claims');
    expect(within(p).getByText('simulating: roles [auditor, viewer], claims {"tid":"tenant-2"}')).toBeTruthy();
  });

  it('refuses claims that are not a JSON object, as you type, and starts nothing', async () => {
    const user = userEvent.setup();
    const p = await panel();
    const box = within(p).getByLabelText('Claims to merge over the real ones on app (JSON)');
    await user.click(box);
    await user.paste('{"tid": ');
    expect(within(p).getByText(/not valid JSON/)).toBeTruthy();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect((within(p).getByRole('button', { name: 'Start simulation' }) as HTMLButtonElement).disabled).toBe(true);
    expect((await t.engine.getState()).upstreams[0].status.simulation).toBeUndefined();
  });

  it('offers nothing to start while every part is real', async () => {
    const user = userEvent.setup();
    const p = await panel();
    await user.click(within(part(p, 'Groups')).getByRole('checkbox', { name: 'Keep the real groups' }));
    expect((within(p).getByRole('button', { name: 'Start simulation' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(p).getByText(/Untick a “Keep the real …” box or give claims/)).toBeTruthy();
  });

  it('follows roles and claims simulated elsewhere (the tray, the API), and ending them', async () => {
    const p = await panel();
    await t.engine.setSimulation('app', { roles: ['viewer'], claims: { plan: 'free' } });
    const roles = part(p, 'Roles');
    await waitFor(() => expect(within(roles).getByRole<HTMLInputElement>('checkbox', { name: 'viewer' }).checked).toBe(true));
    expect(within(roles).getByRole<HTMLInputElement>('checkbox', { name: 'reporter' }).checked).toBe(false);
    expect(within(part(p, 'Groups')).getByRole<HTMLInputElement>('checkbox', { name: 'Keep the real groups' }).checked).toBe(true);
    expect(JSON.parse((within(p).getByLabelText('Claims to merge over the real ones on app (JSON)') as HTMLTextAreaElement).value)).toEqual({ plan: 'free' });
    await t.engine.endSimulation('app');
    await waitFor(() => expect(within(roles).getByRole<HTMLInputElement>('checkbox', { name: 'Keep the real roles' }).checked).toBe(true));
    expect(within(p).getByRole('button', { name: 'Start simulation' })).toBeTruthy();
  });
});
