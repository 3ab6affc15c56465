// The fault lab end to end, through a real `portcullis serve`, the real built-in identity
// provider and the Flask echo app: expiring a session's access token or the whole session,
// switching persona without the browser, the provider's faults and what each leads to, and the
// session timeline that tells what happened (docs/control-api.md, "Fault lab").
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, EngineState, SessionView, TimelineEvent } from '../../electron/engine/api.ts';
import { sessionCookieName } from '../../electron/engine/auth/cookies.ts';
import { KEY_FILE_NAME } from '../../electron/engine/idp/keys.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import type { ConsoleApi } from '../support/console-api.ts';
import { test } from '../support/fixture.ts';
import { startFlask, type Echo } from '../support/flask.ts';
import { freePort } from '../support/free-port.ts';
import type { Portcullis } from '../support/serve.ts';
import { reachCallback, signInWithHint } from '../support/signin.ts';

// The real Flask app instead of the echo target; it stops after Portcullis when the file is done.
test.override('setup', { scope: 'file' }, async ({}, { onCleanup }) => {
  const flask = await startFlask();
  onCleanup(() => flask.stop());
  return { upstreams: [{ id: 'app', target: flask.url, passAccessToken: true, apiRoutes: ['^/api/'] }] };
});

let pc: Portcullis;
let api: ConsoleApi;
let app: string;

test.beforeAll(async ({ portcullis, api: controlApi, app: url }) => {
  [pc, api, app] = [portcullis, controlApi, url];
});

afterEach(async () => {
  await api.call('DELETE', 'idp/faults');
});

async function echo(browser: Browser, path = '/whoami'): Promise<Echo> {
  const res = await browser.get(`${app}${path}`);
  expect(res.status).toBe(200);
  return res.json<Echo>();
}

async function signedIn(persona = 'alice'): Promise<{ browser: Browser; session: SessionView }> {
  const browser = createBrowser();
  await signInWithHint(browser, app, persona);
  const me = await echo(browser);
  const sessions = (await api.call<SessionView[]>('GET', 'sessions')).body;
  const session = sessions.find((s) => s.accessToken?.raw === me.headers['x-forwarded-access-token']);
  if (!session) throw new Error('the signed-in session is not listed');
  return { browser, session };
}

async function session(id: string): Promise<SessionView | undefined> {
  return (await api.call<SessionView[]>('GET', 'sessions')).body.find((s) => s.id === id);
}

