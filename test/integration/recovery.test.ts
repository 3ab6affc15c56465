// An `oidc` provider that is down when `portcullis serve` starts: its listener says so clearly
// (503 page, /ready 503) and recovers on its own once a real OpenID provider comes up on the
// issuer's port: /ready turns 200 and alice signs in through it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltinIdp, type BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { freePort } from '../support/free-port.ts';
import { createBrowser } from '../support/browser.ts';
import { startEcho, type EchoRequest, type EchoTarget } from '../support/echo.ts';
import { PERSONAS, startPortcullis, type Portcullis } from '../support/serve.ts';
import { signIn } from '../support/signin.ts';

/** A bound on the wait for recovery, not a speed check: discovery retries back off up to 5 s. */
const RECOVERY_BOUND_MS = 15_000;
const SECRET_ENV = 'TEST_IDP_SECRET';

let echo: EchoTarget;
let pc: Portcullis;
let idpHome: string;
let idp: BuiltinIdp | undefined;
let issuerPort: number;
let url: string;

const startIdp = (port: number) =>
  startBuiltinIdp({ port, users: PERSONAS.filter((p) => p.username !== 'carol'), dataDir: idpHome });

beforeAll(async () => {
  echo = await startEcho();
  idpHome = await mkdtemp(join(tmpdir(), 'portcullis-recovery-idp-'));
  // The client secret lives in the IdP's data dir: learn it once, then stop the IdP again.
  const first = await startIdp(0);
  const secret = first.clientSecret;
  await first.close();
  issuerPort = await freePort();
  // `serve` inherits this process's environment (this file runs in its own fork).
  process.env[SECRET_ENV] = secret;
  pc = await startPortcullis({
    upstreams: [{ id: 'sso', target: echo.url, provider: 'corp' }],
    providers: [
      { id: 'builtin', type: 'builtin' },
      {
        id: 'corp', type: 'oidc', issuer: `http://127.0.0.1:${issuerPort}`, clientId: 'portcullis',
        clientSecret: { env: SECRET_ENV }, scopes: ['openid', 'email', 'profile', 'groups'],
      },
    ],
  });
  url = pc.url('sso');
});
afterAll(async () => {
  delete process.env[SECRET_ENV];
  await pc?.dispose();
  await idp?.close();
  await echo?.stop();
  if (idpHome) await rm(idpHome, { recursive: true, force: true });
});

describe('while the issuer is down', () => {
  it('the listener answers a clear 503 page naming the provider, and nothing reaches the target', async () => {
    const res = await createBrowser().get(`${url}/page`);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(new RegExp(`corp|127\\.0\\.0\\.1:${issuerPort}`));
    expect(echo.requests.some((r) => r.path === '/page')).toBe(false);
  });

  it('/ready is 503 with the reason; /ping is 200', async () => {
    const ready = await createBrowser().get(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatch(/corp/);
    expect((await createBrowser().get(`${url}/ping`)).status).toBe(200);
  });

  it('sign-in is refused with 503 instead of sending the browser to a dead issuer', async () => {
    const res = await createBrowser().get(`${url}/oauth2/start?rd=/`);
    expect(res.status).toBe(503);
  });
});

describe('once the OpenID provider comes up on the issuer port', () => {
  beforeAll(async () => {
    idp = await startIdp(issuerPort);
    expect(idp.issuer).toBe(`http://127.0.0.1:${issuerPort}`);
  });

  it('/ready turns 200 without a restart', async () => {
    await expect
      .poll(async () => (await createBrowser().get(`${url}/ready`)).status, { timeout: RECOVERY_BOUND_MS, interval: 250 })
      .toBe(200);
  });

  it('alice signs in through the oidc provider and the target sees her identity', async () => {
    const alice = createBrowser();
    const back = await signIn(alice, url, 'alice', { rd: '/welcome' });
    expect(back.location).toBe('/welcome');
    // The flow went through the recovered issuer, not Portcullis's own built-in one.
    expect(back.flow.some((hop) => new URL(hop.url).port === String(issuerPort))).toBe(true);
    const res = await alice.get(`${url}/welcome`);
    expect(res.status).toBe(200);
    const seen = res.json<EchoRequest>();
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('admins,devs');
  });
});
