// The shared fixtures for tests that run Portcullis against the echo target: one echo target, one
// Portcullis in front of it and alice signed in, each started the first time a test in the file
// asks for it and stopped when the file is done (Vitest file-scoped fixtures).
//
//   import { test } from '../support/fixture.ts';
//   test.override('setup', { scope: 'file' }, { upstreams: [{ id: 'app', passAccessToken: true }] });
//   test('the app sees her e-mail', async ({ alice, app, echo }) => { … });
//
// `test` runs the real `portcullis serve`; `setup` lists its upstreams (a missing `target` means
// the echo target), providers, personas, environment and arguments. A setup may be a function of
// other fixtures, started before Portcullis and stopped after it:
//
//   test.override('setup', { scope: 'file' }, ({ flask }) => ({ upstreams: [{ id: 'api', target: flask.url }] }));
//
// Name what a file needs in `test.beforeAll(({ portcullis }) => …)` so it starts under the hook
// timeout rather than inside the first test's. `engineTest` runs the engine in this process instead
// (test/support/engine.ts), for tests that call its ControlApi directly; `engineOptions` shapes it.
import { rm } from 'node:fs/promises';
import { test as base } from 'vitest';
import type { Browser } from './browser.ts';
import { consoleApi, type ConsoleApi } from './console-api.ts';
import { startEcho, type EchoTarget } from './echo.ts';
import { startFlask, type Upstream } from './flask.ts';
import { startTestEngine, type TestEngine, type TestEngineOptions } from './engine.ts';
import { makeTempHome, startPortcullis, type Portcullis, type PortcullisSpec, type UpstreamSpec } from './serve.ts';
import { signedInBrowser } from './signin.ts';

export interface ServeSetup extends Omit<PortcullisSpec, 'upstreams'> {
  /** The first upstream is `app`'s; an upstream without a target proxies to the echo target. */
  upstreams: Array<Omit<UpstreamSpec, 'target'> & { target?: string }>;
}

/** One upstream, `app`, in front of the echo target, on the built-in provider and personas. */
export const DEFAULT_SETUP: ServeSetup = { upstreams: [{ id: 'app' }] };

/** What both kinds of test share: a temp folder, the echo target and, when asked for, a real Flask app. */
const parts = base
  /** A temp folder for the file's own files (configs to check, a provider's data), removed when it is done. */
  .extend('home', { scope: 'file' }, async ({}, { onCleanup }): Promise<string> => {
    const home = await makeTempHome();
    onCleanup(() => rm(home, { recursive: true, force: true }));
    return home;
  })
  /** The echo target's port; 0 takes a free one (a test on the default ports sets 8501). */
  .extend('echoPort', { scope: 'file' }, 0)
  .extend('echo', { scope: 'file' }, async ({ echoPort }, { onCleanup }): Promise<EchoTarget> => {
    const echo = await startEcho(echoPort);
    onCleanup(() => echo.stop());
    return echo;
  })
  /** The real Flask app (test/support/flask_app.py); a setup that names `flask` starts it before Portcullis. */
  .extend('flask', { scope: 'file' }, async ({}, { onCleanup }): Promise<Upstream> => {
    const flask = await startFlask();
    onCleanup(() => flask.stop());
    return flask;
  });

export const test = parts
  .extend('setup', { scope: 'file' }, DEFAULT_SETUP)
  .extend('portcullis', { scope: 'file' }, async ({ setup, echo }, { onCleanup }): Promise<Portcullis> => {
    const upstreams = setup.upstreams.map((u) => ({ ...u, target: u.target ?? echo.url }));
    const portcullis = await startPortcullis({ ...setup, upstreams });
    onCleanup(() => portcullis.dispose());
    return portcullis;
  })
  /** `http://localhost:<port>` of the first upstream's listener. */
  .extend('app', { scope: 'file' }, ({ setup, portcullis }): string => portcullis.url(setup.upstreams[0].id))
  /** The control API of the running Portcullis, as a script would call it. */
  .extend('api', { scope: 'file' }, ({ portcullis }): ConsoleApi => consoleApi(portcullis))
  /** A browser in which alice signed in to `app` (with a login hint, so no persona page). */
  .extend('alice', { scope: 'file' }, ({ app }): Promise<Browser> => signedInBrowser(app, 'alice'));

export const engineTest = parts
  /** Settings for the engine's `app` upstream, built-in provider and personas; its target is the echo target. */
  .extend('engineOptions', { scope: 'file' }, {} as TestEngineOptions)
  .extend('running', { scope: 'file' }, async ({ engineOptions, echo }, { onCleanup }): Promise<TestEngine> => {
    const running = await startTestEngine({ target: echo.url, ...engineOptions });
    onCleanup(() => running.close());
    return running;
  })
  /** `http://localhost:<port>` of the `app` upstream's listener. */
  .extend('app', { scope: 'file' }, ({ running }): string => `http://localhost:${running.appPort}`)
  /** A browser in which alice signed in to `app` (with a login hint, so no persona page). */
  .extend('alice', { scope: 'file' }, ({ app }): Promise<Browser> => signedInBrowser(app, 'alice'));
