// Identity headers (docs/configuration.md) as the target sees them, for each flag combination; spoofed
// client headers in every spelling stripped; Portcullis cookies removed; Host passed through.
import { describe, expect, it } from 'vitest';
import type { EchoRequest, EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { createBrowser, upgradeRequest, type Browser } from '../support/browser.ts';
import { sessionCookieName, signInWithHint } from '../support/signin.ts';

const FLAGS = {
  user: { passUserHeaders: true, passAccessToken: false, passAuthorizationHeader: false, setXAuthRequest: true },
  none: { passUserHeaders: false, passAccessToken: false, passAuthorizationHeader: false, setXAuthRequest: false },
  tokens: { passUserHeaders: false, passAccessToken: true, passAuthorizationHeader: true, setXAuthRequest: false },
  all: { passUserHeaders: true, passAccessToken: true, passAuthorizationHeader: true, setXAuthRequest: true },
} as const;
type Combo = keyof typeof FLAGS;

/** Every family of identity header, in the spellings a hostile client might use. */
const SPOOFED: [string, string][] = [
  ['X-Forwarded-User', 'evil-user'],
  ['X-Forwarded-Email', 'evil@evil.test'],
  ['x_forwarded_email', 'evil2@evil.test'],
  ['X_FORWARDED_GROUPS', 'evil-admins'],
  ['x-forwarded-preferred-username', 'evil-name'],
  ['X-Forwarded-Access-Token', 'evil-token'],
  ['X-AUTH-REQUEST-USER', 'evil-user'],
  ['x_auth_request_email', 'evil@evil.test'],
  ['X-Auth-Request-Groups', 'evil-admins'],
  ['X-Portcullis-Simulated', 'groups'],
  ['x_portcullis_groups', 'evil-admins'],
  ['Authorization', 'Bearer evil-token'],
];

const normalise = (name: string) => name.toLowerCase().replace(/_/g, '-');

/** The client-supplied values that survived to the target (Authorization only counts when Portcullis owns it). */
function survivors(seen: EchoRequest, authorizationOwned: boolean): [string, string][] {
  return seen.rawHeaders.filter(([name, value]) => {
    const n = normalise(name);
    if (n === 'authorization') return authorizationOwned && value.includes('evil');
    return /evil|^groups$/.test(value) && /^(x-forwarded-|x-auth-request-|x-portcullis-)/.test(n);
  });
}

test.override('setup', { scope: 'file' }, {
  upstreams: (Object.keys(FLAGS) as Combo[]).map((id) => ({ id, ...FLAGS[id], skipAuthRoutes: ['^/public'] })),
});

let echo: EchoTarget;
let pc: Portcullis;
let alice: Browser;

test.beforeAll(async ({ echo: target, portcullis }) => {
  [echo, pc] = [target, portcullis];
  alice = createBrowser();
  for (const id of Object.keys(FLAGS)) await signInWithHint(alice, pc.url(id), 'alice');
});

async function through(browser: Browser, id: Combo, path: string) {
  const res = await browser.get(`${pc.url(id)}${path}`, { headers: SPOOFED });
  expect(res.status, res.body).toBe(200);
  return { res, seen: res.json<EchoRequest>() };
}

describe.each(Object.keys(FLAGS) as Combo[])('signed in, flags "%s"', (id) => {
  const flags = FLAGS[id];

  it('the target gets exactly the identity headers the flags ask for', async () => {
    const { seen } = await through(alice, id, `/headers-${id}`);
    const h = seen.headers;
    if (flags.passUserHeaders) {
      expect(h['x-forwarded-user']).toBeTruthy();
      expect(h['x-forwarded-email']).toBe('alice@example.test');
      expect(h['x-forwarded-groups']).toBe('admins,devs');
      expect(h['x-forwarded-preferred-username']).toBe('alice');
    } else {
      for (const name of ['x-forwarded-user', 'x-forwarded-email', 'x-forwarded-groups', 'x-forwarded-preferred-username']) {
        expect(h[name], name).toBeUndefined();
      }
    }
    if (flags.passAccessToken) expect(String(h['x-forwarded-access-token'])).toMatch(/^(?!evil)\S{8,}$/);
    else expect(h['x-forwarded-access-token']).toBeUndefined();
    if (flags.passAuthorizationHeader) expect(String(h.authorization)).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    else expect(h.authorization).toBe('Bearer evil-token');
  });

  it('every spoofed identity header, in any spelling, is stripped', async () => {
    const { seen } = await through(alice, id, `/spoof-${id}`);
    expect(survivors(seen, flags.passAuthorizationHeader)).toEqual([]);
  });

  it('the response carries X-Auth-Request-* exactly when setXAuthRequest is on', async () => {
    const { res } = await through(alice, id, `/response-${id}`);
    if (flags.setXAuthRequest) {
      expect(res.headers['x-auth-request-user']).toBeTruthy();
      expect(res.headers['x-auth-request-email']).toBe('alice@example.test');
      expect(res.headers['x-auth-request-groups']).toBe('admins,devs');
      expect(res.headers['x-auth-request-preferred-username']).toBe('alice');
    } else {
      expect(Object.keys(res.headers).filter((n) => n.startsWith('x-auth-request-'))).toEqual([]);
    }
    const token = res.headers['x-auth-request-access-token'];
    if (flags.setXAuthRequest && flags.passAccessToken) expect(token).toBeTruthy();
    else expect(token).toBeUndefined();
    expect(res.headers['x-portcullis-simulated']).toBeUndefined();
  });

  it('a public route gets no identity headers at all, spoofed or real', async () => {
    const { seen } = await through(createBrowser(), id, `/public/${id}`);
    expect(survivors(seen, flags.passAuthorizationHeader)).toEqual([]);
    for (const name of ['x-forwarded-user', 'x-forwarded-email', 'x-forwarded-groups', 'x-forwarded-access-token']) {
      expect(seen.headers[name], name).toBeUndefined();
    }
  });
});

describe('cookies and Host', () => {
  it("removes the listener's session cookie but keeps the app's own cookies", async () => {
    const url = pc.url('all');
    alice.setCookie(url, 'theme', 'dark');
    alice.setCookie(url, 'app_session', 'abc123');
    const { seen } = await through(alice, 'all', '/cookies');
    expect(seen.cookies).toMatchObject({ theme: 'dark', app_session: 'abc123' });
    expect(Object.keys(seen.cookies).filter((n) => n.startsWith(sessionCookieName(url)))).toEqual([]);
  });

  it("does not hand other listeners' Portcullis cookies to the target either", async () => {
    const { seen } = await through(alice, 'all', '/cookies-other');
    expect(Object.keys(seen.cookies).filter((n) => n.startsWith('_portcullis'))).toEqual([]);
  });

  it('passes Host through unchanged', async () => {
    const { seen } = await through(alice, 'user', '/host');
    expect(seen.headers.host).toBe(`localhost:${pc.ports.upstreams.user}`);
  });
});

describe('WebSocket handshake', () => {
  const cookieHeader = (id: Combo): [string, string] => {
    const url = pc.url(id);
    return ['Cookie', alice.cookieHeader(url)];
  };

  it('is proxied when signed in, with identity headers and without spoofed ones', async () => {
    const res = await upgradeRequest(`${pc.url('user')}/ws-signed-in`, [cookieHeader('user'), ...SPOOFED]);
    expect(res.status).toBe(101);
    const seen = echo.requests.find((r) => r.upgrade && r.path === '/ws-signed-in')!;
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(survivors(seen, false)).toEqual([]);
  });

  it('is refused with 401 before reaching the target when not signed in', async () => {
    const res = await upgradeRequest(`${pc.url('user')}/ws-anonymous`, SPOOFED);
    expect(res.status).toBe(401);
    expect(echo.requests.some((r) => r.path === '/ws-anonymous')).toBe(false);
  });
});

