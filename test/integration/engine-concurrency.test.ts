// Two UIs (the tray and a console tab, or two scripts) may change the same upstream at once.
// Whatever the interleaving, afterwards exactly one listener serves, with the settings of the
// change sent last, and a stop really stops it: no orphaned listener keeps answering.
// It runs the engine in-process: over HTTP two concurrent calls could arrive in either order.
import { describe, expect, it } from 'vitest';
import type { EngineState, UpstreamInput } from '../../electron/engine/api.ts';
import type { TestEngine } from '../support/engine.ts';
import { rawRequest, type Browser } from '../support/browser.ts';
import type { EchoTarget } from '../support/echo.ts';
import { engineTest as test } from '../support/fixture.ts';
import { signedInBrowser } from '../support/signin.ts';

let echo: EchoTarget;
let te: TestEngine;
let url: string;
let alice: Browser;
let bob: Browser;

test.beforeAll(async ({ echo: target, running, app, alice: signedIn }) => {
  [echo, te, url, alice] = [target, running, app, signedIn];
  bob = await signedInBrowser(url, 'bob');
});

const appState = (state: EngineState) => state.upstreams.find((u) => u.id === 'app')!;
const update = (allowedGroups: string[]): UpstreamInput => ({
  id: 'app',
  listen: { host: '127.0.0.1', port: te.appPort },
  target: echo.url,
  allowedGroups,
});
const ping = () => rawRequest('GET', new URL(`${url}/ping`));

async function expectStopsForReal(): Promise<void> {
  const state = await te.engine.stopUpstream('app');
  expect(appState(state).status.state).toBe('stopped');
  await expect(ping()).rejects.toThrow(/ECONNREFUSED/);
}

describe('two concurrent updates of one upstream with different allowedGroups', () => {
  it('leave one running listener with the settings sent last, saved and served', async () => {
    const [first, second] = await Promise.all([te.engine.updateUpstream('app', update(['devs'])), te.engine.updateUpstream('app', update(['admins']))]);
    expect(appState(first).allowedGroups).toEqual(['devs']);
    expect(appState(second).allowedGroups).toEqual(['admins']);

    const state = await te.engine.getState();
    expect(appState(state).status.state).toBe('running');
    expect(appState(state).allowedGroups).toEqual(['admins']);
    expect((await te.savedConfig()).upstreams.find((u) => u.id === 'app')?.allowedGroups).toEqual(['admins']);

    // alice is in admins, bob only in devs: the listener enforces the last settings.
    expect((await alice.get(`${url}/report`)).status).toBe(200);
    expect((await bob.get(`${url}/report`)).status).toBe(403);
    expect((await bob.get(`${url}/oauth2/auth`)).status).toBe(403);
  });

  it('a stop afterwards really stops it', expectStopsForReal);
});

describe('two concurrent starts of one stopped upstream', () => {
  it('both answer running and one listener serves', async () => {
    const states = await Promise.all([te.engine.startUpstream('app'), te.engine.startUpstream('app')]);
    expect(states.map((s) => appState(s).status.state)).toEqual(['running', 'running']);
    expect((await ping()).status).toBe(200);
    expect((await alice.get(`${url}/again`)).status).toBe(200);
  });

  it('a stop afterwards really stops it', expectStopsForReal);
});

describe('an update and a stop sent together', () => {
  it('run in the order sent: the listener ends stopped, with the new settings saved', async () => {
    await te.engine.startUpstream('app');
    const [, stopped] = await Promise.all([te.engine.updateUpstream('app', update(['devs'])), te.engine.stopUpstream('app')]);
    expect(appState(stopped).status.state).toBe('stopped');
    expect(appState(stopped).allowedGroups).toEqual(['devs']);
    await expect(ping()).rejects.toThrow(/ECONNREFUSED/);
  });
});
