// The window: created with the security options, refusing navigation, new windows and
// foreign links, hiding on close, remembering its bounds, surviving a renderer crash.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { FakeBrowserWindow } from './fake-electron.ts';
import { AppWindow } from '../../electron/desktop/window.ts';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, externalUrlProblem, isAppUrl } from '../../electron/desktop/web-policy.ts';
import { DEFAULT_SIZE, restoreBounds } from '../../electron/desktop/window-bounds.ts';

let quitting = false;
let saved: unknown;
const logged: string[] = [];

function openWindow(): FakeBrowserWindow {
  const appWindow = new AppWindow({
    preloadPath: '/app/dist-electron/preload.cjs',
    loadBounds: () => saved,
    saveBounds: (b) => (saved = b),
    isQuitting: () => quitting,
    log: (line) => logged.push(line),
  });
  appWindow.show();
  return FakeBrowserWindow.instances.at(-1)!;
}

beforeEach(() => {
  // Each test's AppWindow listens for the quit; only the newest should answer.
  electron.app.removeAllListeners('before-quit');
  FakeBrowserWindow.instances.length = 0;
  electron.shell.openExternal.mockClear();
  quitting = false;
  saved = undefined;
  logged.length = 0;
});

describe('a new window', () => {
  it('is locked down: isolated, sandboxed, no Node, our preload', () => {
    const prefs = openWindow().options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/dist-electron/preload.cjs',
    });
  });

  it('loads the UI through the app protocol, never file://', () => {
    const win = openWindow();
    expect(win.webContents.url).toBe(APP_ENTRY_URL);
    expect(APP_ENTRY_URL).toBe('portcullis://app/index.html');
    expect(win.visible).toBe(true);
  });
});

describe('navigation and new windows', () => {
  it.each([
    ['http link', 'http://localhost:4180/', 'http://localhost:4180/'],
    ['https link', 'https://www.electronjs.org/docs', 'https://www.electronjs.org/docs'],
    ['file URL', 'file:///etc/passwd', undefined],
    ['javascript URL', 'javascript:alert(1)', undefined],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic', undefined],
    ['smb share', 'smb://attacker/share', undefined],
    ['credentials in link', 'https://user:pw@example.com/', undefined],
    ['our own scheme', 'portcullis://app/other.html', undefined],
  ])('window.open of a %s is denied (system browser: %s)', (_name, url, opened) => {
    const win = openWindow();
    expect(win.webContents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    if (opened) expect(electron.shell.openExternal).toHaveBeenCalledWith(opened);
    else expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it.each([
    ['an external site', 'https://evil.example/', true],
    ['a file', 'file:///home/me/.ssh/id_rsa', true],
    ['another host on our scheme', 'portcullis://evil/index.html', true],
    ['our own page', 'portcullis://app/index.html#/sessions', false],
  ])('navigating to %s: blocked=%s', (_name, url, blocked) => {
    const win = openWindow();
    for (const event of ['will-navigate', 'will-redirect']) {
      let prevented = false;
      win.webContents.emit(event, { preventDefault: () => (prevented = true) }, url);
      expect(prevented).toBe(blocked);
    }
  });

  it('refuses embedded web views', () => {
    let prevented = false;
    openWindow().webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});

describe('closing, bounds and crashes', () => {
  it('close hides the window (the app stays in the tray) and saves its bounds', () => {
    const win = openWindow();
    win.bounds = { x: 100, y: 80, width: 900, height: 700 };
    expect(win.userClose()).toBe(false);
    expect(win.visible).toBe(false);
    expect(saved).toEqual({ x: 100, y: 80, width: 900, height: 700 });
  });

  it('quitting with the window open saves its bounds (the exit closes it without a close event)', () => {
    const win = openWindow();
    win.bounds = { x: 240, y: 120, width: 1000, height: 720 };
    electron.app.quit();
    expect(saved).toEqual({ x: 240, y: 120, width: 1000, height: 720 });
  });

  it('quitting before the window was ever opened saves nothing', () => {
    new AppWindow({ preloadPath: '/p.cjs', loadBounds: () => saved, saveBounds: (b) => (saved = b), isQuitting: () => true, log: () => {} });
    electron.app.quit();
    expect(saved).toBeUndefined();
  });

  it('close really closes while quitting', () => {
    const win = openWindow();
    quitting = true;
    expect(win.userClose()).toBe(true);
  });

  it('reopens where it was', () => {
    saved = { x: 100, y: 80, width: 900, height: 700 };
    expect(openWindow().options).toMatchObject(saved as object);
  });

  it('a renderer crash reloads the page and stops nothing else', () => {
    const win = openWindow();
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(win.webContents.reloads).toBe(1);
    expect(logged.at(-1)).toMatch(/the proxies keep running/);
  });
});

describe('web policy', () => {
  it.each([
    ['portcullis://app/index.html', true],
    ['portcullis://app/', true],
    // Chromium lower-cases standard-scheme hosts before we see them; anything else is not ours.
    ['portcullis://APP/index.html', false],
    ['portcullis://app.evil/index.html', false],
    ['portcullis://evil/app/index.html', false],
    ['portcullis://user@app/index.html', false],
    ['https://app/index.html', false],
    ['file:///app/index.html', false],
    ['about:blank', false],
    ['', false],
    [undefined, false],
  ])('isAppUrl(%s) = %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it.each([
    ['http link', 'http://localhost:4180/', undefined],
    ['https link', 'https://example.com/a?b=c', undefined],
    ['ftp link', 'ftp://example.com/', 'scheme ftp: is not http or https'],
    ['garbage', 'not a url', 'not a valid URL'],
    ['credentials', 'https://a:b@example.com/', 'link carries a user name or password'],
    ['huge link', `https://example.com/${'a'.repeat(3000)}`, 'link longer than 2048 characters'],
  ])('external link: %s', (_name, url, expected) => {
    expect(externalUrlProblem(url)).toBe(expected);
  });

  it('the CSP allows only our own scripts and forbids framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it.each([
    ['nothing saved', undefined, DEFAULT_SIZE],
    ['on screen', { x: 100, y: 100, width: 800, height: 600 }, { x: 100, y: 100, width: 800, height: 600 }],
    ['on an unplugged monitor', { x: 3000, y: 100, width: 800, height: 600 }, DEFAULT_SIZE],
    ['title bar above the screen', { x: 100, y: -700, width: 800, height: 600 }, DEFAULT_SIZE],
    ['too small', { x: 0, y: 0, width: 10, height: 10 }, DEFAULT_SIZE],
    ['garbage', { x: 'a', y: null }, DEFAULT_SIZE],
    ['not a number', { x: Number.NaN, y: 0, width: 800, height: 600 }, DEFAULT_SIZE],
  ])('%s', (_name, saved, expected) => {
    expect(restoreBounds(saved, screen)).toEqual(expected);
  });
});
