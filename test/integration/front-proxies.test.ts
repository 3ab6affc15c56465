// The exported front-proxy configurations, run for real: HAProxy, Caddy and nginx each take the
// export exactly as the control API answers it (only file paths change) and stand in front of a
// Portcullis listener and a Flask app, on the front origin the upstream lists in redirectOrigins.
// A user signs in through the front proxy and lands on the page they asked for, on its origin,
// and the app gets the identity headers and the upstream's claim headers the front proxy copied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlask, type Echo, type Upstream } from '../support/flask.ts';
import { freePort } from '../support/free-port.ts';
import { checkCaddy, checkHaproxy, startCaddy, startHaproxy, writeCaddyExport, writeHaproxyExport, type RunningFrontProxy } from '../support/front-proxies.ts';
import { startNginx } from '../support/nginx.ts';
import { consoleApi } from '../support/console-api.ts';
import { createBrowser, type Browser, type BrowserResponse } from '../support/browser.ts';
import { startPortcullis, type Portcullis } from '../support/serve.ts';

type Format = 'haproxy' | 'caddy' | 'nginx';
const FORMATS: Format[] = ['haproxy', 'caddy', 'nginx'];

let flask: Upstream;
let pc: Portcullis;
const fronts = {} as Record<Format, { origin: string; text: string; proxy?: RunningFrontProxy; check?: { ok: boolean; output: string } }>;

async function startFront(format: Format, text: string, origin: string): Promise<{ proxy: RunningFrontProxy; check: { ok: boolean; output: string } }> {
  if (format === 'haproxy') {
    const files = await writeHaproxyExport(text);
    const check = await checkHaproxy(files);
    return { check, proxy: await startHaproxy(files, `${origin}/oauth2/ping-ready`) };
  }
  if (format === 'caddy') {
    const files = await writeCaddyExport(text);
    const check = await checkCaddy(files);
    return { check, proxy: await startCaddy(files, `${origin}/oauth2/ping-ready`) };
  }
  // nginx: the export is what goes in the http {} block; startNginx writes the file around it and
  // probes its own port, so a one-line server answers there.
  const nginx = await startNginx((_dirs, ports) => `${text}\nserver { listen 127.0.0.1:${ports.port}; return 204; }\n`);
  return { check: await nginx.check(), proxy: nginx };
}

beforeAll(async () => {
  flask = await startFlask();
  const ports = Object.fromEntries(await Promise.all(FORMATS.map(async (f) => [f, await freePort()]))) as Record<Format, number>;
  // One upstream per front proxy; each names its front origin, which makes it trusted as a front.
  pc = await startPortcullis({
    upstreams: FORMATS.map((f) => ({
      id: f, target: flask.url, allowedGroups: ['admins'], redirectOrigins: [`http://127.0.0.1:${ports[f]}`],
      claimHeaders: { 'X-User-Display': 'name', 'X-Auth-User': '$' },
    })),
  });
  const api = consoleApi(pc);
  for (const format of FORMATS) {
    const res = await api.call<{ text: string }>('GET', `upstreams/${format}/export?format=${format}`);
    expect(res.status).toBe(200);
    fronts[format] = { origin: `http://127.0.0.1:${ports[format]}`, text: res.body.text };
  }
  for (const format of FORMATS) Object.assign(fronts[format], await startFront(format, fronts[format].text, fronts[format].origin));
}, 120_000);

afterAll(async () => {
  for (const format of FORMATS) await fronts[format]?.proxy?.stop();
  await pc?.dispose();
  await flask?.stop();
});

function signInLink(page: BrowserResponse): string {
  const href = /href="(\/oauth2\/start\?[^"]*)"/.exec(page.body)?.[1];
  if (!href) throw new Error(`no sign-in link on ${page.url} (${page.status}):\n${page.body.slice(0, 800)}`);
  return href.replace(/&amp;/g, '&');
}

/** Anonymous request → the front proxy's sign-in page → persona → back, all as a browser would. */
async function signInThroughFront(browser: Browser, origin: string, path: string, persona: string): Promise<BrowserResponse> {
  const first = await browser.get(`${origin}${path}`, { follow: true });
  const start = new URL(signInLink(first), origin);
  start.searchParams.set('login_hint', persona);
  return browser.get(start.href, { follow: true });
}

