// Secrets through the keychain (safeStorage): round trip, never in plain text on disk,
// a clear warning on Linux's basic_text fallback, and clear errors for bad input.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { BASIC_TEXT_WARNING, KeychainSecretStore, storageWarning } from '../../electron/desktop/secrets.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portcullis-keychain-'));
  electron.safeStorage.backend = 'gnome_libsecret';
  electron.safeStorage.available = true;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('KeychainSecretStore', () => {
  it('stores, reads and deletes a secret; the file never holds it in plain text', async () => {
    const store = await KeychainSecretStore.open(dir, 'linux');
    expect(await store.set('provider.auth0.clientSecret', 's3cr3t-value')).toEqual({ secretRef: 'provider.auth0.clientSecret' });
    expect(await store.get('provider.auth0.clientSecret')).toBe('s3cr3t-value');
    const onDisk = await readFile(join(dir, 'keychain.json'), 'utf8');
    expect(onDisk).not.toContain('s3cr3t-value');
    await store.delete('provider.auth0.clientSecret');
    expect(await store.get('provider.auth0.clientSecret')).toBeUndefined();
  });

  it('keeps every secret when set concurrently', async () => {
    const store = await KeychainSecretStore.open(dir, 'linux');
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => store.set(n, `value-${n}`)));
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((n) => store.get(n)))).toEqual(['value-a', 'value-b', 'value-c', 'value-d']);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('does not treat the inherited name %s as a secret', async (name) => {
    const store = await KeychainSecretStore.open(dir, 'linux');
    await store.set('real', 'x');
    expect(await store.get(name)).toBeUndefined();
    expect(await store.get('real')).toBe('x');
  });

  it.each([
    ['linux', 'basic_text', BASIC_TEXT_WARNING],
    ['linux', 'gnome_libsecret', undefined],
    ['linux', 'kwallet6', undefined],
    ['darwin', 'basic_text', undefined],
  ] as const)('on %s with %s the warning is %s', async (platform, backend, warning) => {
    electron.safeStorage.backend = backend;
    expect(storageWarning(platform, backend)).toBe(warning);
    expect((await KeychainSecretStore.open(dir, platform)).warning).toBe(warning);
  });

  it('refuses to start without any encryption', async () => {
    electron.safeStorage.available = false;
    await expect(KeychainSecretStore.open(dir, 'linux')).rejects.toThrow('the OS keychain is not available, so secrets cannot be stored safely');
  });

  it.each([['../etc/passwd'], [''], ['a b'], ['x'.repeat(200)]])('refuses the name %j', async (name) => {
    const store = await KeychainSecretStore.open(dir, 'linux');
    await expect(store.set(name, 'v')).rejects.toThrow(/must be 1-128 letters/);
  });

  it.each([
    ['not JSON', '{', /is not valid JSON; it was left as it is/],
    ['not an object', '[1,2]', /holds unexpected data; it was left as it is/],
    ['non-string values', '{"a": 1}', /holds unexpected data/],
  ])('a damaged file (%s) is reported and left alone', async (_name, text, message) => {
    await writeFile(join(dir, 'keychain.json'), text);
    const store = await KeychainSecretStore.open(dir, 'linux');
    await expect(store.set('a', 'v')).rejects.toThrow(message);
    expect(await readFile(join(dir, 'keychain.json'), 'utf8')).toBe(text);
  });

  it('a value encrypted by another keychain fails loudly instead of returning garbage', async () => {
    await writeFile(join(dir, 'keychain.json'), JSON.stringify({ a: Buffer.from('foreign').toString('base64') }));
    const store = await KeychainSecretStore.open(dir, 'linux');
    await expect(store.get('a')).rejects.toThrow(/decrypt/);
  });
});
