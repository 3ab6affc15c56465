// Open-redirect payloads through the real endpoints: `rd` on /oauth2/sign_out and through a whole
// sign-in (start -> IdP -> callback), and the X-Auth-Request-Redirect header nginx setups send.
// Every hostile value must land on `/` of the listener; allowed origins are kept.
import { describe, expect, it } from 'vitest';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { createBrowser } from '../support/browser.ts';
import { loadRedirectPayloads, spread } from '../support/redirect-payloads.ts';
import { signInWithHint } from '../support/signin.ts';

const payloads = loadRedirectPayloads();
test.override('setup', { scope: 'file' }, { upstreams: [{ id: 'app', redirectOrigins: payloads.origins }] });

let pc: Portcullis;
let app: string;

test.beforeAll(async ({ portcullis }) => {
  pc = portcullis;
  app = pc.url('app');
});

/** Where a redirect really goes: the Location resolved against the listener. */
const destination = (location: string | undefined) => new URL(location ?? 'missing:', app).href;
const home = () => new URL('/', app).href;

describe('hostile rd on /oauth2/sign_out lands on /', () => {
  it('the payload list is the big shared one', () => {
    expect(payloads.reject.length).toBeGreaterThan(200);
  });

  it.each(spread(payloads.reject, 150).map((p) => [JSON.stringify(p), p]))('%s', async (_label, payload) => {
    const res = await createBrowser().get(`${app}/oauth2/sign_out?rd=${encodeURIComponent(payload)}`);
    expect(res.status).toBe(302);
    expect(destination(res.location)).toBe(home());
  });
});

describe('hostile X-Auth-Request-Redirect on /oauth2/sign_out lands on /', () => {
  // Header values cannot carry control characters or non-Latin-1 text; the rest can be tried.
  const headerSafe = payloads.reject.filter((p) => /^[\x20-\x7e]*$/.test(p) && p.trim() === p && p !== '');
  it.each(spread(headerSafe, 40).map((p) => [p]))('%s', async (payload) => {
    const res = await createBrowser().get(`${app}/oauth2/sign_out`, { headers: [['X-Auth-Request-Redirect', payload]] });
    expect(res.status).toBe(302);
    expect(destination(res.location)).toBe(home());
  });
});

describe('safe redirect targets are kept', () => {
  it.each(payloads.keep.map((p) => [p]))('rd=%s', async (value) => {
    const res = await createBrowser().get(`${app}/oauth2/sign_out?rd=${encodeURIComponent(value)}`);
    expect(res.status).toBe(302);
    expect(destination(res.location)).toBe(new URL(value, app).href);
  });

  it('X-Auth-Request-Redirect to an allowed origin is honoured', async () => {
    const res = await createBrowser().get(`${app}/oauth2/sign_out`, { headers: [['X-Auth-Request-Redirect', 'http://localhost:8080/app?x=1']] });
    expect(res.location).toBe('http://localhost:8080/app?x=1');
  });
});

describe('rd through a whole sign-in', () => {
  const hostile = spread(payloads.reject, 8);
  it.each(hostile.map((p) => [JSON.stringify(p), p]))('hostile rd %s ends on /', async (_label, payload) => {
    const res = await signInWithHint(createBrowser(), app, 'alice', { rd: payload });
    expect(destination(res.location)).toBe(home());
  });

  it.each([
    ['a relative path', '/dash?tab=2', '/dash?tab=2'],
    ['an allowed origin', 'https://app.example.test/a/b', 'https://app.example.test/a/b'],
    ['a near-miss origin', 'https://app.example.test.evil.test/', '/'],
  ])('%s: %s -> %s', async (_what, rd, expected) => {
    const res = await signInWithHint(createBrowser(), app, 'alice', { rd });
    expect(destination(res.location)).toBe(new URL(expected, app).href);
  });

  it.each([
    ['/from-header', '/from-header'],
    ['//evil.test/', '/'],
  ])('X-Auth-Request-Redirect %s on /oauth2/start -> %s', async (header, expected) => {
    const res = await signInWithHint(createBrowser(), app, 'alice', { headers: [['X-Auth-Request-Redirect', header]] });
    expect(destination(res.location)).toBe(new URL(expected, app).href);
  });
});
