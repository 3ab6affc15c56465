// How the desktop shell runs the shared test engine (test/support/engine.ts): with its keychain
// secret store over the fake electron's safeStorage, as on Linux whatever the host so the fake's
// backend decides the keyring warning, and an admins-only `app` upstream.
import { KeychainSecretStore } from '../../electron/desktop/secrets.ts';
import type { TestEngineOptions } from '../support/engine.ts';

export const DESKTOP_ENGINE: TestEngineOptions = {
  app: { allowedGroups: ['admins'] },
  secretStore: (dataDir) => KeychainSecretStore.open(dataDir, 'linux'),
};
