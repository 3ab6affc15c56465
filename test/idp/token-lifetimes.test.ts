// The built-in provider's token lifetimes set in the settings, end to end: builtinIdp.accessTokenTtl,
// a persona's own accessTokenTtl and builtinIdp.refreshTokenTtl reach the tokens a sign-in gets
// (exp − iat) and the session the console shows (when its access and refresh tokens expire).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../electron/engine/api.ts';
import { defaultConfig } from '../../electron/engine/config/defaults.ts';
import { createBrowser } from '../support/browser.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { signInWithHint } from '../support/signin.ts';

const ACCESS_TTL = 600;
const BOB_ACCESS_TTL = 120;
const REFRESH_TTL = 7200;

let t: TestEngine;

beforeAll(async () => {
  const [alice, bob] = defaultConfig().builtinIdp.users;
  t = await startTestEngine({
    builtinIdp: { accessTokenTtl: ACCESS_TTL, refreshTokenTtl: REFRESH_TTL, users: [alice, { ...bob, accessTokenTtl: BOB_ACCESS_TTL }] },
  });
});

afterAll(() => t?.close());

async function signedIn(persona: string): Promise<SessionView> {
  await signInWithHint(createBrowser(), `http://localhost:${t.appPort}`, persona);
  return (await t.engine.listSessions()).find((s) => s.preferredUsername === persona)!;
}

const lifetime = (token: SessionView['accessToken']) => {
  const { exp, iat } = token!.jwt!.claims as { exp: number; iat: number };
  return exp - iat;
};
/**
 * Expects `at` to be `ttl` seconds after the session started. The provider counts whole seconds
 * on a clock that may tick while it answers, and the session starts a moment after it answered.
 */
function expectSecondsAfterStart(s: SessionView, at: number | undefined, ttl: number): void {
  expect(at).toBeDefined();
  const seconds = (at! - s.createdAt) / 1000;
  expect(seconds).toBeGreaterThan(ttl - 3);
  expect(seconds).toBeLessThanOrEqual(ttl);
}

describe('token lifetimes from the settings', () => {
  it('builtinIdp.accessTokenTtl is the access and ID tokens\' lifetime and the session\'s expiry', async () => {
    const alice = await signedIn('alice');
    expect(lifetime(alice.accessToken)).toBe(ACCESS_TTL);
    expect(lifetime(alice.idToken)).toBe(ACCESS_TTL);
    expectSecondsAfterStart(alice, alice.expiresAt, ACCESS_TTL);
  });

  it('a persona\'s own accessTokenTtl wins', async () => {
    const bob = await signedIn('bob');
    expect(lifetime(bob.accessToken)).toBe(BOB_ACCESS_TTL);
    expectSecondsAfterStart(bob, bob.expiresAt, BOB_ACCESS_TTL);
  });

  it('builtinIdp.refreshTokenTtl is when the session\'s refresh token expires, also after a refresh', async () => {
    const alice = await signedIn('alice');
    expect(alice.willRefresh).toBe(true);
    expectSecondsAfterStart(alice, alice.refreshExpiresAt, REFRESH_TTL);
    const refreshed = await t.engine.refreshSession(alice.id);
    expect(refreshed.accessToken!.raw).not.toBe(alice.accessToken!.raw);
    // A rotated refresh token lives REFRESH_TTL from the refresh, a kept one keeps its expiry.
    expect(refreshed.refreshExpiresAt).toBeGreaterThan(alice.refreshExpiresAt! - 3_000);
  });
});
