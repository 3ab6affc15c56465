// Traefik cannot be installed here, so its side of the exchange is replayed exactly: its
// forwardAuth middleware sends the listener's /oauth2/auth a GET with the original headers
// (the cookie among them) and X-Forwarded-Method, -Proto, -Host, -Uri and -For; a 2xx lets the
// request through with the headers listed in authResponseHeaders copied onto it, anything else is
// answered to the browser as is. The errors middleware turns a 401 into the sign-in page,
// fetched with the browser's Host. These tests check every answer those middlewares rely on,
// and that the sign-in they lead to completes on the front origin.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../support/free-port.ts';
import { createBrowser } from '../support/browser.ts';
import { test as base } from '../support/fixture.ts';

/** The origin Traefik would serve on (nothing listens there: its side is replayed). */
const test = base.extend('front', { scope: 'file' }, async (): Promise<URL> => new URL(`http://127.0.0.1:${await freePort()}`));
test.override('setup', { scope: 'file' }, ({ front }) => ({
  upstreams: [{ id: 'svc', allowedGroups: ['admins'], redirectOrigins: [front.origin], claimHeaders: { 'X-User-Display': 'name' } }],
}));

let listener: URL;
let front: URL;
let authResponseHeaders: string[];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to the listener with exactly these headers, as Traefik sends it. */
function send(path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: listener.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What forwardAuth sends for a browser's `GET <front><uri>` (trustForwardHeader: true, as exported). */
function forwardAuth(uri: string, cookie?: string, method = 'GET'): Promise<Answer> {
  return send('/oauth2/auth', {
    Host: listener.host,
    Accept: 'text/html,application/xhtml+xml',
    'User-Agent': 'Mozilla/5.0',
    ...(cookie ? { Cookie: cookie } : {}),
    'X-Forwarded-Method': method,
    'X-Forwarded-Proto': front.protocol.slice(0, -1),
    'X-Forwarded-Host': front.host,
    'X-Forwarded-Uri': uri,
    'X-Forwarded-For': '127.0.0.1',
  });
}

/** What a Traefik service with the default passHostHeader sends: the browser's Host, plus X-Forwarded-*. */
function throughRouter(path: string, cookie?: string): Promise<Answer> {
  return send(path, {
    Host: front.host,
    Accept: 'text/html',
    ...(cookie ? { Cookie: cookie } : {}),
    'X-Forwarded-Proto': front.protocol.slice(0, -1),
    'X-Forwarded-Host': front.host,
    'X-Forwarded-For': '127.0.0.1',
  });
}

const cookiePairs = (answer: Answer): string[] => ((answer.headers['set-cookie'] as string[] | undefined) ?? []).map((line) => line.split(';')[0]);

/** errors middleware → sign-in page → /oauth2/start → built-in IdP → callback, all on the front origin. */
async function signIn(persona: string, uri: string): Promise<{ cookie: string; returnedTo: string; callback: URL }> {
  const page = await throughRouter(`/oauth2/sign_in?rd=${encodeURIComponent(`${front.origin}${uri}`)}`);
  expect(page.status).toBe(200);
  const link = /href="(\/oauth2\/start\?[^"]*)"/.exec(page.body)![1].replace(/&amp;/g, '&');
  const start = await throughRouter(`${link}&login_hint=${persona}`);
  expect(start.status).toBe(302);
  const csrf = cookiePairs(start).join('; ');
  // The IdP's own hops, with a browser's cookie jar, until it sends the browser back to the front.
  const browser = createBrowser();
  let location = String(start.headers.location);
  for (let hop = 0; !location.startsWith(front.origin); hop++) {
    if (hop > 10) throw new Error('the IdP did not send the browser back');
    const res = await browser.get(location);
    location = new URL(res.location!, location).href;
  }
  const callback = new URL(location);
  const done = await throughRouter(`${callback.pathname}${callback.search}`, csrf);
  expect(done.status).toBe(302);
  const session = cookiePairs(done).find((pair) => pair.startsWith(`_portcullis_${listener.port}=`) && !pair.endsWith('='));
  return { cookie: session!, returnedTo: String(done.headers.location), callback };
}

test.beforeAll(async ({ front: origin, app, api }) => {
  front = origin;
  listener = new URL(app);
  const exported = await api.call<{ text: string }>('GET', 'upstreams/svc/export?format=traefik');
  const dynamic = parseYaml(exported.body.text) as { http: { middlewares: Record<string, { forwardAuth?: { authResponseHeaders: string[]; address: string } }> } };
  const auth = dynamic.http.middlewares['svc-auth'].forwardAuth!;
  expect(auth.address).toBe(`http://127.0.0.1:${listener.port}/oauth2/auth`);
  authResponseHeaders = auth.authResponseHeaders;
});

describe('Traefik forwardAuth and errors middleware against /oauth2/auth', () => {
  it('answers 401 (never a redirect) to an anonymous browser request, so the errors middleware shows sign-in', async () => {
    const answer = await forwardAuth('/reports?q=1');
    expect(answer.status).toBe(401);
    expect(answer.headers.location).toBeUndefined();
  });

  it('signs in through the front origin and returns to the page asked for', async () => {
    const { returnedTo, callback } = await signIn('alice', '/reports?q=1');
    expect(callback.origin).toBe(front.origin);
    expect(callback.pathname).toBe('/oauth2/callback');
    expect(returnedTo).toBe(`${front.origin}/reports?q=1`);
  });

  it('answers 202 with every header authResponseHeaders copies, for any forwarded method', async () => {
    const { cookie } = await signIn('alice', '/');
    for (const method of ['GET', 'POST', 'DELETE']) {
      const answer = await forwardAuth('/api/items/7', cookie, method);
      expect(answer.status).toBe(202);
      const copied = Object.fromEntries(authResponseHeaders.map((name) => [name, answer.headers[name.toLowerCase()]]));
      expect(copied).toEqual({
        'X-Auth-Request-User': 'alice',
        'X-Auth-Request-Email': 'alice@example.test',
        'X-Auth-Request-Groups': 'admins,devs',
        'X-Auth-Request-Preferred-Username': 'alice',
        'X-User-Display': 'Alice Admin',
      });
    }
  });

  it('answers 403 to a user without the group, which Traefik returns to the browser as is', async () => {
    const { cookie } = await signIn('bob', '/');
    const answer = await forwardAuth('/reports', cookie);
    expect(answer.status).toBe(403);
    expect(answer.headers['x-auth-request-email']).toBeUndefined();
    expect(answer.body).toMatch(/admins/);
  });

  it('trusts no front that the settings do not name: a forged X-Forwarded-Host gets the listener\'s own callback', async () => {
    const start = await send('/oauth2/start?login_hint=alice', { Host: listener.host, 'X-Forwarded-Host': 'evil.test', 'X-Forwarded-Proto': 'https' });
    const redirectUri = new URL(String(start.headers.location)).searchParams.get('redirect_uri');
    expect(redirectUri).toBe(`http://${listener.host}/oauth2/callback`);
  });
});
