// SessionService.ensureFresh against a real built-in identity provider: a session whose access
// token is about to expire is refreshed at the IdP (new token, later expiry), one that cannot be
// refreshed stays usable until it expires and ends after, and concurrent requests share one refresh.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CookieSealer } from '../../electron/engine/auth/session-crypto.ts';
import { SessionStore } from '../../electron/engine/auth/session-store.ts';
import { SessionService } from '../../electron/engine/auth/sessions.ts';
import type { Persona } from '../../electron/engine/config/types.ts';
import type { Session } from '../../electron/engine/identity.ts';
import { startBuiltinIdp, type BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { createProvider } from '../../electron/engine/providers/create-provider.ts';
import type { AuthProvider, AuthResult } from '../../electron/engine/providers/types.ts';
import { Browser, formAction } from '../idp/browser.ts';

const personas: Persona[] = [
  { username: 'alice', email: 'alice@example.test', name: 'Alice Admin', groups: ['admins', 'devs'] },
  { username: 'bob', email: 'bob@example.test', name: 'Bob Builder', groups: ['devs'] },
];
const CALLBACK_ORIGIN = 'http://localhost:4180';
const REDIRECT_URI = `${CALLBACK_ORIGIN}/oauth2/callback`;
const SECONDS = 1000;

let home: string;
let idp: BuiltinIdp;
let provider: AuthProvider;
let store: SessionStore;
let service: SessionService;
let events: { started: string[]; updated: Session[]; ended: string[]; refreshFailed: Array<[string, string]> };

/** Signs `persona` in through the IdP's persona form, as a browser without JavaScript would. */
async function signIn(persona: string): Promise<AuthResult> {
  const { url, checks } = await provider.startAuth({ redirectUri: REDIRECT_URI });
  const browser = new Browser();
  const page = await browser.follow(url, CALLBACK_ORIGIN);
  const back = await browser.follow(formAction(page.body, page.url), CALLBACK_ORIGIN, { form: { login: persona } });
  if (!back.location) throw new Error(`the IdP did not send the browser back: ${back.status} ${back.body.slice(0, 300)}`);
  return provider.finishAuth({ callbackUrl: back.location, redirectUri: REDIRECT_URI, checks });
}

/** A fresh session for `persona` whose tokens are then changed by `patch` (expiry, refresh token). */
async function sessionWith(persona: string, patch: (tokens: Session['tokens']) => Session['tokens']): Promise<Session> {
  const { session } = service.create('app', 'builtin', await signIn(persona));
  const updated = store.update(session.id, { tokens: patch(session.tokens) });
  if (!updated) throw new Error('the session vanished right after it was created');
  return updated;
}

/** Asks the IdP's userinfo endpoint whether it accepts `accessToken`. */
async function userinfoStatus(accessToken: string): Promise<number> {
  const res = await fetch(`${idp.issuer}/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'portcullis-refresh-'));
  idp = await startBuiltinIdp({ port: 0, users: personas, dataDir: join(home, 'idp') });
  provider = createProvider({ id: 'builtin', type: 'builtin' }, { builtin: idp });
  await provider.ensureReady();
  store = await SessionStore.open({ file: join(home, 'sessions.enc'), key: randomBytes(32) });
  service = new SessionService(store, new CookieSealer(randomBytes(32)), (id) => (id === 'builtin' ? provider : undefined), {
    started: (s) => events.started.push(s.id),
    updated: (s) => events.updated.push(s),
    ended: (id) => events.ended.push(id),
    refreshed: () => undefined,
    refreshFailed: (s, message) => events.refreshFailed.push([s.id, message]),
  });
});

beforeEach(() => {
  events = { started: [], updated: [], ended: [], refreshFailed: [] };
});

afterAll(async () => {
  await service?.close();
  await idp?.close();
  await rm(home, { recursive: true, force: true });
});

describe('ensureFresh', () => {
  it.each([
    { when: 'expires in 30 s, refreshable', expiresIn: 30 * SECONDS, refreshable: true, outcome: 'refreshed' },
    { when: 'has expired, refreshable', expiresIn: -1 * SECONDS, refreshable: true, outcome: 'refreshed' },
    { when: 'expires in 30 s, no refresh token', expiresIn: 30 * SECONDS, refreshable: false, outcome: 'kept' },
    { when: 'has expired, no refresh token', expiresIn: -1 * SECONDS, refreshable: false, outcome: 'ended' },
    { when: 'expires in 30 min', expiresIn: 30 * 60 * SECONDS, refreshable: true, outcome: 'kept' },
  ] as const)('a session whose access token $when is $outcome', async ({ expiresIn, refreshable, outcome }) => {
    const session = await sessionWith('alice', ({ refreshToken, ...t }) => ({
      ...t,
      ...(refreshable ? { refreshToken } : {}),
      expiresAt: Date.now() + expiresIn,
    }));
    expect(Boolean(session.tokens.refreshToken)).toBe(refreshable);

    const result = await service.ensureFresh(session);

    if (outcome === 'refreshed') {
      expect(result?.id).toBe(session.id);
      expect(result!.tokens.accessToken).not.toBe(session.tokens.accessToken);
      expect(result!.tokens.expiresAt).toBeGreaterThan(session.tokens.expiresAt! + 10 * 60 * SECONDS);
      expect(result!.tokens.refreshToken).toBeTruthy();
      // The same person; only the new ID token's times (iat, exp) may differ.
      expect(result!.identity).toEqual({ ...session.identity, claims: { ...session.identity.claims, iat: expect.any(Number), exp: expect.any(Number) } });
      // The new token is one the IdP itself issued and honours: the refresh really happened there.
      expect(await userinfoStatus(result!.tokens.accessToken)).toBe(200);
      expect(service.get(session.id)?.tokens.accessToken).toBe(result!.tokens.accessToken);
      expect(events.updated.map((s) => s.id)).toEqual([session.id]);
    } else if (outcome === 'kept') {
      expect(result).toBe(session);
      expect(service.get(session.id)?.tokens.accessToken).toBe(session.tokens.accessToken);
      expect(events.updated).toEqual([]);
    } else {
      expect(result).toBeUndefined();
      expect(service.get(session.id)).toBeUndefined();
      expect(service.list().map((s) => s.id)).not.toContain(session.id);
      expect(events.ended).toEqual([session.id]);
    }
    if (outcome !== 'ended') expect(events.ended).toEqual([]);
  });

  it('ends the session at a refused refresh token (invalid_grant), reported once with the reason', async () => {
    const session = await sessionWith('alice', (t) => ({ ...t, refreshToken: 'not-a-refresh-token', expiresAt: Date.now() + 30 * SECONDS }));

    const result = await service.ensureFresh(session);

    expect(result).toBeUndefined();
    expect(service.get(session.id)).toBeUndefined();
    expect(events.ended).toEqual([session.id]);
    expect(events.refreshFailed).toHaveLength(1);
    expect(events.refreshFailed[0][0]).toBe(session.id);
    expect(events.refreshFailed[0][1]).toContain('invalid_grant');
    expect(events.refreshFailed[0][1]).not.toContain('not-a-refresh-token');
  });

  it('reports a provider failure once, and keeps the session while its token lives', async () => {
    const session = await sessionWith('alice', (t) => ({ ...t, expiresAt: Date.now() + 30 * SECONDS }));
    await idp.setFaults({ signIn: null, refresh: 'server_error', latencyMs: 0, down: false });
    try {
      const result = await service.ensureFresh(session);

      expect(result).toBe(session);
      expect(events.refreshFailed).toHaveLength(1);
      expect(events.refreshFailed[0][1]).toMatch(/\S/);
      // Within the retry pause the session is used as it is: no second attempt, no second line.
      await service.ensureFresh(session);
      expect(events.refreshFailed).toHaveLength(1);
      expect(events.ended).toEqual([]);
    } finally {
      await idp.setFaults({ signIn: null, refresh: null, latencyMs: 0, down: false });
    }
  });

  it('shares one refresh among concurrent callers', async () => {
    const session = await sessionWith('alice', (t) => ({ ...t, expiresAt: Date.now() + 30 * SECONDS }));

    const results = await Promise.all(Array.from({ length: 5 }, () => service.ensureFresh(session)));

    expect(events.updated).toHaveLength(1);
    const refreshedToken = events.updated[0].tokens.accessToken;
    expect(refreshedToken).not.toBe(session.tokens.accessToken);
    for (const result of results) expect(result?.tokens.accessToken).toBe(refreshedToken);
    expect(service.get(session.id)?.tokens.accessToken).toBe(refreshedToken);
  });
});

describe('sessions about to expire without a refresh token', () => {
  it.each([
    ['expires in 2 min, no refresh token', 2 * 60, false, true],
    ['expires in 2 min, can refresh', 2 * 60, true, false],
    ['expires in 30 min, no refresh token', 30 * 60, false, false],
    ['already expired', -10, false, false],
  ])('%s → announced: %s', async (_case, secondsLeft, keepRefresh, announced) => {
    const session = await sessionWith('bob', (t) => ({ ...t, expiresAt: Date.now() + secondsLeft * SECONDS, refreshToken: keepRefresh ? t.refreshToken : undefined }));
    const ids = service.takeExpiring().map((s) => s.id);
    expect(ids.includes(session.id)).toBe(announced);
    // Each session is announced once.
    expect(service.takeExpiring().map((s) => s.id)).not.toContain(session.id);
    await service.end(session.id, { revoke: false });
  });
});
