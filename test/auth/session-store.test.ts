import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CookieSealer } from '../../electron/engine/auth/session-crypto.ts';
import { type NewSession, SessionStore } from '../../electron/engine/auth/session-store.ts';
import { encryptJson } from '../../electron/engine/config/at-rest.ts';

const fields = (email = 'alice@example.test'): NewSession => ({
  upstreamId: 'app',
  providerId: 'builtin',
  identity: { user: email.split('@')[0], email, groups: ['admins', 'devs'], roles: [], claims: {}, preferredUsername: 'alice' },
  tokens: { accessToken: 'secret-access-token', idToken: 'h.p.s', refreshToken: 'secret-refresh', expiresAt: 1_900_000_000_000 },
});

let dir: string;
let file: string;
const key = randomBytes(32);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portcullis-sessions-'));
  file = join(dir, 'nested', 'sessions.enc');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SessionStore in memory', () => {
  it('creates sessions with a 32-byte random id and timestamps', async () => {
    const store = await SessionStore.open({ file, key });
    const a = store.create(fields());
    const b = store.create(fields('bob@example.test'));
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(a.createdAt).toBe(a.updatedAt);
    expect(store.get(a.id)).toEqual(a);
    expect(store.list().map((s) => s.identity.email)).toEqual(['alice@example.test', 'bob@example.test']);
    await store.close();
  });

  it('updates by patch, keeping id and createdAt; unknown ids give undefined', async () => {
    const store = await SessionStore.open({ file, key });
    const a = store.create(fields());
    const updated = store.update(a.id, { tokens: { accessToken: 'new' }, id: 'forged', createdAt: 1 } as never);
    expect(updated?.tokens.accessToken).toBe('new');
    expect(updated?.id).toBe(a.id);
    expect(updated?.createdAt).toBe(a.createdAt);
    expect(updated!.updatedAt).toBeGreaterThanOrEqual(a.updatedAt);
    expect(store.update('nope', { providerId: 'x' })).toBeUndefined();
    await store.close();
  });

  it('deletes', async () => {
    const store = await SessionStore.open({ file, key });
    const a = store.create(fields());
    expect(store.delete(a.id)).toBe(true);
    expect(store.delete(a.id)).toBe(false);
    expect(store.get(a.id)).toBeUndefined();
    await store.close();
  });

  it('refuses changes after close', async () => {
    const store = await SessionStore.open({ file, key });
    await store.close();
    expect(() => store.create(fields())).toThrow('closed');
  });
});

