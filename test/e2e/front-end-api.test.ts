// The front end + API setup in real Chromium (docs/configuration.md, "Paths and rules"): a real
// Vite dev server on `/` and a real Flask API on `/app/api/` behind one listener. Anonymous
// navigation signs in and lands on the app; the app's same-origin fetch carries the session;
// an anonymous fetch gets 401 JSON; /app/api/no_auth is public; bob is refused the admin API with
// the rule named while alice is let through; and Vite's HMR WebSocket works through the proxy.
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { haveChromium, test as base } from './chromium.ts';
import { startViteApp, type ViteApp } from '../support/vite.ts';
import { SHOP_PATHS } from '../support/rules-table.ts';

type Fetched = { status: number; contentType: string | null; body: Record<string, unknown> };

/** Runs `fetch` inside the page, as the app's own code would. */
function pageFetch(page: Page, path: string, method = 'GET'): Promise<Fetched> {
  return page.evaluate(async ([p, m]) => {
    const res = await fetch(p, { method: m });
    return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  }, [path, method] as const);
}

/** The real Vite dev server, up before Portcullis (as is the fixture's Flask API) and down after it. */
const test = base.extend('vite', { scope: 'file' }, async ({}, { onCleanup }): Promise<ViteApp> => {
  const vite = await startViteApp();
  onCleanup(() => vite.stop());
  return vite;
});

test.override('setup', { scope: 'file' }, ({ vite, flask }) => ({
  upstreams: [
    {
      id: 'shop', target: vite.url, allowedGroups: ['devs'], paths: SHOP_PATHS(flask.url),
      rules: [
        { id: 'public-api', path: '^/app/api/no_auth$', public: true },
        { id: 'admin', path: '^/app/api/admin/', methods: ['POST', 'PUT', 'DELETE'], allowedGroups: ['admins'], api: true },
        { id: 'api', path: '^/app/api/', api: true },
      ],
    } as never,
  ],
}));

describe.skipIf(!haveChromium)('a Vite front end and a Flask API behind one sign-in, in Chromium', () => {
  let vite: ViteApp;
  let browser: Browser;
  let shop: string;
  const sockets: Array<{ url: string }> = [];

  // Started here, under the hook timeout; the apps stop after Portcullis when the file is done.
  test.beforeAll(({ vite: devServer, chromium, app }) => {
    [vite, browser, shop] = [devServer, chromium, app];
  });

  async function signedInPage(persona: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('websocket', (ws) => sockets.push({ url: ws.url() }));
    await page.goto(`${shop}/`);
    await page.getByRole('listitem').filter({ hasText: `${persona}@example.test` }).getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${shop}/`);
    return page;
  }

  it('anonymous navigation → sign-in → the app, whose fetch of /app/api/userinfo carries the session', async () => {
    const page = await signedInPage('bob');
    await page.getByText('api says: bob@example.test (devs)').waitFor();
    expect(await page.locator('h1').innerText()).toBe('Shop front end');
  });

  it('an anonymous fetch gets 401 JSON; /app/api/no_auth is public', async () => {
    const page = await (await browser.newContext()).newPage();
    const open = await page.goto(`${shop}/app/api/no_auth`);
    expect(open?.status()).toBe(200);
    const anonymous = await pageFetch(page, '/app/api/userinfo');
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toMatch(/^application\/json/);
  });

  it('bob is refused POST /app/api/admin/x with the rule named; alice is allowed', async () => {
    const bob = await signedInPage('bob');
    const refused = await pageFetch(bob, '/app/api/admin/x', 'POST');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ rule: 'admin', message: 'denied by rule admin (^/app/api/admin/): needs group admins; has devs' });
    const alice = await signedInPage('alice');
    const allowed = await pageFetch(alice, '/app/api/admin/x', 'POST');
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ method: 'POST', path: '/app/api/admin/x' });
  });

  it("Vite's HMR WebSocket connects through the proxy: an edit reaches the page", async () => {
    const page = await signedInPage('alice');
    await page.getByText('api says: alice@example.test (admins,devs)').waitFor();
    await vite.edit('src/message.js', "export const message = 'Edited through Portcullis';\n");
    await page.getByRole('heading', { name: 'Edited through Portcullis' }).waitFor();
    expect(sockets.some((s) => s.url.startsWith(shop.replace(/^http/, 'ws')))).toBe(true);
  });
});
