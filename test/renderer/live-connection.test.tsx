// @vitest-environment happy-dom
// The console UI over its real HTTP + SSE transport: when the event stream drops, a notice
// says so without hiding the view; when it is back, what changed meanwhile shows up.
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { HttpControlApi } from '../../renderer/src/api/http.ts';
import { App } from '../../renderer/src/App.tsx';
import { startConsole, type ConsoleHandle } from '../../electron/console/server.ts';
import { rawRequest, RENDERER_DIST, startTestConsole, type TestConsole } from '../support/engine.ts';

let t: TestConsole;
let restarted: ConsoleHandle | undefined;
const g = globalThis as unknown as Record<string, unknown>;
const saved = { fetch: g.fetch };

beforeAll(async () => {
  t = await startTestConsole();
  // Node's fetch in place of happy-dom's, which would add an Origin and apply CORS as a page would.
  g.fetch = undici.fetch;
});
afterAll(async () => {
  cleanup();
  Object.assign(g, saved);
  await restarted?.close();
  await t?.close();
});

describe('live connection', () => {
  it('says when the stream dropped, keeps the view, and reloads what changed once it is back', async () => {
    const user = userEvent.setup();
    window.location.hash = '#/upstreams';
    render(<App api={new HttpControlApi(`http://127.0.0.1:${t.console.port}/api/v1`, { token: () => t.console.token, reconnectMs: 200 })} />);
    const row = await screen.findByRole('listitem', { name: 'Upstream app' });
    // The stream is open once a change made elsewhere arrives.
    await t.engine.setSimulation('app', { groups: ['devs'] });
    await within(row).findByText('simulating');

    await t.console.close();
    const dropped = await screen.findByText('Live connection: the live connection to Portcullis dropped; reconnecting…');
    expect(dropped.closest('[role="alert"]')).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'Upstream app' })).toBe(row);

    // Changes while nobody is listening: no events reach this page for them.
    await t.engine.setSimulation('app', { groups: ['qa'] });
    await rawRequest(t.appPort, 'GET', '/while-away', { headers: { Accept: 'application/json' } });

    restarted = await startConsole({ api: t.engine, port: t.console.port, token: t.console.token, rendererDir: RENDERER_DIST });
    await screen.findByText(/Identity simulation active: app → groups \[qa\]/, undefined, { timeout: 10_000 });
    await waitFor(() => expect(screen.queryByText(/Live connection:/)).toBeNull());

    await user.click(screen.getByRole('link', { name: 'Requests' }));
    await screen.findByText('/while-away');
    await t.engine.endSimulation('app');
  });
});
