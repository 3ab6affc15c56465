// The desktop app's entry (Electron main process): one instance, the engine in this process,
// the tray that drives it, the window for the full UI, and a quit that drains the engine.
// Everything here is wiring; the behaviour lives in electron/desktop/ and the engine.
import { app, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from './engine/engine.ts';
import { registerAppScheme, serveAppProtocol } from './desktop/app-protocol.ts';
import { guardAgainstCrashes } from './desktop/crash-guard.ts';
import { openDesktopSettings } from './desktop/desktop-settings.ts';
import { forwardEvents, registerIpc } from './desktop/ipc.ts';
import { claimSingleInstance, manageQuit } from './desktop/lifecycle.ts';
import { launchedAtLogin, loginItem } from './desktop/login-item.ts';
import { notifyEngineEvents, showNotice } from './desktop/notifications.ts';
import { integrateWithOs } from './desktop/os-integration.ts';
import { applyPermissionPolicy } from './desktop/permissions.ts';
import { KeychainSecretStore } from './desktop/secrets.ts';
import { TrayController } from './desktop/tray.ts';
import { AppWindow, openExternally } from './desktop/window.ts';

const here = dirname(fileURLToPath(import.meta.url));
const log = (line: string) => console.log(line);

// Held for the app's lifetime: a Tray nothing references is garbage-collected, icon and all
// (when the engine fails to start, nothing else would hold it).
let tray: TrayController | undefined;

function main(): void {
  const crashes = guardAgainstCrashes(log);
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

  // Without a running engine the page would have no IPC to talk to; the tray says why.
  const showWindow = () => {
    if (engine) appWindow.show();
  };

  if (!claimSingleInstance(showWindow)) {
    app.quit();
    return;
  }
  const quit = manageQuit(() => engine?.close(), log);
  registerAppScheme();

  app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    settings = openDesktopSettings(dataDir);
    integrateWithOs();
    applyPermissionPolicy(session.defaultSession);
    serveAppProtocol(join(app.getAppPath(), 'renderer', 'dist'));
    app.on('activate', showWindow);

    const openExternal = (url: string) => openExternally(url, log);
    tray = new TrayController({
      assetsDir: join(app.getAppPath(), 'assets'),
      loginItem: loginItem(),
      openWindow: showWindow,
      quit: () => app.quit(),
      openExternal,
      reportError: (message) => showNotice({ title: 'Portcullis', body: message }),
      notify: (message) => showNotice({ title: 'Portcullis', body: message }),
    });
    crashes.reportTo((message) => tray?.report(message));

    try {
      const secretStore = await KeychainSecretStore.open(dataDir);
      engine = await Engine.start({ dataDir, log, secretStore });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      log(`Portcullis could not start: ${reason}`);
      tray.failed(reason);
      showNotice({ title: 'Portcullis could not start', body: reason });
      return;
    }

    // Synchronously, before anything can show the window: its calls need these handlers.
    registerIpc(engine, log);
    forwardEvents(engine, () => appWindow.webContents);
    notifyEngineEvents(engine, openExternal, log);
    await tray.attach(engine);
    if (!launchedAtLogin(process.argv)) appWindow.show();
  }).catch((err: unknown) => {
    log(`Portcullis failed while starting: ${String(err)}`);
    app.exit(1);
  });
}

main();
