// The desktop app's entry (Electron main process): one instance, the engine in this process,
// the tray that drives it, the window for the full UI, and a quit that drains the engine.
// Everything here is wiring; the behaviour lives in electron/desktop/ and the engine.
import { app, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from './engine/engine.ts';
import { registerAppScheme, serveAppProtocol } from './desktop/app-protocol.ts';
import { openDesktopSettings } from './desktop/desktop-settings.ts';
import { forwardEvents, registerIpc } from './desktop/ipc.ts';
import { claimSingleInstance, manageQuit } from './desktop/lifecycle.ts';
import { launchedAtLogin, loginItem } from './desktop/login-item.ts';
import { notifyEngineEvents, showNotice } from './desktop/notifications.ts';
import { KeychainSecretStore } from './desktop/secrets.ts';
import { TrayController } from './desktop/tray.ts';
import { APP_SCHEME } from './desktop/web-policy.ts';
import { AppWindow, openExternally } from './desktop/window.ts';

const here = dirname(fileURLToPath(import.meta.url));
const log = (line: string) => console.log(line);

/** Denies every permission (camera, notifications from the page, geolocation…): the UI needs none. */
function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function main(): void {
  let engine: Engine | undefined;
  let settings: ReturnType<typeof openDesktopSettings> | undefined;
  const appWindow = new AppWindow({
    preloadPath: join(here, 'preload.cjs'),
    iconPath: join(app.getAppPath(), 'assets', 'icon.png'),
    loadBounds: () => settings?.loadBounds(),
    saveBounds: (bounds) => settings?.saveBounds(bounds),
    isQuitting: () => quit.isQuitting(),
    log,
  });

  if (!claimSingleInstance(() => appWindow.show())) {
    app.quit();
    return;
  }
  const quit = manageQuit(() => engine?.close(), log);
  registerAppScheme();

  app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    settings = openDesktopSettings(dataDir);
    denyPermissions();
    serveAppProtocol(join(app.getAppPath(), 'renderer', 'dist'));
    if (!app.isDefaultProtocolClient(APP_SCHEME)) app.setAsDefaultProtocolClient(APP_SCHEME);
    app.on('activate', () => appWindow.show());

    const openExternal = (url: string) => openExternally(url, log);
    const tray = new TrayController({
      assetsDir: join(app.getAppPath(), 'assets'),
      loginItem: loginItem(),
      openWindow: () => appWindow.show(),
      quit: () => app.quit(),
      openExternal,
      reportError: (message) => showNotice({ title: 'Portcullis', body: message }, () => undefined),
    });

    try {
      const secretStore = await KeychainSecretStore.open(dataDir);
      engine = await Engine.start({ dataDir, log, secretStore });
    } catch (err) {
      const message = `Portcullis could not start: ${err instanceof Error ? err.message : String(err)}`;
      log(message);
      tray.failed(message);
      showNotice({ title: 'Portcullis could not start', body: message }, () => undefined);
      return;
    }

    const running = engine;
    const signIn = (upstreamId: string) => void running.signInUrl(upstreamId).then(openExternal, (e: unknown) => log(String(e)));
    notifyEngineEvents(running, signIn);
    registerIpc(running, log);
    forwardEvents(running, () => appWindow.webContents);
    await tray.attach(running);
    if (!launchedAtLogin(process.argv)) appWindow.show();
  }).catch((err: unknown) => {
    log(`Portcullis failed while starting: ${String(err)}`);
    app.exit(1);
  });
}

main();
