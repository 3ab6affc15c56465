// The tray against a real engine: what the menu shows, that it follows engine events, and
// that clicks reach the engine, the system browser and the clipboard.
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { FakeNotification, FakeTray, findItem } from './fake-electron.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { untilState } from '../support/wait.ts';
import { DESKTOP_ENGINE } from './desktop-engine.ts';
import { TrayController, trayIconFile } from '../../electron/desktop/tray.ts';
import { notifyEngineEvents } from '../../electron/desktop/notifications.ts';
import { openExternally } from '../../electron/desktop/window.ts';

describe('icons', () => {
  it.each([
    ['darwin', 'running', '/assets/tray-runningTemplate.png'],
    ['linux', 'error', '/assets/tray-error.png'],
    ['win32', 'simulating', '/assets/tray-simulating.png'],
  ] as const)('on %s the %s icon is %s', (platform, status, file) => {
    expect(trayIconFile('/assets', status, platform)).toBe(file);
  });
});

describe('when the engine could not start', () => {
  it('the tray stays, red, says why, and does not offer the window', () => {
    FakeTray.instances.length = 0;
    const openWindow = vi.fn();
    const tray = new TrayController({
      assetsDir: '/assets', loginItem: { isEnabled: () => false, setEnabled: async () => {} }, openWindow, quit: vi.fn(), openExternal: vi.fn(), reportError: vi.fn(), platform: 'linux',
    });
    tray.failed('the OS keychain is not available, so secrets cannot be stored safely');
    const { menu, image, tooltip } = FakeTray.instances[0];
    expect(image.path).toBe('/assets/tray-error.png');
    expect(tooltip).toBe('Portcullis — could not start');
    expect(menu[0].label).toBe('Portcullis — could not start');
    expect(findItem(menu, '⚠ the OS keychain is not available').enabled).toBe(false);
    expect(findItem(menu, 'Open Portcullis…').enabled).toBe(false);
    expect(() => findItem(menu, 'Dismiss errors')).toThrow(/no menu item/);
    expect(findItem(menu, 'Quit Portcullis').enabled).not.toBe(false);
    tray.dispose();
  });
});

