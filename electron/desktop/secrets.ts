// The desktop's SecretStore: each secret is encrypted by the OS keychain through Electron's
// safeStorage (async API) and kept, encrypted, in `keychain.json` in the data dir. On Linux
// without a keyring, safeStorage falls back to `basic_text`; the store still works and says so.
import { safeStorage } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../engine/config/atomic-write.ts';
import { ChangeQueue } from '../engine/config/change-queue.ts';
import { assertSecretName, type SecretStore } from '../engine/config/secrets.ts';

export const BASIC_TEXT_WARNING =
  'No OS keyring was found (Linux "basic_text" fallback): secrets are stored with weak protection. ' +
  'Install and unlock GNOME Keyring or KWallet, then restart Portcullis.';

/** The warning for a Linux storage backend, if it protects secrets only weakly. */
export function storageWarning(platform: NodeJS.Platform, backend: string | undefined): string | undefined {
  return platform === 'linux' && backend === 'basic_text' ? BASIC_TEXT_WARNING : undefined;
}

export class KeychainSecretStore implements SecretStore {
  readonly file: string;
  readonly warning?: string;
  // One read-modify-write at a time, so concurrent set/delete calls never drop each other.
  private readonly changes = new ChangeQueue();

  private constructor(dataDir: string, warning: string | undefined) {
    this.file = join(dataDir, 'keychain.json');
    this.warning = warning;
  }

  /** Call after the app is ready (the Linux backend is unknown before). Throws when no encryption is available. */
  static async open(dataDir: string, platform: NodeJS.Platform = process.platform): Promise<KeychainSecretStore> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      throw new Error('the OS keychain is not available, so secrets cannot be stored safely');
    }
    const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
    return new KeychainSecretStore(dataDir, storageWarning(platform, backend));
  }

  async get(ref: string): Promise<string | undefined> {
    const entries = await this.read();
    // Only the file's own entries: "constructor" or "__proto__" must not reach Object.prototype.
    if (!Object.hasOwn(entries, ref)) return undefined;
    const sealed = entries[ref];
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'));
    if (shouldReEncrypt) await this.set(ref, result);
    return result;
  }

  async set(name: string, value: string): Promise<{ secretRef: string }> {
    assertSecretName(name);
    const sealed = (await safeStorage.encryptStringAsync(value)).toString('base64');
    await this.change((entries) => {
      entries[name] = sealed;
    });
    return { secretRef: name };
  }

  delete(ref: string): Promise<void> {
    return this.change((entries) => {
      delete entries[ref];
    });
  }

  private change(edit: (entries: Record<string, string>) => void): Promise<void> {
    return this.changes.run(async () => {
      const entries = await this.read();
      edit(entries);
      await writeFileAtomic(this.file, `${JSON.stringify(entries, null, 2)}\n`, 0o600);
    });
  }

  private async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null);
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`secret store ${this.file} is not valid JSON; it was left as it is`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      throw new Error(`secret store ${this.file} holds unexpected data; it was left as it is`);
    }
    return Object.assign(Object.create(null), parsed);
  }
}
