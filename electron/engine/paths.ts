// Where Portcullis keeps its data when no --data-dir is given: the directory Electron
// uses as `app.getPath('userData')` for the app name `Portcullis`, so the headless engine
// and the desktop app share one settings file, one secret store and one session store.
import { homedir } from 'node:os';
import { join } from 'node:path';

const APP_NAME = 'Portcullis';

// Electron's userData is `appData/<name>`; env-paths' "config" dir differs from it on macOS
// (Preferences vs Application Support) and Windows (a Config subfolder), so the rule is spelt out.
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}
