// End to end in real Chromium: `portcullis serve` in front of a real Streamlit app with its own
// CORS and XSRF protection on. Open the listener, choose alice on the built-in sign-in page and
// see the app render her e-mail, which it reads from the WebSocket handshake's identity headers:
// that only shows up when the WebSocket went through the proxy signed in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { haveChromium, launchChromium } from './chromium.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { startStreamlit } from '../support/streamlit.ts';
import type { Upstream } from '../support/flask.ts';
import { startPortcullis, type Portcullis } from '../support/serve.ts';

/** A bound for Streamlit's first render (its script runs on the first WebSocket message), not a speed check. */
const RENDER_BOUND_MS = 60_000;

describe.skipIf(!haveChromium)('Streamlit behind Portcullis in Chromium', () => {
  let streamlit: Upstream;
  let pc: Portcullis;
  let browser: Browser;
  let page: Page;
  let app: string;
  const sockets: string[] = [];

  beforeAll(async () => {
    streamlit = await startStreamlit();
    pc = await startPortcullis({ upstreams: [{ id: 'st', target: streamlit.url, websockets: true }] });
    app = pc.url('st');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
    page.on('websocket', (ws) => sockets.push(ws.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await pc?.dispose();
    await streamlit?.stop();
  });

  it('sends a visitor who is not signed in to the built-in sign-in page', async () => {
    await page.goto(`${app}/`);
    await page.getByRole('listitem').filter({ hasText: 'alice@example.test' }).getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).port).toBe(String(pc.ports.idp));
  });

  it('after alice is chosen, lands on the app, which renders her e-mail from the proxied WebSocket', async () => {
    await page.getByRole('listitem').filter({ hasText: 'alice@example.test' }).getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app}/`);
    await page.getByText('user: alice@example.test', { exact: true }).waitFor({ timeout: RENDER_BOUND_MS });
    await page.getByText('groups: admins,devs', { exact: true }).waitFor();
    expect(await page.getByText('user: alice@example.test', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('groups: admins,devs', { exact: true }).isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('streamlit'), fullPage: true });
    expect(sockets.some((url) => url.startsWith(`${app.replace(/^http/, 'ws')}/_stcore/stream`))).toBe(true);
    // The app saw the handshake's cookies without Portcullis's own session cookie (docs/security.md).
    const cookieLine = (await page.locator('body').innerText()).split('\n').find((line) => /^Cookie: /i.test(line));
    expect(cookieLine).toBeDefined();
    expect(cookieLine).not.toMatch(/_portcullis_/);
  });
});