describe('expiring on demand', () => {
  it('expire access: the next request refreshes, and the app sees a new access token', async () => {
    const { browser, session: s } = await signedIn();
    const before = (await echo(browser)).headers['x-forwarded-access-token'];
    expect(s.willRefresh).toBe(true);
    expect(s.refreshExpiresAt).toBeGreaterThan(s.expiresAt!);
    const res = await api.call<SessionView>('POST', `sessions/${s.id}/expire`, { what: 'access' });
    expect(res.status).toBe(200);
    expect(res.body.expiresAt).toBeLessThan(Date.now());

    const after = (await echo(browser)).headers['x-forwarded-access-token'];
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    const kinds = (await session(s.id))!.timeline.map((e) => e.kind);
    expect(kinds).toEqual(['signed-in', 'access-expired', 'refreshed']);
  });

  it('expire session: the browser is sent to sign in, API routes get 401 JSON, the session is gone', async () => {
    const { browser, session: s } = await signedIn();
    expect((await api.call('POST', `sessions/${s.id}/expire`, { what: 'session' })).status).toBe(204);
    expect(await session(s.id)).toBeUndefined();

    const page = await browser.get(`${app}/whoami`);
    expect([302, 401, 403]).toContain(page.status);
    const apiCall = await browser.get(`${app}/api/items`);
    expect(apiCall.status).toBe(401);
    expect(apiCall.headers['content-type']).toMatch(/application\/json/);
  });

  it('expire access without a refresh token (a provider asked without offline_access): the browser goes to sign in, API routes get 401 JSON, the session ends and says why', async () => {
    // The built-in provider configured as a plain OIDC provider whose scopes leave out offline_access.
    const { clientSecret } = JSON.parse(await readFile(join(pc.dataDir, KEY_FILE_NAME), 'utf8')) as { clientSecret: string };
    const saved = await api.call('PUT', 'providers/plain', {
      id: 'plain', type: 'oidc', issuer: `http://127.0.0.1:${pc.ports.idp}`, clientId: 'portcullis', clientSecretValue: clientSecret, scopes: ['openid', 'email', 'profile', 'groups'],
    });
    expect(saved.status).toBe(200);
    const target = (await api.call<EngineState>('GET', 'state')).body.upstreams.find((u) => u.id === 'app')!.target;
    const port = await freePort();
    expect((await api.call('POST', 'upstreams', { id: 'plain', listen: { host: '127.0.0.1', port }, target, provider: 'plain', apiRoutes: ['^/api/'] })).status).toBe(200);
    const plain = `http://localhost:${port}`;

    const browser = createBrowser();
    await signInWithHint(browser, plain, 'alice');
    expect((await browser.get(`${plain}/whoami`)).status).toBe(200);
    const s = (await api.call<SessionView[]>('GET', 'sessions')).body.find((x) => x.upstreamId === 'plain')!;
    expect(s.willRefresh).toBe(false);
    const timeline = await watchTimeline(s.id);
    expect((await api.call('POST', `sessions/${s.id}/expire`, { what: 'access' })).status).toBe(200);

    const page = await browser.get(`${plain}/whoami`);
    expect(page.status).toBe(302);
    expect(new URL(page.location!, plain).pathname).toBe('/oauth2/start');
    const apiCall = await browser.get(`${plain}/api/items`);
    expect(apiCall.status).toBe(401);
    expect(apiCall.headers['content-type']).toMatch(/application\/json/);
    expect(await session(s.id)).toBeUndefined();
    expect((await timeline.untilEnded).map((e) => [e.kind, e.detail])).toEqual([
      ['access-expired', 'the access token expired (on demand)'],
      ['ended', 'the access token expired (no refresh token)'],
    ]);
  });

  it('refuses a bad body or an unknown session with a clear message, and changes nothing', async () => {
    const { session: s } = await signedIn();
    const bad = await api.call<{ error: { code: string; path: string } }>('POST', `sessions/${s.id}/expire`, { what: 'everything' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('$.what');
    const extra = await api.call<{ error: { code: string } }>('POST', `sessions/${s.id}/expire`, { what: 'access', evil: 1 });
    expect(extra.body.error.code).toBe('unknown_field');
    expect((await api.call('POST', 'sessions/no-such-session/expire', { what: 'access' })).status).toBe(404);
    expect((await session(s.id))!.expiresAt).toBe(s.expiresAt);
  });
});

describe('switching persona', () => {
  it('switches alice to bob without the browser: the app sees bob on the next request, the state shows bob', async () => {
    const { browser, session: s } = await signedIn('alice');
    expect((await echo(browser)).headers['x-forwarded-email']).toBe('alice@example.test');

    const res = await api.call<SessionView>('POST', `sessions/${s.id}/switch`, { persona: 'bob' });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(s.id);
    expect(res.body.email).toBe('bob@example.test');

    const me = await echo(browser);
    expect(me.headers['x-forwarded-email']).toBe('bob@example.test');
    expect(me.headers['x-forwarded-groups']).toBe('devs');
    const state = (await api.call<EngineState>('GET', 'state')).body;
    expect(state.sessions.find((x) => x.id === s.id)!.email).toBe('bob@example.test');
    expect((await session(s.id))!.timeline.at(-1)).toMatchObject({ kind: 'switched', detail: expect.stringContaining('bob') });
  });

  it('refuses a persona that does not exist, and the session stays who it was', async () => {
    const { browser, session: s } = await signedIn('alice');
    const res = await api.call<{ error: { code: string; message: string } }>('POST', `sessions/${s.id}/switch`, { persona: 'mallory' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('mallory');
    expect((await echo(browser)).headers['x-forwarded-email']).toBe('alice@example.test');
  });
});

describe('provider faults', () => {
  it('shows the faults in the state while set, and clears them', async () => {
    const set = await api.call<EngineState>('PUT', 'idp/faults', { refresh: 'server_error', latencyMs: 10 });
    expect(set.status).toBe(200);
    expect(set.body.idpFaults).toEqual({ signIn: null, refresh: 'server_error', latencyMs: 10, down: false });
    const cleared = await api.call<EngineState>('DELETE', 'idp/faults');
    expect(cleared.body.idpFaults).toBeUndefined();
  });

  it.each([
    [{ signIn: 'nope' }, '$.signIn'],
    [{ latencyMs: 30_001 }, '$.latencyMs'],
    [{ down: 'yes' }, '$.down'],
    [{ other: true }, '$.other'],
  ])('refuses the faults %j naming %s, and sets none', async (body, path) => {
    const res = await api.call<{ error: { path: string } }>('PUT', 'idp/faults', body);
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe(path);
    expect((await api.call<EngineState>('GET', 'state')).body.idpFaults).toBeUndefined();
  });

  it.each(['access_denied', 'login_required', 'server_error'] as const)(
    'signIn %s: the error page names the provider\'s error and offers Try again; nobody is signed in',
    async (fault) => {
      const before = (await api.call<SessionView[]>('GET', 'sessions')).body.length;
      await api.call('PUT', 'idp/faults', { signIn: fault });
      const browser = createBrowser();
      const { callbackUrl } = await reachCallback(browser, app, 'alice', { hint: true });
      const page = await browser.get(callbackUrl);
      expect(page.status).toBe(403);
      expect(page.body).toContain(fault);
      expect(page.body).toContain('Try again');
      expect((await api.call<SessionView[]>('GET', 'sessions')).body.length).toBe(before);
      expect(browser.cookie(app, sessionCookieName(pc.ports.upstreams.app))).toBeUndefined();
      const apiCall = await browser.get(`${app}/api/items`);
      expect(apiCall.status).toBe(401);
      expect(apiCall.json()).toMatchObject({ error: 'unauthorized' });
    },
  );

  it('refresh invalid_grant hit by 20 concurrent requests: one refresh attempt, one log line, no 500, the session ends with the reason', async () => {
    const { browser, session: s } = await signedIn();
    await api.call('PUT', 'idp/faults', { refresh: 'invalid_grant' });
    await api.call('POST', `sessions/${s.id}/expire`, { what: 'access' });
    const linesBefore = pc.stderr().split('\n').filter((l) => l.includes('could not refresh')).length;

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => browser.get(`${app}/api/items/${i}`)));
    for (const a of answers) expect(a.status).toBe(401);

    const lines = pc.stderr().split('\n').filter((l) => l.includes('could not refresh'));
    expect(lines.length - linesBefore).toBe(1);
    expect(lines.at(-1)).toContain('invalid_grant');
    expect(await session(s.id)).toBeUndefined();
  });

  it('records a failed refresh and the end in the timeline, in order', async () => {
    const { browser, session: s } = await signedIn();
    const timeline = await watchTimeline(s.id);
    await api.call('PUT', 'idp/faults', { refresh: 'invalid_grant' });
    await api.call('POST', `sessions/${s.id}/expire`, { what: 'access' });
    expect((await browser.get(`${app}/api/me`)).status).toBe(401);
    expect((await timeline.untilEnded).map((e) => e.kind)).toEqual(['access-expired', 'refresh-failed', 'ended']);
  });

  it('down: /ready answers 503 naming the provider, sign-in says unreachable, a signed-in browser keeps working', async () => {
    const { browser } = await signedIn();
    await api.call('PUT', 'idp/faults', { down: true });

    const ready = await fetch(`${app}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toContain('builtin');
    const start = await createBrowser().get(`${app}/oauth2/start`);
    expect(start.status).toBe(503);
    expect(start.body).toContain('unreachable');
    expect((await echo(browser)).headers['x-forwarded-email']).toBe('alice@example.test');

    await api.call('DELETE', 'idp/faults');
    expect((await fetch(`${app}/ready`)).status).toBe(200);
  });

  it('down: once a refresh is due the session ends (the provider cannot refresh it), with the reason in the timeline', async () => {
    const { browser, session: s } = await signedIn();
    await api.call('PUT', 'idp/faults', { down: true });
    expect((await echo(browser)).headers['x-forwarded-email']).toBe('alice@example.test');
    const timeline = await watchTimeline(s.id);
    await api.call('POST', `sessions/${s.id}/expire`, { what: 'access' });
    const due = await browser.get(`${app}/api/items`);
    expect(due.status).toBe(401);
    expect(due.headers['content-type']).toMatch(/application\/json/);
    const events = await timeline.untilEnded;
    expect(events.map((e) => e.kind)).toEqual(['access-expired', 'refresh-failed', 'ended']);
    expect(events.at(-1)!.detail).toBe('the access token expired and could not be refreshed');
  });

  it('latencyMs slows only the provider: a signed-in browser is proxied while a sign-in waits', async () => {
    const { browser } = await signedIn();
    await api.call('PUT', 'idp/faults', { latencyMs: 30_000 });
    const slowSignIn = reachCallback(createBrowser(), app, 'bob', { hint: true }).then(() => 'signed in', () => 'failed');
    const first = await Promise.race([echo(browser).then((me) => me.headers['x-forwarded-email']), slowSignIn]);
    expect(first).toBe('alice@example.test');
    await api.call('DELETE', 'idp/faults');
  });

  it('latencyMs slows a refresh: the request that waits for it gets the new token, a signed-in browser is proxied meanwhile', async () => {
    const waiting = await signedIn('alice');
    const other = await signedIn('bob');
    const before = (await echo(waiting.browser)).headers['x-forwarded-access-token'];
    await api.call('POST', `sessions/${waiting.session.id}/expire`, { what: 'access' });
    await api.call('PUT', 'idp/faults', { latencyMs: 5_000 });
    const refreshed = echo(waiting.browser).then((me) => me.headers['x-forwarded-access-token']);
    const first = await Promise.race([echo(other.browser).then((me) => me.headers['x-forwarded-email']), refreshed]);
    expect(first).toBe('bob@example.test');
    const after = await refreshed;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
  });
});

/**
 * The session's timeline events as the console receives them (the events stream), from now
 * until it ends. Resolves once the stream is read, before anything is changed.
 */
async function watchTimeline(sessionId: string): Promise<{ untilEnded: Promise<TimelineEvent[]> }> {
  const stream = await fetch(`${api.origin}/api/v1/events`, { headers: { Authorization: bearer() } });
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  const untilEnded = (async () => {
    const events: TimelineEvent[] = [];
    let buffered = '';
    while (!events.some((e) => e.kind === 'ended')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('data:')) continue;
        const event = JSON.parse(line.slice(5)) as EngineEvent;
        if (event.type === 'session-timeline' && event.sessionId === sessionId) events.push(event.event);
      }
    }
    await reader.cancel();
    return events;
  })();
  return { untilEnded };
}

function bearer(): string {
  const token = /\/\?token=(\S+)\s*$/m.exec(pc.stdout())![1];
  return `Bearer ${decodeURIComponent(token)}`;
}

describe('signing out at the provider', () => {
  it('sends the browser to the provider\'s end_session_endpoint, back to the listener, on to rd; the next sign-in shows the persona page', async () => {
    const { browser, session: s } = await signedIn('alice');
    const out = await browser.get(`${app}/oauth2/sign_out?rd=${encodeURIComponent('/bye')}`);
    expect(out.status).toBe(302);
    const endSession = new URL(out.location!);
    expect(endSession.origin).toBe(`http://127.0.0.1:${pc.ports.idp}`);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('client_id')).toBe('portcullis');
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${app}/oauth2/sign_out`);
    expect(await session(s.id)).toBeUndefined();

    const confirm = await browser.get(endSession.href);
    expect(confirm.status).toBe(200);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirm.body)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1];
    const done = await browser.post(new URL(action, endSession).href, { xsrf, logout: 'yes' });
    expect(done.status).toBe(303);
    const back = new URL(done.location!);
    expect(back.origin + back.pathname).toBe(`${app}/oauth2/sign_out`);
    const final = await browser.get(back.href);
    expect(final.status).toBe(302);
    expect(final.location).toBe('/bye');

    const start = await browser.get(`${app}/oauth2/start`);
    const atProvider = await browser.get(start.location!);
    const page = atProvider.status === 200 ? atProvider : await browser.get(new URL(atProvider.location!, start.location!).href);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Choose a persona');
  });

  it('a forged return state is not trusted: the browser goes to the checked rd only', async () => {
    const res = await createBrowser().get(`${app}/oauth2/sign_out?state=forged&rd=${encodeURIComponent('https://evil.example/')}`);
    expect(res.status).toBe(302);
    expect(res.location).not.toContain('evil.example');
  });
});
