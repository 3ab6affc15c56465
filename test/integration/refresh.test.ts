// Refreshing a session as the console's "Refresh now" does it, end to end: the built-in provider
// issues a new access token for the session's refresh token, the same browser cookie keeps
// working, and the app behind the listener receives the new token from then on.
import { describe, expect } from 'vitest';
import type { SessionView } from '../../electron/engine/api.ts';
import type { Browser } from '../support/browser.ts';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';

test.override('setup', { scope: 'file' }, { upstreams: [{ id: 'app', passAccessToken: true }] });

async function tokenSeenByApp({ alice, app, echo }: { alice: Browser; app: string; echo: EchoTarget }): Promise<string> {
  expect((await alice.get(`${app}/whoami`)).status).toBe(200);
  return String(echo.requests.at(-1)!.headers['x-forwarded-access-token']);
}

describe('refresh now', () => {
  test('gets a new access token that the app receives on the next request, with the same cookie', async ({ alice, app, echo, api }) => {
    const before = await tokenSeenByApp({ alice, app, echo });
    const [session] = (await api.call<SessionView[]>('GET', 'sessions')).body;
    expect(session.willRefresh).toBe(true);

    const refreshed = await api.call<SessionView>('POST', `sessions/${session.id}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.id).toBe(session.id);
    expect(refreshed.body.accessToken!.raw).not.toBe(before);
    expect(refreshed.body.email).toBe('alice@example.test');

    expect(await tokenSeenByApp({ alice, app, echo })).toBe(refreshed.body.accessToken!.raw);
  });

  test('answers 404 for a session that does not exist, and nothing changes', async ({ api }) => {
    const before = (await api.call<SessionView[]>('GET', 'sessions')).body;
    const res = await api.call<{ error: { code: string } }>('POST', 'sessions/no-such-session/refresh');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await api.call<SessionView[]>('GET', 'sessions')).body).toEqual(before);
  });
});