describe('with a running engine', () => {
let running: TestEngine;
let tray: TrayController;
let trayIcon: FakeTray;
const windowOpened = vi.fn();
const quit = vi.fn();
const loginItem = { enabled: false, isEnabled: () => loginItem.enabled, setEnabled: vi.fn(async (v: boolean) => void (loginItem.enabled = v)) };

beforeEach(async () => {
  FakeTray.instances.length = 0;
  FakeNotification.instances.length = 0;
  electron.shell.openExternal.mockClear();
  running = await startTestEngine(DESKTOP_ENGINE);
  tray = new TrayController({
    assetsDir: '/assets',
    loginItem,
    openWindow: windowOpened,
    quit,
    openExternal: (url) => openExternally(url, () => {}),
    reportError: (message) => new electron.Notification({ title: 'Portcullis', body: message }).show(),
    notify: (message) => new electron.Notification({ title: 'Portcullis', body: message }).show(),
    platform: 'linux',
  });
  trayIcon = FakeTray.instances[0];
  await tray.attach(running.engine);
});

afterEach(async () => {
  tray.dispose();
  await running.close();
});

const click = (...path: string[]) => findItem(trayIcon.menu, ...path).click();
const appEntry = () => trayIcon.menu.find((i) => String(i.label).includes(' app  '))?.label as string;

describe('the tray follows the engine', () => {
  it('shows each upstream with its state, the status header and a green icon', () => {
    expect(appEntry()).toBe(`● app  :${running.appPort} → :${new URL(running.engine.config.upstreams[0].target).port}`);
    expect(trayIcon.menu[0].label).toBe('Portcullis — 1 of 1 running');
    expect(trayIcon.tooltip).toBe('Portcullis — 1 of 1 running');
    expect(trayIcon.image.path).toBe('/assets/tray-running.png');
  });

  it('rebuilds the menu when the engine changes state, whoever changed it', async () => {
    const builds = trayIcon.menuBuilds;
    await running.engine.stopUpstream('app');
    await untilState(running.engine, 'the app entry to show ○ (stopped)', () => appEntry()?.startsWith('○'));
    expect(trayIcon.menuBuilds).toBeGreaterThan(builds);
    expect(trayIcon.image.path).toBe('/assets/tray-stopped.png');
    expect(findItem(trayIcon.menu, '○ app', 'Start').label).toBe('Start');
  });
});

describe('clicks reach the engine', () => {
  it('Stop and Start change the listener', async () => {
    click('● app', 'Stop');
    await untilState(running.engine, 'the app entry to show ○ (stopped)', () => appEntry()?.startsWith('○'));
    expect((await running.engine.getState()).upstreams[0].status.state).toBe('stopped');
    click('○ app', 'Start');
    await untilState(running.engine, 'the app entry to show ● (running)', () => appEntry()?.startsWith('●'));
    expect((await running.engine.getState()).upstreams[0].status.state).toBe('running');
  });

  it('Stop all and Start all', async () => {
    click('Stop all');
    await untilState(running.engine, 'the app entry to show ○ (stopped)', () => appEntry()?.startsWith('○'));
    click('Start all');
    await untilState(running.engine, 'the app entry to show ● (running)', () => appEntry()?.startsWith('●'));
  });

  it('Sign in opens the listener’s /oauth2/start in the system browser', async () => {
    click('● app', 'Sign in');
    await vi.waitFor(() => expect(electron.shell.openExternal).toHaveBeenCalled());
    const url = new URL(electron.shell.openExternal.mock.calls[0][0]);
    expect(url.origin).toBe(`http://localhost:${running.appPort}`);
    expect(url.pathname).toBe('/oauth2/start');
    expect(url.searchParams.get('login_hint')).toBeNull();
  });

  it('Sign in as a persona passes the persona as login_hint', async () => {
    click('● app', 'Sign in as', 'bob');
    await vi.waitFor(() => expect(electron.shell.openExternal).toHaveBeenCalled());
    const url = new URL(electron.shell.openExternal.mock.calls[0][0]);
    expect(url.pathname).toBe('/oauth2/start');
    expect(url.searchParams.get('login_hint')).toBe('bob');
  });

  it('Open in browser and Copy URL use the listener URL', async () => {
    click('● app', 'Open in browser');
    expect(electron.shell.openExternal).toHaveBeenCalledWith(`http://localhost:${running.appPort}`);
    click('● app', 'Copy URL');
    expect(electron.clipboard.writeText).toHaveBeenCalledWith(`http://localhost:${running.appPort}`);
  });

  it('Simulate groups sets and ends a simulation on the engine', async () => {
    click('Simulate groups', 'devs');
    await untilState(running.engine, 'the app entry to end in (simulating)', () => appEntry()?.endsWith('(simulating)'));
    expect((await running.engine.getState()).upstreams[0].status.simulation).toEqual({ groups: ['devs'] });
    expect(trayIcon.image.path).toBe('/assets/tray-simulating.png');
    expect(findItem(trayIcon.menu, 'Simulate groups', 'devs').checked).toBe(true);

    click('Simulate groups', 'End simulation');
    await untilState(running.engine, 'the app entry to lose (simulating)', () => !appEntry()?.endsWith('(simulating)'));
    expect((await running.engine.getState()).upstreams[0].status.simulation).toBeUndefined();
  });

  it('Simulate roles toggles roles on the engine and leaves the simulated groups alone', async () => {
    const reporter = () => (findItem(trayIcon.menu, 'Simulate roles').submenu as Array<{ label: string; checked?: boolean }>).find((i) => i.label === 'reporter');
    await running.engine.setSimulation('app', { groups: ['devs'], roles: ['reporter'] });
    await untilState(running.engine, 'Simulate roles to tick reporter', () => reporter()?.checked === true);
    expect(findItem(trayIcon.menu, 'Simulate roles').label).toBe('Simulate roles (app: reporter)');
    click('Simulate roles', 'reporter');
    // Unticked, reporter is no longer known: the engine knows no other source of it here.
    await untilState(running.engine, 'Simulate roles to drop reporter', () => reporter() === undefined);
    expect((await running.engine.getState()).upstreams[0].status.simulation).toEqual({ groups: ['devs'] });
    expect(findItem(trayIcon.menu, 'Simulate groups', 'devs').checked).toBe(true);
    await running.engine.endSimulation('app');
  });

  it('Copy a token for ▸ bob puts a fresh access token for bob on the clipboard, and no notification or log carries it', async () => {
    electron.clipboard.writeText.mockClear();
    click('Copy a token for', 'bob');
    await vi.waitFor(() => expect(electron.clipboard.writeText).toHaveBeenCalled());
    const token = electron.clipboard.writeText.mock.calls[0][0] as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'bob', email: 'bob@example.test', aud: 'portcullis' });
    await vi.waitFor(() => expect(FakeNotification.instances.map((n) => n.options.body)).toContainEqual(expect.stringMatching(/^An access token for bob is on the clipboard; it expires at /)));
    for (const n of FakeNotification.instances) expect(n.options.body).not.toContain(token);
    expect(findItem(trayIcon.menu, 'Portcullis —').label).not.toContain(token);
  });

  it('Start at login, Open Portcullis… and Quit', async () => {
    click('Start at login');
    await vi.waitFor(() => expect(findItem(trayIcon.menu, 'Start at login').checked).toBe(true));
    expect(loginItem.setEnabled).toHaveBeenCalledWith(true);
    click('Open Portcullis…');
    expect(windowOpened).toHaveBeenCalled();
    click('Quit Portcullis');
    expect(quit).toHaveBeenCalled();
  });

  it('a call the engine refuses is reported and listed in the menu', async () => {
    // The menu was open while another UI removed the upstream.
    const openMenu = trayIcon.menu;
    await running.engine.removeUpstream('app');
    findItem(openMenu, '● app', 'Stop').click();
    await vi.waitFor(() => expect(FakeNotification.instances.length).toBeGreaterThan(0));
    const message = FakeNotification.instances.at(-1)!.options.body;
    expect(message).toMatch(/app/);
    expect(findItem(trayIcon.menu, `⚠ ${message}`).enabled).toBe(false);
    expect(trayIcon.image.path).toBe('/assets/tray-error.png');
    click('Dismiss errors');
    expect(trayIcon.image.path).toBe('/assets/tray-stopped.png');
  });
});

