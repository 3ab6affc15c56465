// How the app introduces itself to the OS: its identity on Windows and the handler for
// portcullis:// links.
import { app } from 'electron';
import { APP_SCHEME } from './web-policy.ts';

/**
 * electron-builder.yml's appId. Windows ties notifications and taskbar grouping to the
 * Start-menu shortcut the installer creates with this id; without it notifications do not show.
 */
const APP_ID = 'dev.portcullis.app';

export function integrateWithOs(platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
  if (app.isPackaged) {
    if (!app.isDefaultProtocolClient(APP_SCHEME)) app.setAsDefaultProtocolClient(APP_SCHEME);
    return;
  }
  // Unpackaged, the executable is Electron itself: links must start it with this app's folder.
  const args = [app.getAppPath()];
  if (!app.isDefaultProtocolClient(APP_SCHEME, process.execPath, args)) app.setAsDefaultProtocolClient(APP_SCHEME, process.execPath, args);
}
