// An `oidc` provider that is down when `portcullis serve` starts: its listener says so clearly
// (503 page, /ready 503) and recovers on its own once a real OpenID provider comes up on the
// issuer's port: /ready turns 200 and alice signs in through it.
import { describe, expect } from 'vitest';
import { startBuiltinIdp, type BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { freePort } from '../support/free-port.ts';
import { createBrowser } from '../support/browser.ts';
import type { EchoRequest } from '../support/echo.ts';
import { test as base } from '../support/fixture.ts';
import { PERSONAS } from '../support/serve.ts';
import { signIn } from '../support/signin.ts';

/** A bound on the wait for recovery, not a speed check: discovery retries back off up to 5 s. */
const RECOVERY_BOUND_MS = 15_000;
const SECRET_ENV = 'TEST_IDP_SECRET';

interface Issuer {
  port: number;
  /** The client secret the provider keeps in its data dir. */
  secret: string;
  /** Brings a real OpenID provider up on the issuer's port. */
  start(): Promise<BuiltinIdp>;
}

/** A real OpenID provider that is down until a test starts it on its port; closed after Portcullis. */
const test = base.extend('issuer', { scope: 'file' }, async ({ home }, { onCleanup }): Promise<Issuer> => {
  const startIdp = (port: number) => startBuiltinIdp({ port, users: PERSONAS.filter((p) => p.username !== 'carol'), dataDir: home });
  // The client secret lives in the provider's data dir: learn it once, then stop it again.
  const first = await startIdp(0);
  const secret = first.clientSecret;
  await first.close();
  const port = await freePort();
  let running: BuiltinIdp | undefined;
  onCleanup(() => running?.close());
  return {
    port,
    secret,
    start: async () => (running = await startIdp(port)),
  };
});

test.override('setup', { scope: 'file' }, ({ issuer }) => ({
  upstreams: [{ id: 'sso', provider: 'corp' }],
  providers: [
    { id: 'builtin', type: 'builtin' },
    {
      id: 'corp', type: 'oidc', issuer: `http://127.0.0.1:${issuer.port}`, clientId: 'portcullis',
      clientSecret: { env: SECRET_ENV }, scopes: ['openid', 'email', 'profile', 'groups'],
    },
  ],
  env: { [SECRET_ENV]: issuer.secret },
}));

// Started under the hook timeout, not the first test's.
test.beforeAll(({ portcullis: _started }) => {});

describe('while the issuer is down', () => {
  test('the listener answers a clear 503 page naming the provider, and nothing reaches the target', async ({ app: url, echo, issuer }) => {
    const res = await createBrowser().get(`${url}/page`);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(new RegExp(`corp|127\\.0\\.0\\.1:${issuer.port}`));
    expect(echo.requests.some((r) => r.path === '/page')).toBe(false);
  });

  test('/ready is 503 with the reason; /ping is 200', async ({ app: url }) => {
    const ready = await createBrowser().get(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatch(/corp/);
    expect((await createBrowser().get(`${url}/ping`)).status).toBe(200);
  });

  test('sign-in is refused with 503 instead of sending the browser to a dead issuer', async ({ app: url }) => {
    const res = await createBrowser().get(`${url}/oauth2/start?rd=/`);
    expect(res.status).toBe(503);
  });
});

describe('once the OpenID provider comes up on the issuer port', () => {
  test.beforeAll(async ({ issuer }) => {
    const idp = await issuer.start();
    expect(idp.issuer).toBe(`http://127.0.0.1:${issuer.port}`);
  });

  test('/ready turns 200 without a restart', async ({ app: url }) => {
    await expect
      .poll(async () => (await createBrowser().get(`${url}/ready`)).status, {
        timeout: RECOVERY_BOUND_MS,
        interval: 250,
        message: 'still waiting for /ready to turn 200 after the issuer came up',
      })
      .toBe(200);
  });

  test('alice signs in through the oidc provider and the target sees her identity', async ({ app: url, issuer }) => {
    const alice = createBrowser();
    const back = await signIn(alice, url, 'alice', { rd: '/welcome' });
    expect(back.location).toBe('/welcome');
    // The flow went through the recovered issuer, not Portcullis's own built-in one.
    expect(back.flow.some((hop) => new URL(hop.url).port === String(issuer.port))).toBe(true);
    const res = await alice.get(`${url}/welcome`);
    expect(res.status).toBe(200);
    const seen = res.json<EchoRequest>();
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('admins,devs');
  });
});
