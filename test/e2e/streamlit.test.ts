// End to end in real Chromium: `portcullis serve` in front of a real Streamlit app with its own
// CORS and XSRF protection on. Open the listener, choose alice on the built-in sign-in page and
// see the app render her e-mail, which it reads from the WebSocket handshake's identity headers:
// that only shows up when the WebSocket went through the proxy signed in.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, test } from './chromium.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { streamlitSetup } from '../support/streamlit.ts';
import { WAIT_BOUND_MS } from '../support/wait.ts';

/** A bound for Streamlit's first render (its script runs on the first WebSocket message), not a speed check. */
const RENDER_BOUND_MS = 60_000;

test.override('setup', { scope: 'file' }, streamlitSetup);

describe.skipIf(!haveChromium)('Streamlit behind Portcullis in Chromium', () => {
  let page: Page;
  const sockets: string[] = [];

  // Portcullis and Streamlit start here, under the hook timeout, not in the first test.
  test.beforeAll(async ({ chromium, portcullis: _started }) => {
    const context = await chromium.newContext({ viewport: { width: 1100, height: 800 } });
    // Every wait fails on its own, naming what it waited for, well before the test's timeout.
    context.setDefaultTimeout(WAIT_BOUND_MS);
    page = await context.newPage();
    page.on('websocket', (ws) => sockets.push(ws.url()));
  });

  test('sends a visitor who is not signed in to the built-in sign-in page', async ({ app, portcullis }) => {
    await page.goto(`${app}/`);
    await page.getByRole('listitem').filter({ hasText: 'alice@example.test' }).getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).port).toBe(String(portcullis.ports.idp));
  });

  test('after alice is chosen, lands on the app, which renders her e-mail from the proxied WebSocket', { timeout: RENDER_BOUND_MS + WAIT_BOUND_MS }, async ({ app }) => {
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
