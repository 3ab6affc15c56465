// The headless secret store and at-rest encryption: round trips, wrong keys and damaged files
// give clear errors and never lose the other secrets; resolveSecret names what is missing.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptJson, encryptJson, loadOrCreateKey } from '../../electron/engine/config/at-rest.ts';
import { EncryptedFileSecretStore, resolveSecret } from '../../electron/engine/config/secrets.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portcullis-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EncryptedFileSecretStore', () => {
  it('round-trips secrets across instances and never stores them in clear', async () => {
    const store = new EncryptedFileSecretStore(dir);
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.set('provider:gh:clientSecret', 'gh-secret-value')).toEqual({ secretRef: 'provider:gh:clientSecret' });
    await store.set('other', 'other-value');
    const again = new EncryptedFileSecretStore(dir);
    expect(await again.get('provider:gh:clientSecret')).toBe('gh-secret-value');
    expect(await again.get('other')).toBe('other-value');
    expect((await readFile(join(dir, 'secrets.enc'))).toString('latin1')).not.toContain('gh-secret-value');
    expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secrets.enc'))).mode & 0o777).toBe(0o600);
    await again.delete('other');
    expect(await store.get('other')).toBeUndefined();
    expect(store.warning).toMatch(/secret\.key/);
  });

  it('keeps every secret when set concurrently', async () => {
    const store = new EncryptedFileSecretStore(dir);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`s${i}`, `v${i}`)));
    for (let i = 0; i < 10; i++) expect(await store.get(`s${i}`)).toBe(`v${i}`);
  });

  it('does not treat inherited names as secrets', async () => {
    const store = new EncryptedFileSecretStore(dir);
    await store.set('real', 'x');
    expect(await store.get('__proto__')).toBeUndefined();
    expect(await store.get('toString')).toBeUndefined();
  });

  it.each<[string, (dir: string) => Promise<void>, RegExp]>([
    ['a replaced key', (d) => writeFile(join(d, 'secret.key'), randomBytes(32)), /key does not match or the data is damaged/],
    ['a corrupt file', (d) => writeFile(join(d, 'secrets.enc'), Buffer.concat([Buffer.from([1]), randomBytes(64)])), /key does not match or the data is damaged/],
    ['a truncated file', (d) => writeFile(join(d, 'secrets.enc'), Buffer.from([1, 2, 3])), /unknown format/],
    ['a damaged key file', (d) => writeFile(join(d, 'secret.key'), 'short'), /key file .* is damaged/],
  ])('%s: clear error, and the existing file is never overwritten', async (_name, damage, message) => {
    const store = new EncryptedFileSecretStore(dir);
    await store.set('keep-me', 'precious');
    await damage(dir);
    const before = await readFile(join(dir, 'secrets.enc'));
    await expect(store.get('keep-me')).rejects.toThrow(message);
    await expect(store.set('new', 'value')).rejects.toThrow(message);
    await expect(store.delete('keep-me')).rejects.toThrow(message);
    expect(await readFile(join(dir, 'secrets.enc'))).toEqual(before);
  });

  it.each(['', 'has space', '../escape', 'x'.repeat(200)])('refuses the secret name %j', async (name) => {
    const store = new EncryptedFileSecretStore(dir);
    await expect(store.set(name, 'v')).rejects.toThrow(/secret name/);
  });
});

describe('at-rest helpers', () => {
  it('round-trips JSON and binds the label', () => {
    const key = loadOrCreateKey(join(dir, 'k'));
    const data = encryptJson(key, { a: [1, 'two'] }, 'sessions');
    expect(decryptJson(key, data, 'sessions')).toEqual({ a: [1, 'two'] });
    expect(() => decryptJson(key, data, 'secrets')).toThrow(/cannot decrypt/);
    expect(() => decryptJson(randomBytes(32), data, 'sessions')).toThrow(/cannot decrypt/);
  });

  it('creates the key once and reads the same key afterwards', () => {
    const file = join(dir, 'nested', 'key');
    const first = loadOrCreateKey(file);
    expect(first).toHaveLength(32);
    expect(loadOrCreateKey(file)).toEqual(first);
  });
});

describe('resolveSecret', () => {
  const store = () => new EncryptedFileSecretStore(dir);

  it.each<[string, unknown, string | undefined]>([
    ['undefined', undefined, undefined],
    ['a literal', 'literal-value', 'literal-value'],
    ['an env var', { env: 'PORTCULLIS_TEST_SECRET_SET' }, 'from-env'],
  ])('%s', async (_name, value, expected) => {
    process.env.PORTCULLIS_TEST_SECRET_SET = 'from-env';
    expect(await resolveSecret(value as any, store(), '$.providers[1].clientSecret')).toBe(expected);
  });

  it('reads a stored secret by reference', async () => {
    const s = store();
    const ref = await s.set('provider:x:clientSecret', 'stored');
    expect(await resolveSecret(ref, s, '$.providers[1].clientSecret')).toBe('stored');
  });

  it.each<[string, unknown, RegExp]>([
    ['a missing env var', { env: 'PORTCULLIS_TEST_SECRET_UNSET' }, /^\$\.providers\[1\]\.clientSecret: environment variable PORTCULLIS_TEST_SECRET_UNSET is not set$/],
    ['a missing reference', { secretRef: 'nope' }, /^\$\.providers\[1\]\.clientSecret: secret "nope" is not in the secret store$/],
  ])('%s names the setting and the source', async (_name, value, message) => {
    delete process.env.PORTCULLIS_TEST_SECRET_UNSET;
    await expect(resolveSecret(value as any, store(), '$.providers[1].clientSecret')).rejects.toThrow(message);
  });
});
