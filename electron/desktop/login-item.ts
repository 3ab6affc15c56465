// "Start at login": Electron's login items on macOS and Windows; on Linux, where Electron has
// none, an XDG autostart entry (~/.config/autostart/portcullis.desktop). Launched at login,
// the app starts hidden in the tray.
import { app } from 'electron';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const HIDDEN_FLAG = '--hidden';

/** Set and read with the same args: on Windows getLoginItemSettings matches the entry by path and args. */
const LOGIN_ITEM_ARGS = { args: [HIDDEN_FLAG] };

export interface LoginItem {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): Promise<void>;
}

export function autostartFile(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'autostart', 'portcullis.desktop');
}

/** Quotes one argument of a desktop-entry Exec line (the spec's quoting rules). */
function execArg(arg: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(command: readonly string[]): string {
  return ['[Desktop Entry]', 'Type=Application', 'Name=Portcullis', 'Comment=Authenticating proxy for local apps', `Exec=${command.map(execArg).join(' ')}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

function linuxLoginItem(command: readonly string[]): LoginItem {
  const file = autostartFile();
  return {
    isEnabled: () => existsSync(file),
    async setEnabled(enabled) {
      if (!enabled) return rm(file, { force: true });
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, autostartEntry(command), { mode: 0o644 });
    },
  };
}

/** The login item for this platform. On Linux an AppImage must be started through its own file. */
export function loginItem(platform: NodeJS.Platform = process.platform): LoginItem {
  if (platform === 'linux') {
    // Unpackaged (`electron .`), the binary needs the app folder to know what to run.
    const appFolder = app.isPackaged ? [] : [app.getAppPath()];
    return linuxLoginItem([process.env.APPIMAGE || process.execPath, ...appFolder, HIDDEN_FLAG]);
  }
  return {
    isEnabled: () => app.getLoginItemSettings(LOGIN_ITEM_ARGS).openAtLogin,
    async setEnabled(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled, ...LOGIN_ITEM_ARGS });
    },
  };
}

/** Whether this launch came from the login item, so the window stays hidden. */
export function launchedAtLogin(argv: readonly string[], platform: NodeJS.Platform = process.platform): boolean {
  return argv.includes(HIDDEN_FLAG) || (platform === 'darwin' && app.getLoginItemSettings(LOGIN_ITEM_ARGS).wasOpenedAtLogin === true);
}
