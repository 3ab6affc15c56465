// A real Engine for the shell's tests: temp data dir, a config file on free loopback ports,
// the desktop's keychain secret store (over the fake electron's safeStorage). A test may hand
// it ports it already holds, to see how the shell reports a listener that cannot bind.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine.ts';
import { defaultConfig } from '../../electron/engine/config/defaults.ts';
import { KeychainSecretStore } from '../../electron/desktop/secrets.ts';
import { freePort } from '../support/free-port.ts';

export interface DesktopEngine {
  engine: Engine;
  dir: string;
  appPort: number;
  /** The engine's log lines, in order. */
  logLines: string[];
  close(): Promise<void>;
}

/** Ports to use instead of free ones, e.g. one a test already holds. */
export interface DesktopEngineOptions {
  appPort?: number;
  idpPort?: number;
}

export async function startDesktopEngine(options: DesktopEngineOptions = {}): Promise<DesktopEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-desktop-'));
  const [appPort, idpPort, targetPort] = [options.appPort ?? (await freePort()), options.idpPort ?? (await freePort()), await freePort()];
  const config = {
    upstreams: [{ id: 'app', enabled: true, listen: { host: '127.0.0.1', port: appPort }, target: `http://127.0.0.1:${targetPort}`, provider: 'builtin', allowedGroups: ['admins'] }],
    providers: [{ id: 'builtin', type: 'builtin' }],
    builtinIdp: {
      port: idpPort,
      users: defaultConfig().builtinIdp.users,
    },
  };
  const configFile = join(dir, 'portcullis.json');
  await writeFile(configFile, JSON.stringify(config));
  const dataDir = join(dir, 'data');
  // As on Linux whatever the host, so the fake safeStorage's backend decides the keyring warning.
  const secretStore = await KeychainSecretStore.open(dataDir, 'linux');
  const logLines: string[] = [];
  const engine = await Engine.start({ configFile, dataDir, log: (line) => logLines.push(line), secretStore });
  return {
    engine,
    dir,
    appPort,
    logLines,
    async close() {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` holds after an engine event (or already holds). */
export function untilState<T>(engine: Engine, check: () => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const now = check();
    if (now) return resolve(now);
    const stop = engine.subscribe(() => {
      const value = check();
      if (value) {
        stop();
        resolve(value);
      }
    });
  });
}
