// A provider blip at the callback must not burn the sign-in: while the provider is not ready the
// callback answers 503 and leaves its state unused, so the same callback URL succeeds once the
// provider is back (and is refused as a replay only after it has really been used).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { startEcho, type EchoTarget } from '../support/echo.ts';
import { createBrowser } from '../support/browser.ts';
import { reachCallback, sessionCookieName } from '../support/signin.ts';

let echo: EchoTarget;
let running: TestEngine;
let app: string;

beforeAll(async () => {
  echo = await startEcho();
  running = await startTestEngine({ target: echo.url });
  app = `http://localhost:${running.appPort}`;
  await vi.waitFor(() => expect(running.engine.providers.get('builtin')).toBeDefined(), { timeout: 20_000 });
});
afterAll(async () => {
  await running?.close();
  await echo?.stop();
});

describe('/oauth2/callback while the provider is not ready', () => {
  it('answers 503 without using the state, then completes the same sign-in once the provider is back', async () => {
    const browser = createBrowser();
    const { callbackUrl } = await reachCallback(browser, app, 'alice', { hint: true });

    // The registry reports the provider not ready for this one request (a discovery retry).
    const get = vi.spyOn(running.engine.providers, 'get').mockReturnValueOnce(undefined);
    const during = await browser.get(callbackUrl);
    get.mockRestore();
    expect(during.status).toBe(503);
    expect(browser.cookie(app, sessionCookieName(app))).toBeUndefined();

    const after = await browser.get(callbackUrl);
    expect(after.status).toBe(302);
    expect(browser.cookie(app, sessionCookieName(app))).toBeDefined();
    expect((await browser.get(`${app}/oauth2/userinfo`)).status).toBe(200);

    // Used now: the same URL again is a replay.
    expect((await browser.get(callbackUrl)).status).toBe(403);
  });
});
