// Portcullis's cookies and the built-in identity provider's are out of a target's reach both
// ways: an app behind a listener can neither plant nor swap them (every port of a host shares
// the browser's jar, so it could otherwise set another listener's session), and it never
// receives the identity provider's cookies, which the browser sends to every port of 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { upgradeRequest, type Browser } from '../support/browser.ts';
import type { EchoRequest } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { sessionCookieName, signedInBrowser } from '../support/signin.ts';

test.override('setup', { scope: 'file' }, {
  upstreams: [
    { id: 'app', skipAuthRoutes: ['GET=^/public'] },
    { id: 'other' },
  ],
});

let pc: Portcullis;
let browser: Browser;
let app: string;
/** The same listener by IP, where the browser also sends the identity provider's cookies. */
let appByIp: string;
let otherPort: number;

test.beforeAll(({ portcullis, app: url, alice }) => {
  [pc, app, browser] = [portcullis, url, alice];
  otherPort = pc.ports.upstreams.other;
  appByIp = `http://127.0.0.1:${new URL(app).port}`;
  browser.setCookie(appByIp, sessionCookieName(app), browser.cookie(app, sessionCookieName(app))!.value);
});

/** Names a target may try to set: every listener's and the identity provider's, old and new. */
const reserved = () => [
  `_portcullis_${otherPort}`,
  `_portcullis_${otherPort}_csrf`,
  '_portcullis',
  '_portcullis_idp_session',
  '_portcullis_idp_session.sig',
  '_portcullis_idp_interaction',
  '_session',
  '_session.sig',
  '_session.legacy',
  '_session.legacy.sig',
  '_interaction',
  '_interaction.sig',
  '_interaction_resume',
  '_interaction_resume.sig',
  '_state.portcullis',
  '_state.portcullis.sig',
];

const planting = (path: string) => `${path}?${[...reserved(), 'theme'].map((n) => `set-cookie=${encodeURIComponent(n)}`).join('&')}`;
const setNames = (lines: string | string[] | undefined) => ([] as string[]).concat(lines ?? []).map((line) => line.split('=')[0]);

describe('a target that sets reserved cookies', () => {
  it.each([
    ['a signed-in page', '/page'],
    ['a public route', '/public/page'],
  ])('on %s: only its own cookie reaches the browser', async (_label, path) => {
    const res = await browser.get(`${app}${planting(path)}`);
    expect(res.status).toBe(200);
    expect(setNames(res.headers['set-cookie'])).toEqual(['theme']);
  });

  it('cannot replace the session of another listener', async () => {
    const other = pc.url('other');
    const bobs = await signedInBrowser(other, 'bob');
    const before = bobs.cookie(other, sessionCookieName(other))!.value;
    await bobs.get(`${app}${planting('/public/page')}`);
    expect(bobs.cookie(other, sessionCookieName(other))!.value).toBe(before);
    const res = await bobs.get(`${other}/whoami`);
    expect(res.json<EchoRequest>().headers['x-forwarded-email']).toBe('bob@example.test');
  });

  it('on a WebSocket handshake: only its own cookie reaches the browser', async () => {
    const cookie = browser.cookieHeader(app);
    const res = await upgradeRequest(`${app}${planting('/ws')}`, [['Cookie', cookie]]);
    expect(res.status).toBe(101);
    expect(setNames(res.headers['set-cookie'])).toEqual(['theme']);
  });
});

describe('requests a target receives', () => {
  it("carry none of the identity provider's cookies the browser holds for 127.0.0.1", async () => {
    const idpCookies = browser.cookies(`http://127.0.0.1:${pc.ports.idp}`);
    expect(idpCookies.map((c) => c.name)).toContain('_portcullis_idp_session');
    browser.setCookie(appByIp, 'theme', 'dark');
    const res = await browser.get(`${appByIp}/page`);
    expect(res.status).toBe(200);
    const seen = res.json<EchoRequest>();
    expect(Object.keys(seen.cookies)).toEqual(['theme']);
    for (const { value } of idpCookies) expect(JSON.stringify(seen.headers)).not.toContain(value);
  });

  it("carry none of the identity provider's cookies under their oidc-provider default names", async () => {
    // Sent besides the browser's own Cookie header, which carries the session.
    const planted = [...reserved().map((n) => `${n}=x`), 'theme=dark'].join('; ');
    const res = await browser.get(`${app}/page`, { headers: [['Cookie', planted]] });
    expect(res.status).toBe(200);
    const seen = res.json<EchoRequest>();
    expect(Object.keys(seen.cookies)).toEqual(['theme']);
  });
});