describe('engine errors', () => {
  let blocker: Server;
  afterEach(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('a listener that cannot bind turns the tray red and notifies', async () => {
    notifyEngineEvents(running.engine, () => {}, () => {});
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    await running.engine.addUpstream({ id: 'busy', listen: { host: '127.0.0.1', port: busy }, target: 'http://127.0.0.1:9', provider: 'builtin' });
    await untilState(running.engine, 'the tray icon to turn to the error icon', () => trayIcon.image.path === '/assets/tray-error.png');
    expect(findItem(trayIcon.menu, '✕ busy').label).toContain(`:${busy}`);
    expect(trayIcon.tooltip).toMatch(/1 problem/);
    await vi.waitFor(() => expect(FakeNotification.instances.some((n) => n.shown && n.options.body.includes(String(busy)))).toBe(true));
  });
});

describe('unexpected errors in the shell', () => {
  it('turn the tray red, are listed and notified', () => {
    tray.report('Unexpected error: boom');
    expect(trayIcon.image.path).toBe('/assets/tray-error.png');
    expect(findItem(trayIcon.menu, '⚠ Unexpected error: boom').enabled).toBe(false);
    expect(FakeNotification.instances.at(-1)!.options).toEqual({ title: 'Portcullis', body: 'Unexpected error: boom' });
  });
});
});
