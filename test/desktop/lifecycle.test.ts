// The app's life: one instance, a quit that drains the real engine before the process exits,
// start at login, and the notifications a user gets.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { startTestEngine } from '../support/engine.ts';
import { DESKTOP_ENGINE } from './desktop-engine.ts';
import { claimSingleInstance, manageQuit } from '../../electron/desktop/lifecycle.ts';
import { autostartEntry, autostartFile, launchedAtLogin, loginItem } from '../../electron/desktop/login-item.ts';
import { noticeFor } from '../../electron/desktop/notifications.ts';
import type { EngineEvent, SessionView } from '../../electron/engine/api.ts';

describe('single instance', () => {
  it('a second launch shows the running instance’s window', () => {
    const show = vi.fn();
    expect(claimSingleInstance(show)).toBe(true);
    electron.app.emit('second-instance', {}, ['portcullis']);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('the second instance is told to quit', () => {
    electron.app.singleInstance = false;
    expect(claimSingleInstance(vi.fn())).toBe(false);
    electron.app.singleInstance = true;
  });
});

describe('quit', () => {
  it('drains the engine (listeners stop, sessions persist) before the app exits', async () => {
    const running = await startTestEngine(DESKTOP_ENGINE);
    const order: string[] = [];
    const close = running.engine.close.bind(running.engine);
    electron.app.exit.mockImplementation((code: number) => void order.push(`exit ${code}`));
    const quit = manageQuit(async () => {
      order.push('drain started');
      await close();
      order.push('drained');
    }, () => {});

    electron.app.quit();
    expect(quit.isQuitting()).toBe(true);
    await vi.waitFor(() => expect(order).toContain('exit 0'));
    expect(order).toEqual(['drain started', 'drained', 'exit 0']);
    // The listener no longer accepts connections.
    await expect(fetch(`http://127.0.0.1:${running.appPort}/ping`)).rejects.toThrow();
    await running.close();
  });

  it('closing the last window does not quit (the app lives in the tray)', () => {
    expect(electron.app.listenerCount('window-all-closed')).toBeGreaterThan(0);
  });
});

describe('start at login', () => {
  it.each([
    [['/opt/Portcullis/portcullis', '--hidden'], 'Exec=/opt/Portcullis/portcullis --hidden'],
    [['/home/me/Apps/Portcullis 1.0.AppImage', '--hidden'], 'Exec="/home/me/Apps/Portcullis 1.0.AppImage" --hidden'],
    [['/tmp/$(rm -rf ~)"`x`', '--hidden'], 'Exec="/tmp/\\$(rm -rf ~)\\"\\`x\\`" --hidden'],
  ])('the Linux autostart entry for %j runs %s', (command, exec) => {
    expect(autostartEntry(command).split('\n')).toContain(exec);
  });

  it('Linux: toggling writes and removes the XDG autostart entry', async () => {
    const home = await mkdtemp(join(tmpdir(), 'portcullis-home-'));
    vi.stubEnv('XDG_CONFIG_HOME', join(home, '.config'));
    const item = loginItem('linux');
    expect(item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    expect(item.isEnabled()).toBe(true);
    expect(await readFile(autostartFile(), 'utf8')).toMatch(/^Exec=.* --hidden$/m);
    await item.setEnabled(false);
    expect(item.isEnabled()).toBe(false);
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  });

  it.each(['darwin', 'win32'] as const)('%s: the OS login item, started hidden, reads back as ticked', async (platform) => {
    const item = loginItem(platform);
    await item.setEnabled(true);
    expect(electron.app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true, args: ['--hidden'] });
    // Windows finds the entry only when asked with the same args it was set with.
    expect(item.isEnabled()).toBe(true);
    await item.setEnabled(false);
    expect(item.isEnabled()).toBe(false);
  });

  it.each([
    [['portcullis', '--hidden'], 'linux', true],
    [['portcullis'], 'linux', false],
  ] as const)('launched with %j on %s: hidden=%s', (argv, platform, hidden) => {
    expect(launchedAtLogin(argv, platform)).toBe(hidden);
  });
});

describe('notifications', () => {
  const session: SessionView = {
    id: 's1', upstreamId: 'app', providerId: 'builtin', user: 'alice', email: 'alice@example.test', groups: ['admins', 'devs'], roles: [], createdAt: 0, willRefresh: false, timeline: [],
  };
  const now = 1_000_000;
  it.each<[string, EngineEvent, ReturnType<typeof noticeFor>]>([
    ['a session starts', { type: 'session-started', session }, { title: 'Signed in to app', body: 'alice@example.test (admins, devs) via builtin' }],
    ['a session with roles starts', { type: 'session-started', session: { ...session, roles: ['reporter'] } }, { title: 'Signed in to app', body: 'alice@example.test (admins, devs; roles reporter) via builtin' }],
    ['a session will expire', { type: 'session-expiring', sessionId: 's1', expiresAt: now + 5 * 60_000 }, {
      title: 'Session expiring', body: 'alice@example.test on app expires in 5 minutes and cannot refresh. Click to sign in again.', onClick: { signIn: 'app' },
    }],
    ['a session no longer listed will expire', { type: 'session-expiring', sessionId: 'gone', expiresAt: now + 60_000 }, {
      title: 'Session expiring', body: 'A session expires in a minute and cannot refresh. Click to sign in again.',
    }],
    ['the engine fails', { type: 'error', scope: 'provider:corp', message: 'corp: issuer unreachable' }, { title: 'Portcullis: a problem needs attention', body: 'corp: issuer unreachable' }],
    ['a request passes', { type: 'request', entry: {} as never }, undefined],
    ['a session ends', { type: 'session-ended', sessionId: 's1' }, undefined],
  ])('%s', (_name, event, expected) => {
    expect(noticeFor(event, [session], now)).toEqual(expected);
  });
});
