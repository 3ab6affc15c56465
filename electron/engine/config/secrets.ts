// Where secret values live so that settings files only hold references to them. The desktop
// shell implements SecretStore over the OS keychain; headless, EncryptedFileSecretStore keeps
// them in an encrypted file in the data dir. resolveSecret turns a settings value into the secret.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretValue } from './types.ts';
import { decryptJson, encryptJson, loadOrCreateKey } from './at-rest.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { ChangeQueue } from './change-queue.ts';

export interface SecretStore {
  get(ref: string): Promise<string | undefined>;
  /** Stores a value under `name` and returns the reference to keep in the settings. */
  set(name: string, value: string): Promise<{ secretRef: string }>;
  delete(ref: string): Promise<void>;
  /** Set when the storage protects secrets only weakly; shown to the user. */
  readonly warning?: string;
}

const LABEL = 'portcullis-secrets';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** Whether every secret store accepts `name` (both stores key files by it). */
export const isSecretName = (name: string): boolean => NAME.test(name);

/** Throws unless `name` is a name every secret store accepts. */
export function assertSecretName(name: string): void {
  if (!isSecretName(name)) throw new Error(`secret name "${name}" must be 1-128 letters, digits, ".", "_", ":" or "-"`);
}

/** Secrets encrypted with AES-256-GCM in `secrets.enc`, the key in `secret.key` (mode 0600). */
export class EncryptedFileSecretStore implements SecretStore {
  readonly file: string;
  readonly keyFile: string;
  readonly warning: string;
  // Serialises read-modify-write cycles so concurrent set/delete calls never drop each other.
  private readonly changes = new ChangeQueue();

  constructor(dataDir: string) {
    this.file = join(dataDir, 'secrets.enc');
    this.keyFile = join(dataDir, 'secret.key');
    this.warning = `Secrets are encrypted with a key kept beside them (${this.keyFile}): anyone who can read the data dir can read them.`;
  }

  async get(ref: string): Promise<string | undefined> {
    const secrets = await this.read();
    return Object.hasOwn(secrets, ref) ? secrets[ref] : undefined;
  }

  set(name: string, value: string): Promise<{ secretRef: string }> {
    try {
      assertSecretName(name);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.change((secrets) => {
      secrets[name] = value;
      return { secretRef: name };
    });
  }

  delete(ref: string): Promise<void> {
    return this.change((secrets) => {
      delete secrets[ref];
    });
  }

  private change<T>(edit: (secrets: Record<string, string>) => T): Promise<T> {
    return this.changes.run(async () => {
      // Reading first means a file that cannot be decrypted stops the write: other secrets
      // in it are never replaced by a file holding only this one.
      const secrets = await this.read();
      const result = edit(secrets);
      await writeFileAtomic(this.file, encryptJson(this.key(), secrets, LABEL), 0o600);
      return result;
    });
  }

  private key(): Buffer {
    return loadOrCreateKey(this.keyFile);
  }

  private async read(): Promise<Record<string, string>> {
    let data: Buffer;
    try {
      data = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null);
      throw error;
    }
    let secrets: unknown;
    try {
      secrets = decryptJson(this.key(), data, LABEL);
    } catch (error) {
      throw new Error(
        `secret store ${this.file} cannot be read (${(error as Error).message}); it was left as it is. ` +
          `If ${this.keyFile} was replaced, restore it; to start afresh, move both files aside.`,
      );
    }
    if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets))
      throw new Error(`secret store ${this.file} holds unexpected data; it was left as it is`);
    return Object.assign(Object.create(null), secrets);
  }
}

/**
 * The secret a settings value stands for. `path` (e.g. `$.providers[1].clientSecret`) names
 * the setting in the error when an environment variable or stored secret is missing.
 */
export async function resolveSecret(value: SecretValue | undefined, store: SecretStore, path: string): Promise<string | undefined> {
  if (value === undefined || typeof value === 'string') return value;
  if ('env' in value) {
    const resolved = process.env[value.env];
    if (resolved === undefined || resolved === '')
      throw new Error(`${path}: environment variable ${value.env} is not set`);
    return resolved;
  }
  const resolved = await store.get(value.secretRef);
  if (resolved === undefined) throw new Error(`${path}: secret "${value.secretRef}" is not in the secret store`);
  return resolved;
}
