// In real Chromium against the real `portcullis serve --open`: the console's credential never
// reaches another server on 127.0.0.1 or localhost (browsers send a host's cookies to every port
// of it, so the console keeps no cookie), the console keeps working after navigating away and
// reloading, and --open starts the browser with a one-time code, never with the token, since a
// process's arguments are readable by every user of the machine.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { haveChromium, test } from './chromium.ts';
import type { ConsoleApi } from '../support/console-api.ts';

// `serve --open` with a stand-in for the desktop's URL opener first on its PATH: it writes down
// the arguments it was started with, which are exactly what any user could read in /proc/<pid>/cmdline.
test.override('setup', { scope: 'file' }, async ({ home }) => {
  await writeFile(join(home, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(home, 'args')}"\n`);
  await chmod(join(home, 'xdg-open'), 0o755);
  return { upstreams: [{ id: 'app' }], args: ['--open'], env: { PATH: `${home}:${process.env.PATH}` } };
});

/** Another local server, like a dev server or a malicious dependency's: it records what it gets. */
async function startBystander(): Promise<{ port: number; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>bystander</title><script>fetch("/probe", { credentials: "include" })</script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

describe.skipIf(!haveChromium)('the console credential in Chromium', () => {
  let api: ConsoleApi;
  let opener: string;
  let browser: Browser;
  let bystander: Awaited<ReturnType<typeof startBystander>>;
  let token: string;
  let consoleOrigin: string;

  // `serve`, its console and Chromium start here, under the hook timeout.
  test.beforeAll(async ({ api: control, home, chromium }) => {
    [api, opener, browser] = [control, home, chromium];
    [consoleOrigin, token] = [api.origin, api.token];
    bystander = await startBystander();
  });
  afterAll(() => {
    bystander?.server.close();
  });

  async function consoleShowsEngine(page: Page): Promise<void> {
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Sign in as alice' }).first().waitFor();
  }

  describe('opened with the printed URL', () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await browser.newContext();
      page = await context.newPage();
    });
    afterAll(() => context?.close());

    it('shows the console and drops the token from the address bar', async () => {
      await page.goto(`${consoleOrigin}/?token=${encodeURIComponent(token)}`);
      await consoleShowsEngine(page);
      expect(page.url()).toBe(`${consoleOrigin}/`);
    });

    it.each(['127.0.0.1', 'localhost'])('sends no console credential to a server on another port of %s', async (host) => {
      const before = bystander.seen.length;
      await page.goto(`http://${host}:${bystander.port}/`);
      await expect.poll(() => bystander.seen.length).toBeGreaterThanOrEqual(before + 2);
      for (const headers of bystander.seen.slice(before)) {
        expect(JSON.stringify(headers)).not.toContain(token);
        expect(headers.cookie ?? '').not.toMatch(/_portcullis/);
        expect(headers.authorization).toBeUndefined();
      }
      expect((await context.cookies()).filter((c) => c.value.includes(token))).toEqual([]);
    });

    it('keeps working after coming back and after a reload, live events included', async () => {
      await page.goto(`${consoleOrigin}/`);
      await consoleShowsEngine(page);
      await page.reload();
      await consoleShowsEngine(page);
      expect((await api.call('PUT', 'upstreams/app/simulation', { groups: ['qa'] })).status).toBe(200);
      await page.getByRole('status').filter({ hasText: 'Identity simulation active' }).waitFor();
      await api.call('DELETE', 'upstreams/app/simulation');
    });
  });

  describe('opened by --open', () => {
    let openUrl: string;
    it('starts the browser with a one-time code, never the token, in its arguments', async () => {
      await expect.poll(() => readFile(join(opener, 'args'), 'utf8').catch(() => ''), { message: 'still waiting for the URL opener to be started' }).not.toBe('');
      openUrl = (await readFile(join(opener, 'args'), 'utf8')).trim();
      expect(openUrl).toMatch(new RegExp(`^${consoleOrigin}/\\?code=[A-Za-z0-9_-]{43}$`));
      expect(openUrl).not.toContain(token);
    });

    it('opens the console in one step and drops the code from the address bar', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(openUrl);
      await consoleShowsEngine(page);
      expect(page.url()).toBe(`${consoleOrigin}/`);
      await page.reload();
      await consoleShowsEngine(page);
      await context.close();
    });

    it('the same link a second time opens nothing and says what to do', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(openUrl);
      await page.getByText('open the URL that portcullis printed').first().waitFor();
      expect(await page.getByRole('link', { name: 'Sign in as alice' }).count()).toBe(0);
      await context.close();
    });
  });
});
