// What the engine keeps on disk, opened at start: the private data dir, the settings, the
// secret store, the key that seals session cookies and the sessions file, and the sessions.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CookieSealer } from './auth/session-crypto.ts';
import { SessionStore } from './auth/session-store.ts';
import { EncryptedFileSecretStore, type SecretStore } from './config/secrets.ts';
import { ensurePrivateDir } from './config/private-dir.ts';
import { SettingsStore } from './config/settings-store.ts';
import type { ReportProblem } from './problems.ts';
import { SettingsService } from './settings-service.ts';

const SESSION_KEY_REF = 'session-key';

export interface StorageOptions {
  configFile?: string;
  dataDir: string;
  secretStore?: SecretStore;
}

export interface EngineStorage {
  settings: SettingsService;
  sealer: CookieSealer;
  sessionStore: SessionStore;
}

/** The key that seals session cookies and the sessions file, kept in the secret store (the OS keychain on the desktop). */
async function sessionKey(secrets: SecretStore): Promise<Buffer> {
  const stored = await secrets.get(SESSION_KEY_REF);
  const key = stored ? Buffer.from(stored, 'base64') : undefined;
  if (key?.length === 32) return key;
  const fresh = randomBytes(32);
  await secrets.set(SESSION_KEY_REF, fresh.toString('base64'));
  return fresh;
}

/** Opens it all; warnings (a data dir others could read, sessions that could not be read) go to `notice`. */
export async function openStorage(opts: StorageOptions, notice: (line: string) => void, report: ReportProblem): Promise<EngineStorage> {
  const dataDirWarning = await ensurePrivateDir(opts.dataDir);
  if (dataDirWarning) notice(`warning: ${dataDirWarning}`);
  const store = await SettingsStore.open({ configFile: opts.configFile, dataDir: opts.dataDir });
  const secrets = opts.secretStore ?? new EncryptedFileSecretStore(opts.dataDir);
  const key = await sessionKey(secrets);
  const sessionStore = await SessionStore.open({ file: join(opts.dataDir, 'sessions.enc'), key, report });
  for (const warning of sessionStore.warnings ?? []) notice(warning);
  return { settings: new SettingsService(store, secrets), sealer: new CookieSealer(key), sessionStore };
}
