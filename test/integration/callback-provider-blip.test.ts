// A provider blip at the callback must not burn the sign-in: while the provider is not ready the
// callback answers 503 and leaves its state unused, so the same callback URL succeeds once the
// provider is back (and is refused as a replay only after it has really been used).
// It runs the engine in-process, to make its provider registry blip for exactly one request.
import { describe, expect, it, vi } from 'vitest';
import type { TestEngine } from '../support/engine.ts';
import { engineTest as test } from '../support/fixture.ts';
import { createBrowser } from '../support/browser.ts';
import { reachCallback, sessionCookieName } from '../support/signin.ts';
import { until } from '../support/wait.ts';

let running: TestEngine;
let app: string;

test.beforeAll(async ({ running: engine, app: url }) => {
  [running, app] = [engine, url];
  await until('the built-in provider to be ready', () => running.engine.providers.get('builtin'), { timeoutMs: 20_000 });
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