describe('SessionStore persistence', () => {
  it('survives a restart: a new instance on the same file sees the same sessions', async () => {
    const first = await SessionStore.open({ file, key });
    const a = first.create(fields());
    const b = first.create(fields('bob@example.test'));
    first.update(b.id, { userinfo: { sub: 'bob' } });
    const c = first.create(fields('carol@example.test'));
    first.delete(c.id);
    await first.close();

    const second = await SessionStore.open({ file, key });
    expect(second.warnings).toEqual([]);
    expect(second.get(a.id)).toEqual(a);
    expect(second.get(b.id)?.userinfo).toEqual({ sub: 'bob' });
    expect(second.get(c.id)).toBeUndefined();
    expect(second.list()).toHaveLength(2);
    await second.close();
  });

  it('keeps tokens encrypted at rest, in a 0600 file', async () => {
    const store = await SessionStore.open({ file, key });
    store.create(fields());
    await store.flush();
    const raw = await readFile(file);
    expect(raw.includes('secret-access-token')).toBe(false);
    expect(raw.includes('alice@example.test')).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it('saves on its own shortly after a change (debounced)', async () => {
    const store = await SessionStore.open({ file, key, debounceMs: 5 });
    const a = store.create(fields());
    await expect.poll(async () => (await SessionStore.open({ file, key })).get(a.id)?.id, { timeout: 5000 }).toBe(a.id);
    await store.close();
  });

  it('leaves no temporary files behind after concurrent flushes', async () => {
    const store = await SessionStore.open({ file, key });
    for (let i = 0; i < 5; i++) store.create(fields(`u${i}@example.test`));
    await Promise.all([store.flush(), store.flush(), store.flush()]);
    await store.close();
    expect(await readdir(join(dir, 'nested'))).toEqual(['sessions.enc']);
    expect((await SessionStore.open({ file, key })).list()).toHaveLength(5);
  });

  it.each([
    ['garbage bytes', () => Buffer.from('this is not encrypted')],
    ['empty file', () => Buffer.alloc(0)],
    ['encrypted with another key', () => encryptJson(randomBytes(32), { version: 1, sessions: [] }, 'portcullis-sessions')],
    ['encrypted for another purpose', () => encryptJson(key, { version: 1, sessions: [] }, 'secrets')],
    ['truncated', () => encryptJson(key, { version: 1, sessions: [] }, 'portcullis-sessions').subarray(0, 20)],
    ['wrong shape', () => encryptJson(key, { sessions: 'nope' }, 'portcullis-sessions')],
  ])('a corrupt file (%s) is set aside and the store starts empty', async (_label, content) => {
    await mkdir(join(dir, 'nested'), { recursive: true });
    const bytes = content();
    await writeFile(file, bytes);
    const store = await SessionStore.open({ file, key });
    expect(store.list()).toEqual([]);
    expect(store.warnings).toHaveLength(1);
    expect(store.warnings[0]).toMatch(/could not be read .* kept the old file as .*sessions\.enc\.corrupt-\d+/);
    const names = await readdir(join(dir, 'nested'));
    const aside = names.find((n) => n.startsWith('sessions.enc.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, 'nested', aside!))).toEqual(bytes);
    // and it works from then on
    const s = store.create(fields());
    await store.close();
    expect((await SessionStore.open({ file, key })).get(s.id)).toBeDefined();
  });

  it('drops malformed entries but keeps the good ones, with a warning', async () => {
    const good = { ...fields(), id: 'good', createdAt: 1, updatedAt: 1 };
    await mkdir(join(dir, 'nested'), { recursive: true });
    await writeFile(file, encryptJson(key, { version: 1, sessions: [good, { id: 'bad' }, null] }, 'portcullis-sessions'));
    const store = await SessionStore.open({ file, key });
    expect(store.list().map((s) => s.id)).toEqual(['good']);
    expect(store.warnings).toEqual(['2 malformed session(s) in the sessions file were dropped']);
    await store.close();
  });
});

describe('SessionStore.resolveCookie', () => {
  const sealer = new CookieSealer(randomBytes(32));

  it('finds the session a sealed cookie names, for its context only', async () => {
    const store = await SessionStore.open({ file, key });
    const a = store.create(fields());
    const cookie = sealer.seal(a.id, 'session:app');
    expect(store.resolveCookie(cookie, sealer, 'session:app')?.id).toBe(a.id);
    expect(store.resolveCookie(cookie, sealer, 'session:app')?.id).toBe(a.id); // from the cache
    expect(store.resolveCookie(cookie, sealer, 'session:other')).toBeUndefined();
    expect(store.resolveCookie(cookie, new CookieSealer(randomBytes(32)), 'session:app')).toBeUndefined();
    await store.close();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['garbage', 'garbage'],
    ['sealed id of no session', sealer.seal('no-such-session', 'session:app')],
  ])('%s cookie -> undefined', async (_label, cookie) => {
    const store = await SessionStore.open({ file, key });
    store.create(fields());
    expect(store.resolveCookie(cookie, sealer, 'session:app')).toBeUndefined();
    await store.close();
  });

  it('stops resolving a cookie once its session is deleted, cached or not', async () => {
    const store = await SessionStore.open({ file, key });
    const a = store.create(fields());
    const cookie = sealer.seal(a.id, 'session:app');
    expect(store.resolveCookie(cookie, sealer, 'session:app')).toBeDefined();
    store.delete(a.id);
    expect(store.resolveCookie(cookie, sealer, 'session:app')).toBeUndefined();
    await store.close();
  });

  it('sees updates to a cached session', async () => {
    const store = await SessionStore.open({ file, key });
    const a = store.create(fields());
    const cookie = sealer.seal(a.id, 'session:app');
    store.resolveCookie(cookie, sealer, 'session:app');
    store.update(a.id, { tokens: { accessToken: 'rotated' } });
    expect(store.resolveCookie(cookie, sealer, 'session:app')?.tokens.accessToken).toBe('rotated');
    await store.close();
  });

  it('stays bounded: old cookie values fall out of the cache but still resolve by decrypting', async () => {
    const store = await SessionStore.open({ file, key, cookieCacheSize: 2 });
    const sessions = [0, 1, 2, 3].map((i) => store.create(fields(`u${i}@example.test`)));
    const cookies = sessions.map((s) => sealer.seal(s.id, 'c'));
    for (const c of cookies) store.resolveCookie(c, sealer, 'c');
    for (const [i, c] of cookies.entries()) expect(store.resolveCookie(c, sealer, 'c')?.id).toBe(sessions[i].id);
    await store.close();
  });
});
