// The console's guard: only its own loopback Host, only with the per-launch token as a bearer
// header (never a cookie), constant answers, no CORS, and a locked-down page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, rawRequest, type TestConsole } from '../support/engine.ts';

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole();
});
afterAll(() => t?.close());

describe('Host check', () => {
  it.each([
    ['evil.example', 421],
    ['evil.example:PORT', 421],
    ['127.0.0.1', 421],
    ['127.0.0.1:1', 421],
    ['localhost.evil.example:PORT', 421],
    ['[::1]:PORT', 421],
    ['127.0.0.1:PORT', 200],
    ['localhost:PORT', 200],
    ['LOCALHOST:PORT', 200],
  ])('Host %s → %i', async (host, status) => {
    const res = await t.call('GET', '/api/v1/state', { host: host.replace('PORT', String(t.console.port)) });
    expect(res.status).toBe(status);
    if (status !== 200) expect(res.json().error.code).toBe('misdirected_request');
  });

  it('also guards the static page', async () => {
    expect((await t.call('GET', '/', { host: 'rebind.example:80', token: null })).status).toBe(421);
  });
});

describe('token check', () => {
  it.each([
    ['no token', {}, 'a console token is required'],
    ['wrong bearer', { Authorization: 'Bearer nope' }, 'wrong'],
    ['token one character short', 'SHORT', 'wrong'],
    ['basic auth', { Authorization: 'Basic YWxpY2U6eA==' }, 'wrong'],
    ['the right token as a cookie', 'COOKIE', 'a console token is required'],
  ] as const)('%s → 401', async (_name, headers, words) => {
    const h =
      headers === 'SHORT' ? { Authorization: `Bearer ${t.console.token.slice(0, -1)}` }
      : headers === 'COOKIE' ? { Cookie: `_portcullis_console_${t.console.port}=${t.console.token}` }
      : headers;
    const res = await t.call('GET', '/api/v1/state', { token: null, headers: h });
    expect(res.status).toBe(401);
    expect(res.json().error.message).toContain(words);
  });

  it('a bad token cannot change state', async () => {
    const res = await t.call('DELETE', '/api/v1/upstreams/app', { token: 'nope' });
    expect(res.status).toBe(401);
    expect((await t.engine.getState()).upstreams.map((u) => u.id)).toEqual(['app']);
  });

  it('the printed URL serves the page, which keeps the token itself: no cookie is set', async () => {
    expect(t.console.url).toBe(`http://127.0.0.1:${t.console.port}/?token=${t.console.token}`);
    expect(t.console.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const res = await t.call('GET', `/?token=${t.console.token}`, { token: null });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="root">');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('a wrong token in the URL is refused', async () => {
    const res = await t.call('GET', '/?token=wrong', { token: null });
    expect(res.status).toBe(401);
    expect(res.json().error.message).toContain('open the URL that portcullis printed');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses writes from another origin even with the token', async () => {
    const res = await t.call('POST', '/api/v1/stop', { headers: { Origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect((await t.engine.getState()).upstreams[0].status.state).toBe('running');
  });
});

describe('the one-time code of --open', () => {
  const redeem = (code: unknown, headers: Record<string, string> = {}) =>
    t.call('POST', '/api/v1/console-token', { token: null, body: { code }, headers });

  it('is a URL without the token, traded once for the token', async () => {
    const url = new URL(t.console.openUrl());
    expect(url.origin).toBe(`http://127.0.0.1:${t.console.port}`);
    expect(url.href).not.toContain(t.console.token);
    const code = url.searchParams.get('code');
    const first = await redeem(code);
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ token: t.console.token });
    const again = await redeem(code);
    expect(again.status).toBe(401);
    expect(again.json().error.message).toBe('this link was already used or has expired: open the URL that portcullis printed');
  });

  it.each([
    ['a made-up code', 'x'.repeat(43)],
    ['the token itself', 'TOKEN'],
    ['no code', undefined],
    ['a number', 42],
  ])('refuses %s', async (_name, code) => {
    const res = await redeem(code === 'TOKEN' ? t.console.token : code);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(t.console.token);
  });

  it('refuses a trade asked by another origin or under another Host', async () => {
    const code = new URL(t.console.openUrl()).searchParams.get('code');
    expect((await redeem(code, { Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    const foreign = await t.call('POST', '/api/v1/console-token', { token: null, body: { code }, host: `rebind.example:${t.console.port}` });
    expect(foreign.status).toBe(421);
  });
});

describe('headers', () => {
  it('sends no CORS headers, even to a cross-origin preflight', async () => {
    const res = await t.call('OPTIONS', '/api/v1/state', { headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    for (const name of Object.keys(res.headers)) expect(name).not.toMatch(/^access-control-/);
    const ok = await t.call('GET', '/api/v1/state', { headers: { Origin: `http://127.0.0.1:${t.console.port}` } });
    for (const name of Object.keys(ok.headers)) expect(name).not.toMatch(/^access-control-/);
  });

  it.each(['/', '/index.html', '/some/view'])('serves %s with a strict CSP, no framing, no sniffing', async (path) => {
    const res = await rawRequest(t.console.port, 'GET', path);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toContain('<div id="root">');
  });

  it.each(['/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/package.json'])('never serves files outside the build: %s', async (path) => {
    const res = await rawRequest(t.console.port, 'GET', path);
    expect(res.text).not.toContain('"name": "portcullis"');
  });

  it('never puts the token in an API answer', async () => {
    const res = await t.call('GET', '/api/v1/state');
    expect(res.text).not.toContain(t.console.token);
  });
});
