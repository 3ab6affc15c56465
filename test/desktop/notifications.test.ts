// The notifications a user gets from a real engine: what went wrong while it started (before
// the shell listened), the weak-keyring warning once, and an expiring session named by user and
// upstream, whose click opens that upstream's sign-in in the system browser.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { FakeNotification, FakeTray, findItem } from './fake-electron.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { DESKTOP_ENGINE } from './desktop-engine.ts';
import { createBrowser } from '../support/browser.ts';
import { signInWithHint } from '../support/signin.ts';
import { notifyEngineEvents } from '../../electron/desktop/notifications.ts';
import { BASIC_TEXT_WARNING } from '../../electron/desktop/secrets.ts';
import { TrayController } from '../../electron/desktop/tray.ts';
import { openExternally } from '../../electron/desktop/window.ts';
import type { EngineEvent } from '../../electron/engine/api.ts';

let running: TestEngine | undefined;
let stopNotifying: (() => void) | undefined;
const blockers: Server[] = [];
const openExternal = (url: string) => openExternally(url, () => {});

beforeEach(() => {
  FakeNotification.instances.length = 0;
  electron.shell.openExternal.mockClear();
  electron.safeStorage.backend = 'gnome_libsecret';
});
afterEach(async () => {
  stopNotifying?.();
  await running?.close();
  running = undefined;
  await Promise.all(blockers.splice(0).map((b) => new Promise((resolve) => b.close(resolve))));
});

/** A port something else already listens on. */
async function takenPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

/** A tray attached to the engine, as the desktop builds it; FakeTray.instances[0] is its icon. */
async function attachTray(engine: TestEngine['engine']): Promise<TrayController> {
  FakeTray.instances.length = 0;
  const tray = new TrayController({
    assetsDir: '/assets', loginItem: { isEnabled: () => false, setEnabled: async () => {} }, openWindow: () => {}, quit: () => {}, openExternal, reportError: () => {}, platform: 'linux',
  });
  await tray.attach(engine);
  return tray;
}

const shown = () => FakeNotification.instances.filter((n) => n.shown).map((n) => n.options);

describe('problems from the engine’s start', () => {
  it('a listener port and the IdP port taken before start are each notified, naming the port', async () => {
    const [appPort, idpPort] = [await takenPort(), await takenPort()];
    running = await startTestEngine({ ...DESKTOP_ENGINE, appPort, idpPort });
    stopNotifying = notifyEngineEvents(running.engine, openExternal, () => {});
    await vi.waitFor(() => expect(shown()).toHaveLength(2));
    expect(shown()).toEqual([
      { title: 'Portcullis: app is not listening', body: expect.stringContaining(String(appPort)) },
      {
        title: 'Portcullis: provider builtin is not ready',
        body: `provider builtin: the built-in identity provider could not start: port ${idpPort} on 127.0.0.1 is in use by another program`,
      },
    ]);
  });

  it('a clean start notifies nothing', async () => {
    running = await startTestEngine(DESKTOP_ENGINE);
    stopNotifying = notifyEngineEvents(running.engine, openExternal, () => {});
    await running.engine.stopUpstream('app');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown()).toEqual([]);
  });
});

describe('problems while running', () => {
  it('sessions that cannot be saved are logged once, notified and listed in the tray', async () => {
    const logLines: string[] = [];
    running = await startTestEngine({ ...DESKTOP_ENGINE, log: (line) => logLines.push(line) });
    stopNotifying = notifyEngineEvents(running.engine, openExternal, () => {});
    const tray = await attachTray(running.engine);
    // A non-empty directory where the sessions file goes: the save's rename cannot replace it.
    const sessionsFile = join(running.dir, 'data', 'sessions.enc');
    await rm(sessionsFile, { force: true });
    await mkdir(sessionsFile);
    await writeFile(join(sessionsFile, 'blocker'), '');

    await signInWithHint(createBrowser(), `http://localhost:${running.appPort}`, 'alice');

    const problems = () => shown().filter((n) => n.title === 'Portcullis: a problem needs attention');
    await vi.waitFor(() => expect(problems()).toHaveLength(1));
    expect(problems()[0].body).toMatch(/^could not save sessions: /);
    expect(logLines.filter((l) => l.includes('could not save sessions'))).toEqual([`error: ${problems()[0].body}`]);
    await vi.waitFor(() => expect(findItem(FakeTray.instances[0].menu, `⚠ ${problems()[0].body}`)).toBeTruthy());
    tray.dispose();
    await rm(sessionsFile, { recursive: true, force: true });
  });
});

describe('weak secret storage (Linux without a keyring)', () => {
  it('is notified once at start and stays in the tray menu', async () => {
    electron.safeStorage.backend = 'basic_text';
    running = await startTestEngine(DESKTOP_ENGINE);
    stopNotifying = notifyEngineEvents(running.engine, openExternal, () => {});
    const tray = await attachTray(running.engine);
    await vi.waitFor(() => expect(shown()).toEqual([{ title: 'Portcullis: secrets are weakly protected', body: BASIC_TEXT_WARNING }]));

    // Later state changes rebuild the menu but do not repeat the notice.
    await running.engine.stopUpstream('app');
    await running.engine.startUpstream('app');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown()).toHaveLength(1);
    expect(findItem(FakeTray.instances[0].menu, `⚠ ${BASIC_TEXT_WARNING}`).enabled).toBe(false);
    // A warning, not a failure: the icon stays green.
    expect(FakeTray.instances[0].image.path).toBe('/assets/tray-running.png');
    tray.dispose();
  });
});

describe('a session about to expire', () => {
  it('is named by user and upstream, and clicking it opens that upstream’s sign-in in the system browser', async () => {
    running = await startTestEngine(DESKTOP_ENGINE);
    const listener = `http://localhost:${running.appPort}`;
    await signInWithHint(createBrowser(), listener, 'alice');
    const [session] = await running.engine.listSessions();

    // The engine announces expiry only minutes before a real token lapses; the test hands the
    // shell that one event itself, through the real engine's subscription.
    let deliver: (event: EngineEvent) => void = () => {};
    const subscribe = running.engine.subscribe.bind(running.engine);
    vi.spyOn(running.engine, 'subscribe').mockImplementation((listen) => {
      deliver = listen;
      return subscribe(listen);
    });
    // Subscribing long after the sign-in: no state event has told the shell about this session.
    stopNotifying = notifyEngineEvents(running.engine, openExternal, () => {});
    deliver({ type: 'session-expiring', sessionId: session.id, expiresAt: Date.now() + 4 * 60_000 });

    // Only the expiry notice counts: under load the sign-in's own "Signed in" event may arrive
    // after the shell subscribed.
    const expiring = () => shown().filter((n) => n.title === 'Session expiring');
    await vi.waitFor(() => expect(expiring()).toHaveLength(1));
    expect(expiring()[0]).toEqual({ title: 'Session expiring', body: 'alice@example.test on app expires in 4 minutes and cannot refresh. Click to sign in again.' });

    FakeNotification.instances.find((n) => n.options.title === 'Session expiring')!.emit('click');
    await vi.waitFor(() => expect(electron.shell.openExternal).toHaveBeenCalledTimes(1));
    const opened = new URL(electron.shell.openExternal.mock.calls[0][0]);
    expect(`${opened.origin}${opened.pathname}`).toBe(`${listener}/oauth2/start`);
  });
});
