// The fault lab in the tray, against a real engine and the real built-in provider: "Switch to ▸
// persona" under a signed-in session changes who the app sees, and the provider's faults show
// the simulation ring until cleared.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { FakeTray, findItem } from './fake-electron.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { startEcho, type EchoTarget } from '../support/echo.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { signInWithHint } from '../support/signin.ts';
import { untilState } from '../support/wait.ts';
import { TrayController } from '../../electron/desktop/tray.ts';

let echo: EchoTarget;
let running: TestEngine;
let tray: TrayController;
let trayIcon: FakeTray;
let alice: Browser;
let app: string;

beforeAll(async () => {
  echo = await startEcho();
  running = await startTestEngine({ target: echo.url });
  app = `http://localhost:${running.appPort}`;
  FakeTray.instances.length = 0;
  tray = new TrayController({
    assetsDir: '/assets', loginItem: { isEnabled: () => false, setEnabled: async () => {} }, openWindow: vi.fn(), quit: vi.fn(), openExternal: vi.fn(), reportError: vi.fn(), platform: 'linux',
  });
  trayIcon = FakeTray.instances[0];
  await tray.attach(running.engine);
  alice = createBrowser();
  await signInWithHint(alice, app, 'alice');
});

afterAll(async () => {
  tray?.dispose();
  await running?.close();
  await echo?.stop();
});

const sessionEntry = (email: string) => trayIcon.menu.find((i) => i.label === `Signed in as ${email} on app`);

async function emailSeenByApp(): Promise<string> {
  expect((await alice.get(`${app}/whoami`)).status).toBe(200);
  return String(echo.requests.at(-1)!.headers['x-forwarded-email']);
}

describe('Switch to ▸ persona in the tray', () => {
  it('switches the signed-in session to bob: the app sees bob, and the tray then offers alice', async () => {
    await untilState(running.engine, 'the tray to list alice\'s session', () => sessionEntry('alice@example.test') !== undefined);
    expect(await emailSeenByApp()).toBe('alice@example.test');
    expect(() => findItem(trayIcon.menu, 'Signed in as alice@example.test on app', 'Switch to ▸ alice')).toThrow(/no menu item/);

    findItem(trayIcon.menu, 'Signed in as alice@example.test on app', 'Switch to ▸ bob').click();
    await untilState(running.engine, 'the tray to list the session as bob\'s', () => sessionEntry('bob@example.test') !== undefined);
    expect(await emailSeenByApp()).toBe('bob@example.test');
    expect(findItem(trayIcon.menu, 'Signed in as bob@example.test on app', 'Switch to ▸ alice').label).toBe('Switch to ▸ alice');
  });
});

describe('the fault ring', () => {
  it('shows the simulation ring while the provider has faults set, and the running icon once cleared', async () => {
    expect(trayIcon.image.path).toBe('/assets/tray-running.png');
    await running.engine.setIdpFaults({ refresh: 'invalid_grant' });
    await untilState(running.engine, 'the ring icon', () => trayIcon.image.path === '/assets/tray-simulating.png');
    await running.engine.clearIdpFaults();
    await untilState(running.engine, 'the running icon', () => trayIcon.image.path === '/assets/tray-running.png');
  });
});
