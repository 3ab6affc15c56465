// @vitest-environment happy-dom
// The overview a first run shows, on the embedded default upstream (app in front of Streamlit's
// 8501): here with its port held by another program, as on a machine where it is taken, so the
// card says why nothing listens and gets going once the port is free. The listener moves to a
// free port: 4180 itself belongs to the zero-config test, which may run at the same time.
import { createServer, type Server } from 'node:net';
import { freePort } from '../support/free-port.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { DEFAULT_CONFIG } from '../../electron/engine/config/defaults.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { showView } from './show.tsx';

const [DEFAULT_APP] = DEFAULT_CONFIG.upstreams;
const APP_HOST = DEFAULT_APP.listen.host;
let APP_PORT: number;

/** Holds the port as another program would. */
async function holdPort(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(APP_PORT, APP_HOST, () => resolve(server));
  });
}

let t: TestEngine;
let holder: Server | undefined;
beforeAll(async () => {
  APP_PORT = await freePort();
  holder = await holdPort();
  t = await startTestEngine({ upstreams: () => [{ ...structuredClone(DEFAULT_APP), listen: { host: APP_HOST, port: APP_PORT } }] });
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});
afterAll(async () => {
  holder?.close();
  await t?.close();
});

describe('first run on the defaults', () => {
  it('shows port → 8501 and, with the port taken, why the app is not protected yet', async () => {
    showView(t.engine, 'overview');
    const card = await screen.findByRole('listitem', { name: 'Overview of app' });
    expect(within(card).getByText(String(APP_PORT)).parentElement?.textContent).toBe(`${APP_PORT} → 8501`);
    expect(within(card).getByText('error')).toBeTruthy();
    expect(within(card).getByText(`Not listening: port ${APP_PORT} on 127.0.0.1 is in use by another program`)).toBeTruthy();
    expect(within(card).queryByRole('link', { name: 'Sign in as alice' })).toBeNull();
    expect(within(card).getByRole('link', { name: 'Change the port or target under Upstreams' }).getAttribute('href')).toBe('#/upstreams');
  });

  it('Try again once the port is free: it runs and offers Sign in as alice', async () => {
    const user = userEvent.setup();
    showView(t.engine, 'overview');
    const card = await screen.findByRole('listitem', { name: 'Overview of app' });
    await new Promise((resolve) => holder!.close(resolve));
    holder = undefined;
    await user.click(within(card).getByRole('button', { name: 'Try again' }));
    await within(card).findByText('running');
    expect(within(card).queryByText(/Not listening/)).toBeNull();
    expect(await within(card).findByRole('link', { name: 'Sign in as alice' })).toBeTruthy();
  });

  it('warns, titled, that headless secrets are only as safe as the data dir', async () => {
    showView(t.engine, 'overview');
    const note = await screen.findByRole('note', { name: 'Secrets are weakly protected' });
    expect(note.textContent).toContain('anyone who can read the data dir can read them');
  });
});