describe.each(FORMATS)('the %s export in front of a listener and a Flask app', (format) => {
  it('passes the proxy\'s own check without warnings', () => {
    const { check } = fronts[format];
    expect(check?.ok, check?.output).toBe(true);
    // HAProxy prints [WARNING], nginx [warn], Caddy "level":"warn" (e.g. an unformatted Caddyfile).
    expect(check?.output).not.toMatch(/\[WARNING\]|\[warn\]|"level":"warn"/);
    if (format === 'nginx') expect(check?.output).toMatch(/test is successful/);
  });

  it('sends an anonymous visitor to sign in and back to the page asked for, on the front origin, with the identity headers', async () => {
    const browser = createBrowser();
    const { origin } = fronts[format];
    const anonymous = await browser.get(`${origin}/reports/q3?view=full&year=2026`);
    // HAProxy redirects to the sign-in page; Caddy serves it with 401 and nginx with 403, as oauth2-proxy setups do.
    expect(anonymous.status).toBe({ haproxy: 302, caddy: 401, nginx: 403 }[format]);

    const landed = await signInThroughFront(browser, origin, '/reports/q3?view=full&year=2026', 'alice');
    // The callback ran on the front origin (where the CSRF cookie is) and the user is back where they started.
    expect(landed.hops.some((hop) => hop.url.startsWith(`${origin}/oauth2/callback?`))).toBe(true);
    expect(landed.url).toBe(`${origin}/reports/q3?view=full&year=2026`);
    expect(landed.status).toBe(200);
    const seen = landed.json<Echo>();
    expect(seen.path).toBe('/reports/q3');
    expect(seen.headers).toMatchObject({
      'x-auth-request-user': 'alice',
      'x-auth-request-email': 'alice@example.test',
      'x-auth-request-groups': 'admins,devs',
      'x-auth-request-preferred-username': 'alice',
      'x-user-display': 'Alice Admin',
    });
    expect(JSON.parse(seen.headers['x-auth-user'])).toMatchObject({ sub: 'alice', email: 'alice@example.test', groups: ['admins', 'devs'] });
  });

  it('overwrites identity and claim headers the client sends itself', async () => {
    const browser = createBrowser();
    const { origin } = fronts[format];
    await signInThroughFront(browser, origin, '/', 'alice');
    const res = await browser.get(`${origin}/who`, { headers: [['X-Auth-Request-Email', 'mallory@evil.test'], ['X-Auth-Request-Groups', 'root'], ['X-User-Display', 'Mallory']] });
    expect(res.status).toBe(200);
    // exactly one, the copied one (HAProxy sends header names in lower case)
    expect(res.json<Echo>().rawHeaders.filter(([name]) => name.toLowerCase() === 'x-user-display').map(([, value]) => value)).toEqual(['Alice Admin']);
    expect(res.json<Echo>().headers['x-auth-request-email']).toBe('alice@example.test');
    expect(res.json<Echo>().headers['x-auth-request-groups']).toBe('admins,devs');
  });

  it('answers 403 itself to a signed-in user without the group, and the app never sees the request', async () => {
    const browser = createBrowser();
    const { origin } = fronts[format];
    const landed = await signInThroughFront(browser, origin, '/for-admins', 'bob');
    expect(landed.url).toBe(`${origin}/for-admins`);
    expect(landed.status).toBe(403);
    expect(landed.body).not.toContain('"path": "/for-admins"');
  });

  it('passes /oauth2/* through to Portcullis', async () => {
    const browser = createBrowser();
    const { origin } = fronts[format];
    await signInThroughFront(browser, origin, '/', 'alice');
    const info = await browser.get(`${origin}/oauth2/userinfo`);
    expect(info.status).toBe(200);
    expect(info.json()).toMatchObject({ email: 'alice@example.test', groups: ['admins', 'devs'] });
    expect((await createBrowser().get(`${origin}/oauth2/userinfo`)).status).toBe(401);
  });
});
