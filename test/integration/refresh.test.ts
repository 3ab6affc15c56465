// Refreshing a session as the console's "Refresh now" does it, end to end: the built-in provider
// issues a new access token for the session's refresh token, the same browser cookie keeps
// working, and the app behind the listener receives the new token from then on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../electron/engine/api.ts';
import { createBrowser, type Browser } from './helpers/browser.ts';
import { consoleApi, type ConsoleApi } from './helpers/console-api.ts';
import { startEcho, type EchoTarget } from './helpers/echo.ts';
import { startPortcullis, type Portcullis } from './helpers/portcullis.ts';
import { signInWithHint } from './helpers/signin.ts';

let echo: EchoTarget;
let pc: Portcullis;
let api: ConsoleApi;
let app: string;
let alice: Browser;

beforeAll(async () => {
  echo = await startEcho();
  pc = await startPortcullis({ upstreams: [{ id: 'app', target: echo.url, passAccessToken: true }] });
  api = consoleApi(pc);
  app = pc.url('app');
  alice = createBrowser();
  await signInWithHint(alice, app, 'alice');
});
afterAll(async () => {
  await pc?.dispose();
  await echo?.stop();
});

async function tokenSeenByApp(): Promise<string> {
  expect((await alice.get(`${app}/whoami`)).status).toBe(200);
  return String(echo.requests.at(-1)!.headers['x-forwarded-access-token']);
}

describe('refresh now', () => {
  it('gets a new access token that the app receives on the next request, with the same cookie', async () => {
    const before = await tokenSeenByApp();
    const [session] = (await api.call<SessionView[]>('GET', 'sessions')).body;
    expect(session.willRefresh).toBe(true);

    const refreshed = await api.call<SessionView>('POST', `sessions/${session.id}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.id).toBe(session.id);
    expect(refreshed.body.accessToken!.raw).not.toBe(before);
    expect(refreshed.body.email).toBe('alice@example.test');

    expect(await tokenSeenByApp()).toBe(refreshed.body.accessToken!.raw);
  });

  it('answers 404 for a session that does not exist, and nothing changes', async () => {
    const before = (await api.call<SessionView[]>('GET', 'sessions')).body;
    const res = await api.call<{ error: { code: string } }>('POST', 'sessions/no-such-session/refresh');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await api.call<SessionView[]>('GET', 'sessions')).body).toEqual(before);
  });
});
