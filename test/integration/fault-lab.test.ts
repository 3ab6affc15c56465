// The fault lab end to end, through a real `portcullis serve`, the real built-in identity
// provider and the Flask echo app: expiring a session's access token or the whole session,
// switching persona without the browser, the provider's faults and what each leads to, and the
// session timeline that tells what happened (docs/control-api.md, "Fault lab").
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState, SessionView } from '../../electron/engine/api.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { consoleApi, type ConsoleApi } from '../support/console-api.ts';
import { startFlask, type Echo, type Upstream } from '../support/flask.ts';
import { startPortcullis, type Portcullis } from '../support/serve.ts';
import { reachCallback, signInWithHint } from '../support/signin.ts';

let flask: Upstream;
let pc: Portcullis;
let api: ConsoleApi;
let app: string;

beforeAll(async () => {
  flask = await startFlask();
  pc = await startPortcullis({
    upstreams: [{ id: 'app', target: flask.url, passAccessToken: true, apiRoutes: ['^/api/'] }],
  });
  api = consoleApi(pc);
  app = pc.url('app');
});

afterAll(async () => {
  await pc?.dispose();
  await flask?.stop();
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
    const events: string[] = [];
    const stream = await fetch(`${api.origin}/api/v1/events`, { headers: { Authorization: bearer() } });
    const reader = stream.body!.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value);
        for (const m of buffered.matchAll(/"type":"session-timeline","sessionId":"([^"]+)","event":\{[^}]*"kind":"([a-z-]+)"/g)) {
          if (m[1] === s.id && !events.includes(m[2])) events.push(m[2]);
        }
        if (events.includes('ended')) return;
      }
    })();
    await api.call('PUT', 'idp/faults', { refresh: 'invalid_grant' });
    await api.call('POST', `sessions/${s.id}/expire`, { what: 'access' });
    expect((await browser.get(`${app}/api/me`)).status).toBe(401);
    await reading;
    await reader.cancel();
    expect(events).toEqual(['access-expired', 'refresh-failed', 'ended']);
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

  it('latencyMs slows only the provider: a signed-in browser is proxied while a sign-in waits', async () => {
    const { browser } = await signedIn();
    await api.call('PUT', 'idp/faults', { latencyMs: 30_000 });
    const slowSignIn = reachCallback(createBrowser(), app, 'bob', { hint: true }).then(() => 'signed in', () => 'failed');
    const first = await Promise.race([echo(browser).then((me) => me.headers['x-forwarded-email']), slowSignIn]);
    expect(first).toBe('alice@example.test');
    await api.call('DELETE', 'idp/faults');
  });
});

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
