// SettingsStore: loading, hostile files (refused, file untouched), atomic write-back, and the
// rule that a secret value is never written to the settings file.
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../electron/engine/config/defaults.ts';
import { ConfigError, SettingsStore } from '../../electron/engine/config/settings-store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portcullis-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const json = (value: unknown) => JSON.stringify(value, null, 2);

async function openError(configFile: string): Promise<ConfigError> {
  const error = await SettingsStore.open({ configFile, dataDir: dir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('without --config: the data dir', () => {
  it('writes the embedded default to config.json when there is none', async () => {
    const store = await SettingsStore.open({ dataDir: join(dir, 'data') });
    expect(store.path).toBe(join(dir, 'data', 'config.json'));
    expect(store.get()).toEqual(DEFAULT_CONFIG);
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual(DEFAULT_CONFIG);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('persists updates across reopen', async () => {
    const store = await SettingsStore.open({ dataDir: dir });
    await store.update((draft) => {
      draft.upstreams[0].allowedGroups = ['admins'];
    });
    const again = await SettingsStore.open({ dataDir: dir });
    expect(again.get().upstreams[0].allowedGroups).toEqual(['admins']);
  });

  it('refuses a malformed config.json and leaves it as it is', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '{"upstreams": [}');
    const error = await SettingsStore.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toEqual({ path: '$', message: expect.stringMatching(/not valid JSON/) });
    expect(await readFile(file, 'utf8')).toBe('{"upstreams": [}');
  });
});

describe('with --config FILE', () => {
  it('loads the file and fills defaults', async () => {
    const file = join(dir, 'portcullis.json');
    await writeFile(file, json({ upstreams: [{ id: 'web', listen: { host: '127.0.0.1', port: 5055 }, target: 'http://127.0.0.1:5000' }], providers: [{ id: 'builtin', type: 'builtin' }] }));
    const store = await SettingsStore.open({ configFile: file, dataDir: dir });
    expect(store.path).toBe(file);
    expect(store.get().upstreams[0]).toMatchObject({ id: 'web', enabled: true, emailDomains: ['*'] });
    expect(Object.isFrozen(store.get().upstreams[0])).toBe(true);
  });

  it('migrates a legacy file on load without rewriting it', async () => {
    const file = join(dir, 'legacy.json');
    const text = json({ upstreams: [{ id: 'web', listen: 5055, target: 'http://127.0.0.1:5000' }], providers: [{ id: 'builtin', type: 'builtin' }] });
    await writeFile(file, text);
    const store = await SettingsStore.open({ configFile: file, dataDir: dir });
    expect(store.get().upstreams[0].listen).toEqual({ host: '127.0.0.1', port: 5055 });
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  const hostile: Array<[string, string, string, RegExp]> = [
    ['malformed JSON', '{"upstreams": [', '$', /not valid JSON/],
    ['not an object', '[1, 2, 3]', '$', /JSON object/],
    ['an unknown key', json({ ...DEFAULT_CONFIG, listen: 4180 }), '$.listen', /unknown key "listen"/],
    ['duplicate ports', json({ ...DEFAULT_CONFIG, console: { port: 4180 } }), '$.upstreams[0].listen.port', /port 4180 is already used by \$\.console\.port/],
    ['a bad URL', json({ ...DEFAULT_CONFIG, upstreams: [{ ...DEFAULT_CONFIG.upstreams[0], target: 'http//oops' }] }), '$.upstreams[0].target', /http:\/\/ or https:\/\/|absolute URL/],
    ['a huge number', '{"upstreams":[{"id":"a","listen":{"host":"127.0.0.1","port":1e999},"target":"http://127.0.0.1:1"}],"providers":[]}', '$.upstreams[0].listen.port', /must be a whole number, not number Infinity/],
    ['a __proto__ key', '{"upstreams":[],"providers":[],"__proto__":{"isAdmin":true}}', '$.__proto__', /forbidden key/],
    ['a binary blob', '\u0000\u0001\u0002', '$', /not valid JSON/],
  ];
  it.each(hostile)('refuses %s, names the path, leaves the file untouched', async (_name, text, path, message) => {
    const file = join(dir, 'hostile.json');
    await writeFile(file, text);
    const error = await openError(file);
    expect(error.problems).toContainEqual({ path, message: expect.stringMatching(message) });
    expect(error.message).toContain(file);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(({} as any).isAdmin).toBeUndefined();
  });

  it('says so when the file does not exist', async () => {
    const error = await openError(join(dir, 'missing.json'));
    expect(error.problems).toEqual([{ path: '$', message: 'file not found' }]);
  });

  it('writes back atomically, keeps the mode and leaves no temporary files', async () => {
    const file = join(dir, 'portcullis.json');
    await writeFile(file, json(DEFAULT_CONFIG));
    await chmod(file, 0o640);
    const store = await SettingsStore.open({ configFile: file, dataDir: dir });
    const inodeBefore = (await stat(file)).ino;
    await store.update((draft) => ({ ...draft, upstreams: [{ ...draft.upstreams[0], name: 'Renamed' }] }));
    const after = await stat(file);
    expect(after.mode & 0o777).toBe(0o640);
    expect(after.ino).not.toBe(inodeBefore); // replaced by rename, not rewritten in place
    expect(JSON.parse(await readFile(file, 'utf8')).upstreams[0].name).toBe('Renamed');
    expect(await readdir(dir)).toEqual(['portcullis.json']);
  });

  it('runs concurrent updates one after the other', async () => {
    const file = join(dir, 'portcullis.json');
    await writeFile(file, json(DEFAULT_CONFIG));
    const store = await SettingsStore.open({ configFile: file, dataDir: dir });
    await Promise.all(
      ['a', 'b', 'c'].map((group) =>
        store.update((draft) => {
          draft.upstreams[0].allowedGroups.push(group);
        }),
      ),
    );
    expect(JSON.parse(await readFile(file, 'utf8')).upstreams[0].allowedGroups).toEqual(['a', 'b', 'c']);
  });

  const refusedUpdates: Array<[string, (draft: any) => void, string, RegExp]> = [
    ['an invalid port', (d) => (d.upstreams[0].listen.port = 70000), '$.upstreams[0].listen.port', /from 0 to 65535/],
    ['an unknown key', (d) => (d.upstreams[0].colour = 'blue'), '$.upstreams[0].colour', /unknown key/],
    ['a duplicate id', (d) => d.upstreams.push({ ...d.upstreams[0], listen: { host: '127.0.0.1', port: 4999 } }), '$.upstreams[1].id', /duplicate upstream id/],
    [
      'a new literal secret',
      (d) => d.providers.push({ id: 'gh', type: 'github', clientId: 'x', clientSecret: 's3cr3t-value' }),
      '$.providers[1].clientSecret',
      /never written to the settings/,
    ],
  ];
  it.each(refusedUpdates)('refuses an update with %s and writes nothing', async (_name, mutate, path, message) => {
    const file = join(dir, 'portcullis.json');
    await writeFile(file, json(DEFAULT_CONFIG));
    const before = await readFile(file, 'utf8');
    const store = await SettingsStore.open({ configFile: file, dataDir: dir });
    const error = await store.update(mutate).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toContainEqual({ path, message: expect.stringMatching(message) });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(store.get()).toEqual(DEFAULT_CONFIG);
    expect(JSON.stringify(error)).not.toContain('s3cr3t-value');
  });

  it('keeps references and a secret the user wrote themselves, but never writes a new secret value', async () => {
    const file = join(dir, 'portcullis.json');
    const providers = [
      ...DEFAULT_CONFIG.providers,
      { id: 'gh', type: 'github', clientId: 'x', clientSecret: 'typed-by-the-user' },
      { id: 'oidc', type: 'oidc', issuer: 'https://idp.example', clientId: 'y', clientSecret: { env: 'OIDC_SECRET' } },
    ];
    await writeFile(file, json({ ...DEFAULT_CONFIG, providers }));
    const store = await SettingsStore.open({ configFile: file, dataDir: dir });
    await store.update((draft) => {
      draft.upstreams[0].name = 'still fine';
      draft.providers.push({ id: 'gh2', type: 'github', clientId: 'z', clientSecret: { secretRef: 'provider:gh2:clientSecret' } });
    });
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written.providers[1].clientSecret).toBe('typed-by-the-user');
    expect(written.providers[2].clientSecret).toEqual({ env: 'OIDC_SECRET' });
    expect(written.providers[3].clientSecret).toEqual({ secretRef: 'provider:gh2:clientSecret' });

    const error = await store.update((draft) => {
      (draft.providers[2] as any).clientSecret = 'pasted-in-the-ui';
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(await readFile(file, 'utf8')).not.toContain('pasted-in-the-ui');
  });
});
