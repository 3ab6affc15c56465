// The console's token cookie lives on 127.0.0.1, and a browser sends it to every port of that
// host, listeners included. It is a Portcullis cookie like the session cookie: the target never
// sees it or the token in it (docs/security.md), while the app's own cookies still get through.
import { describe, expect, it } from 'vitest';
import type { EchoRequest } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { sessionCookieName, signInWithHint } from '../support/signin.ts';

let pc: Portcullis;
let browser: Browser;
let token: string;
let consoleOrigin: string;
/** The listener by IP, so the jar sends it the console's cookie too. */
let app: string;

test.beforeAll(async ({ portcullis }) => {
  pc = portcullis;
  const line = /^console (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)\s*$/m.exec(pc.stdout());
  if (!line) throw new Error(`serve printed no console line:\n${pc.stdout()}`);
  consoleOrigin = line[1];
  token = decodeURIComponent(line[2]);
  browser = createBrowser();

  // Sign in where the flow runs (localhost), then carry the session cookie to 127.0.0.1.
  const byName = pc.url('app');
  await signInWithHint(browser, byName, 'alice');
  app = `http://127.0.0.1:${new URL(byName).port}`;
  browser.setCookie(app, sessionCookieName(byName), browser.cookie(byName, sessionCookieName(byName))!.value);
  browser.setCookie(app, 'theme', 'dark');
  const opened = await browser.get(`${consoleOrigin}/?token=${line[2]}`);
  expect(opened.setCookies.some((c) => /HttpOnly/i.test(c) && c.includes(token))).toBe(true);
});

describe('with the console open in the same browser', () => {
  it('the browser holds the console cookie and would send it to the listener', () => {
    const names = browser.cookies(app).map((c) => c.name);
    expect(browser.cookies(app).some((c) => c.value === token)).toBe(true);
    expect(names).toContain(sessionCookieName(app));
  });

  it.each(['/page', '/api/data?x=1'])('a proxied request to %s carries no Portcullis cookie and no token to the target', async (path) => {
    const res = await browser.get(`${app}${path}`);
    expect(res.status).toBe(200);
    const seen = res.json<EchoRequest>();
    expect(Object.keys(seen.cookies).filter((name) => /portcullis/i.test(name))).toEqual([]);
    expect(JSON.stringify(seen.headers)).not.toContain(token);
    expect(seen.cookies.theme).toBe('dark');
  });
});
