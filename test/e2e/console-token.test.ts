// In real Chromium against the real `portcullis serve --open`: the console's credential never
// reaches another server on 127.0.0.1 or localhost (browsers send a host's cookies to every port
// of it, so the console keeps no cookie), the console keeps working after navigating away and
// reloading, and --open starts the browser with a one-time code, never with the token, since a
// process's arguments are readable by every user of the machine.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startEcho, type EchoTarget } from '../support/echo.ts';
import { consoleApi } from '../support/console-api.ts';
import { startPortcullis, type Portcullis } from '../support/serve.ts';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

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
  let echo: EchoTarget;
  let pc: Portcullis;
  let opener: string;
  let browser: Browser;
  let bystander: Awaited<ReturnType<typeof startBystander>>;
  let token: string;
  let consoleOrigin: string;

  beforeAll(async () => {
    // Stands in for the desktop's URL opener: it writes down the arguments it was started with,
    // which are exactly what any user could read in /proc/<pid>/cmdline.
    opener = await mkdtemp(join(tmpdir(), 'portcullis-opener-'));
    await writeFile(join(opener, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(opener, 'args')}"\n`);
    await chmod(join(opener, 'xdg-open'), 0o755);
    echo = await startEcho();
    pc = await startPortcullis({ upstreams: [{ id: 'app', target: echo.url }], args: ['--open'], env: { PATH: `${opener}:${process.env.PATH}` } });
    const line = /^console (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)\s*$/m.exec(pc.stdout())!;
    consoleOrigin = line[1];
    token = decodeURIComponent(line[2]);
    bystander = await startBystander();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    bystander?.server.close();
    await pc?.dispose();
    await echo?.stop();
    await rm(opener, { recursive: true, force: true });
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
      expect((await consoleApi(pc).call('PUT', 'upstreams/app/simulation', { groups: ['qa'] })).status).toBe(200);
      await page.getByRole('status').filter({ hasText: 'Identity simulation active' }).waitFor();
      await consoleApi(pc).call('DELETE', 'upstreams/app/simulation');
    });
  });

  describe('opened by --open', () => {
    let openUrl: string;
    it('starts the browser with a one-time code, never the token, in its arguments', async () => {
      await expect.poll(() => readFile(join(opener, 'args'), 'utf8').catch(() => '')).not.toBe('');
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
